"""The Export dialog: preview with warnings, export on a worker, open the result; the Export menu."""

from __future__ import annotations

from pathlib import Path

import docx
import pytest
from PySide6.QtWidgets import QMainWindow, QMenu

from lgf_desktop.errors import UserError
from lgf_desktop.services.review.rounds import create_round, find_round
from lgf_desktop.ui import export_dialog
from lgf_desktop.ui.export_dialog import ExportDialog, ReviewPreviewModel, install
from lgf_desktop.ui.tasks import wait_for_tasks



def round_id(db, label: str = "2021-22") -> int:
    with db.session() as session:
        return find_round(session, label).id


@pytest.fixture
def opened(monkeypatch) -> list[Path]:
    paths: list[Path] = []
    monkeypatch.setattr(export_dialog, "open_path", lambda path: paths.append(path) or True)
    return paths


def make_dialog(qtbot, db, kind: str = "report", label: str = "2021-22") -> ExportDialog:
    dialog = ExportDialog(db, kind, round_id(db, label))
    qtbot.addWidget(dialog)
    dialog.resize(1366, 768)
    dialog.show()
    qtbot.waitUntil(lambda: dialog.preview is not None or "nothing to report" in dialog.summary.text(), timeout=10000)
    return dialog


def test_preview_lists_reviews_and_warnings(qtbot, demo_db, qtmodeltester, screenshot):
    with demo_db.session() as session:
        round_ = find_round(session, "2021-22")
        round_.reviews[0].review_date = None
    dialog = make_dialog(qtbot, demo_db)
    qtmodeltester.check(dialog.model)
    assert dialog.model.rowCount() == 3
    assert [dialog.model.index(r, 0).data() for r in range(3)] == [
        "Northvale and Westmoor Integrated Care Board", "Pathways Youth Service, Riverside Learning Trust",
        "Westmoor Community Voluntary Network"]
    assert dialog.model.index(1, 3).data() == "21 of 21"
    assert dialog.summary.text().startswith("The Section 11 report of round 2021-22: 3 organisations")
    warnings = [dialog.warnings.item(i).text() for i in range(dialog.warnings.count())]
    assert "Northvale and Westmoor Integrated Care Board: A held review needs the date it took place." in warnings
    assert dialog.export_button.isEnabled()
    screenshot(dialog, "export-dialog-preview.png")


def test_export_runs_on_a_worker_and_offers_to_open(qtbot, demo_db, tmp_path, opened, shown_errors, screenshot):
    dialog = make_dialog(qtbot, demo_db)
    target = tmp_path / "s11"  # the .docx is added
    dialog.path_edit.setText(str(target))
    dialog.export_button.click()
    qtbot.waitUntil(lambda: dialog.open_button.isVisible(), timeout=20000)
    written = tmp_path / "s11.docx"
    assert shown_errors == [] and dialog.exported == written
    assert "Peer Review Westmoor Community Voluntary Network" in [p.text for p in docx.Document(str(written)).paragraphs]
    assert dialog.status.text() == f"Saved to {written}"
    screenshot(dialog, "export-dialog-done.png")
    dialog.open_button.click()
    dialog.folder_button.click()
    assert opened == [written, tmp_path]


def test_export_to_a_missing_folder_is_one_sentence_and_writes_nothing(qtbot, demo_db, tmp_path, shown_errors):
    dialog = make_dialog(qtbot, demo_db, "template")
    dialog.path_edit.setText(str(tmp_path / "missing" / "template.docx"))
    dialog.export_button.click()
    qtbot.waitUntil(lambda: bool(shown_errors), timeout=20000)
    assert isinstance(shown_errors[0].error, UserError)
    assert shown_errors[0].text == f"The folder {tmp_path / 'missing'} does not exist."
    assert dialog.status.text() == "Nothing was written." and not dialog.open_button.isVisible()
    assert dialog.export_button.isEnabled()
    assert not (tmp_path / "missing").exists()


def test_round_without_reviews_says_so_and_cannot_export(qtbot, demo_db):
    with demo_db.session() as session:
        create_round(session, "2022-23")
    dialog = make_dialog(qtbot, demo_db, label="2022-23")
    assert dialog.summary.text() == ("Round 2022-23 has nothing to report: it has no reviews yet. "
                                     "Record a held or declined review first.")
    assert not dialog.export_button.isEnabled() and dialog.model.rowCount() == 0
    dialog.round_box.setCurrentIndex(dialog.round_box.findText("2021-22"))
    qtbot.waitUntil(lambda: dialog.preview is not None, timeout=10000)
    assert dialog.export_button.isEnabled()


def test_template_dialog_exports_the_template(qtbot, demo_db, tmp_path, shown_errors):
    dialog = make_dialog(qtbot, demo_db, "template")
    assert not dialog.table.isVisibleTo(dialog)
    assert dialog.summary.text().startswith("The question template of round 2021-22: 7 themes and 21 questions")
    dialog.path_edit.setText(str(tmp_path / "template.docx"))
    dialog.export_button.click()
    qtbot.waitUntil(lambda: dialog.exported is not None, timeout=20000)
    assert shown_errors == [] and len(docx.Document(str(tmp_path / "template.docx")).tables) == 1


def test_export_menu_opens_the_dialog_for_the_current_round(qtbot, demo_db):
    class Window(QMainWindow):
        def __init__(self) -> None:
            super().__init__()
            self.db = demo_db
            self.menus: dict[str, QMenu] = {}

        def menu(self, title: str) -> QMenu:
            return self.menus.setdefault(title, self.menuBar().addMenu(title))

        def current_round_id(self) -> int:
            return round_id(demo_db)

    window = Window()
    qtbot.addWidget(window)
    install(window)
    actions = window.menus["&Export"].actions()
    assert [a.text() for a in actions] == ["Section 11 &report (Word)…", "Question &template for organisations (Word)…"]
    actions[0].trigger()
    dialog = window.findChild(ExportDialog)
    assert dialog is not None and dialog.kind == "report" and dialog.round_box.currentText() == "2021-22"
    qtbot.waitUntil(lambda: dialog.preview is not None, timeout=10000)
    dialog.close()
    wait_for_tasks()


def test_empty_model_passes_the_model_tester(qtmodeltester):
    qtmodeltester.check(ReviewPreviewModel())

