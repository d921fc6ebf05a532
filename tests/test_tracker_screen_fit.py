"""The tracker at 1366×768 as a manager sees it: the recommendation's text has the room, in two
lines; column widths are remembered; a blank Due is blank; the bulk combo says the selection's
status; a refused "complete" keeps its dialog open with the reason."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QItemSelectionModel
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QDialog, QDialogButtonBox, QMessageBox
import pytest
from sqlalchemy import select

from lgf_desktop.models import Recommendation
from lgf_desktop.ui.main_window import MainWindow, settings
from lgf_desktop.ui.tracker.screen import COLUMNS_SETTING
from lgf_desktop.ui.tracker.dialogs import CompletionDialog
from lgf_desktop.ui.tracker.model import COL_DUE, COL_LEAD, COL_TEXT

TODAY = date(2024, 6, 15)


@pytest.fixture(autouse=True)
def _forget_the_widths():
    """QSettings is cached per process: leave the default for the next test."""
    yield
    settings().remove(COLUMNS_SETTING)


def open_tracker(qtbot, db) -> tuple[MainWindow, object]:
    window = MainWindow(db)
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    qtbot.waitExposed(window)
    window.navigator.select("tracker", None)
    screen = window.stack.currentWidget()
    qtbot.waitUntil(lambda: screen.model.rowCount() > 0, timeout=10000)
    QApplication.processEvents()
    return window, screen


def select_rows(screen, rows: list[int]) -> None:
    selection = screen.table.selectionModel()
    selection.clearSelection()
    for row in rows:
        selection.select(screen.proxy.index(row, 0),
                         QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows)


def test_the_recommendation_column_takes_the_spare_width_in_two_lines(qtbot, demo_db):
    window, screen = open_tracker(qtbot, demo_db)
    table = screen.table
    widths = [table.columnWidth(c) for c in range(screen.model.columnCount())]
    assert widths[COL_TEXT] == max(widths) and widths[COL_TEXT] >= 200, widths
    assert widths[COL_LEAD] < 100 and widths[COL_DUE] < 100  # empty in the demo: no wider than the header
    assert table.wordWrap()
    line = table.fontMetrics().lineSpacing()
    assert table.rowHeight(0) >= 2 * line
    assert sum(widths) <= table.viewport().width() + 2  # no sideways scrolling
    header = table.horizontalHeader()
    assert header.sectionSize(COL_TEXT) > table.fontMetrics().horizontalAdvance("Recommendation")


def test_column_widths_are_remembered(qtbot, demo_db):
    window, screen = open_tracker(qtbot, demo_db)
    screen.table.setColumnWidth(0, 123)  # as a drag on the header would
    window.close()
    again, screen = open_tracker(qtbot, demo_db)
    assert screen.table.columnWidth(0) == 123


def test_no_due_date_shows_nothing(qtbot, demo_db):
    window, screen = open_tracker(qtbot, demo_db)
    select_rows(screen, [0])
    detail = screen.detail
    assert not detail.has_due.isChecked() and not detail.due.isEnabled()
    assert detail.due.text().strip() == ""
    assert "2000" not in detail.due.text()
    detail.has_due.setChecked(True)  # ticking it offers today, to change
    assert detail.due.isEnabled() and detail.due.date().toPython() == date.today()


def test_the_bulk_status_says_the_selections_status(qtbot, demo_db, shown_errors):
    with demo_db.session() as session:
        recs = session.scalars(select(Recommendation).order_by(Recommendation.id)).all()
        recs[0].status, recs[0].evidence_of_impact = "complete", "Audit showed it."
    window, screen = open_tracker(qtbot, demo_db)
    complete = [r for r in range(screen.proxy.rowCount()) if screen.model.rows[
        screen.proxy.mapToSource(screen.proxy.index(r, 0)).row()].status == "complete"]
    select_rows(screen, complete)
    assert screen.bulk_status.currentText() == "complete"
    others = [r for r in range(screen.proxy.rowCount()) if r not in complete][:2]
    select_rows(screen, others)
    assert screen.bulk_status.currentText() == "not started"
    select_rows(screen, complete + others)
    assert screen.bulk_status.currentIndex() == -1  # mixed: it asks for a choice
    screen.bulk_apply.click()  # nothing chosen: refused, nothing changed
    assert [e.text for e in shown_errors] == ["Choose the status to give the selected recommendations first."]
    with demo_db.session() as session:
        assert session.get(Recommendation, recs[0].id).status == "complete"


def test_complete_refused_for_lack_of_evidence_keeps_the_dialog_open_with_the_reason(qtbot, demo_db, monkeypatch):
    window, screen = open_tracker(qtbot, demo_db)
    select_rows(screen, [0])
    rec_id = screen.selected_ids()[0]
    shown: list[CompletionDialog] = []

    def ask(cls, parent, count, save):  # the real dialog, shown without blocking the test
        dialog = cls(count, save, parent)
        qtbot.addWidget(dialog)
        dialog.show()
        shown.append(dialog)
        dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()  # nothing typed
        assert dialog.isVisible() and dialog.refusal.isVisible()
        assert "evidence of impact" in dialog.refusal.text()
        QTest.keyClicks(dialog.reason, "The service closed in March.")
        dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()
        return dialog.result() == QDialog.DialogCode.Accepted and not dialog.isVisible()

    monkeypatch.setattr(CompletionDialog, "ask", classmethod(ask))
    assert screen.change_status([rec_id], "complete")
    assert len(shown) == 1
    with demo_db.session() as session:
        rec = session.get(Recommendation, rec_id)
        assert rec.status == "complete" and rec.no_evidence_reason == "The service closed in March."


def test_the_detail_panels_hints_are_read_whole(qtbot, demo_db):
    window, screen = open_tracker(qtbot, demo_db)
    screen.table.selectRow(0)
    QApplication.processEvents()
    for field in (screen.detail.no_evidence,):
        room = field.contentsRect().width() - 8  # the line edit's own text margins
        assert field.fontMetrics().horizontalAdvance(field.placeholderText()) <= room, field.placeholderText()
