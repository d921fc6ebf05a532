"""The tracker screen driven with pytest-qt: models checked, filter and search, select, change
status (one and several, with the completion rule), add a progress note, autosave of details,
and the workshop's carry-forward panel."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from PySide6.QtCore import QItemSelectionModel, Qt
from sqlalchemy import select

from lgf_desktop.models import Organisation, ProgressNote, Recommendation, Review, Round
from lgf_desktop.services.review.rounds import create_round
from lgf_desktop.services.tracker.actions import set_details
from lgf_desktop.services.tracker.rows import TrackerFilter, tracker_rows
from lgf_desktop.ui.tasks import wait_for_tasks
from lgf_desktop.ui.tracker import carry_forward as carry_module
from lgf_desktop.ui.tracker.carry_forward import CarryForwardPanel
from lgf_desktop.ui.tracker.dialogs import CompletionDialog
from lgf_desktop.ui.tracker.model import COL_FOLLOW_UP, ROW_ROLE, TrackerProxy, TrackerTableModel
from lgf_desktop.ui.tracker.screen import TrackerScreen

TODAY = date(2024, 6, 15)
ICB = "Northvale and Westmoor Integrated Care Board"


def icb_id(session) -> int:
    return session.scalar(select(Organisation.id).where(Organisation.name == ICB))


@pytest.fixture
def screen(demo_db, qtbot):
    with demo_db.session() as session:
        rows = tracker_rows(session, TrackerFilter(organisation_id=icb_id(session)), today=TODAY)
        set_details(session, rows[0].id, due_date=TODAY - timedelta(days=3))
        set_details(session, rows[1].id, due_date=TODAY + timedelta(days=10))
    widget = TrackerScreen(demo_db, today=TODAY)
    qtbot.addWidget(widget)
    with qtbot.waitSignal(widget.loaded, timeout=10000):
        pass
    return widget


def select_rows(screen: TrackerScreen, rows: list[int]) -> None:
    selection = screen.table.selectionModel()
    selection.clearSelection()
    for row in rows:
        selection.select(screen.proxy.index(row, 0),
                         QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows)
    selection.setCurrentIndex(screen.proxy.index(rows[0], 0), QItemSelectionModel.SelectionFlag.NoUpdate)


def test_models_pass_the_model_tester(demo_db, qtmodeltester) -> None:
    with demo_db.session() as session:
        rows = tracker_rows(session, today=TODAY)
    model = TrackerTableModel(TODAY)
    model.set_rows(rows)
    qtmodeltester.check(model)
    proxy = TrackerProxy()
    proxy.setSourceModel(model)
    proxy.set_filter(TrackerFilter(search="newsletter"))
    qtmodeltester.check(proxy)
    proxy.sort(0, Qt.SortOrder.DescendingOrder)
    qtmodeltester.check(proxy)
    carry = carry_module.CarryForwardModel(TODAY)
    carry.set_rows(rows[:3])
    qtmodeltester.check(carry)


def test_overdue_rows_stand_out_and_filters_apply(screen, demo_db) -> None:
    model = screen.model
    assert screen.proxy.rowCount() == len(model.rows) > 13
    overdue = model.index(0, COL_FOLLOW_UP)
    assert overdue.data() == "Overdue by 3 days"
    assert overdue.data(Qt.ItemDataRole.BackgroundRole).color().name() == "#f8d7d7"
    assert model.index(1, COL_FOLLOW_UP).data() == "Due in 10 days"
    assert model.index(2, COL_FOLLOW_UP).data(Qt.ItemDataRole.BackgroundRole) is None
    assert "Overdue <b>1</b>" in screen.summary.text()

    screen.organisation.setCurrentIndex(screen.organisation.findText(ICB))
    assert screen.proxy.rowCount() == 5
    screen.overdue.setChecked(True)
    assert screen.proxy.rowCount() == 1
    assert "Showing <b>1</b>" in screen.summary.text()
    screen.clear_filters()
    screen.search.setText("editable newsletter")
    assert screen.proxy.rowCount() == 1
    assert screen.proxy.index(0, 0).data(ROW_ROLE).organisation == "Partnership"
    screen.search.clear()
    screen.status.setCurrentIndex(screen.status.findData("complete"))
    assert screen.proxy.rowCount() == 0


def test_select_change_status_and_add_a_progress_note(screen, demo_db, qtbot, monkeypatch) -> None:
    demo_db.set_user("Jo Business Manager")
    select_rows(screen, [0])
    first = screen.proxy.index(0, 0).data(ROW_ROLE)
    assert screen.detail.title.text() == first.reference

    # completing without evidence asks for it; cancelling changes nothing
    monkeypatch.setattr(CompletionDialog, "ask", classmethod(lambda cls, parent, count, save: False))
    screen.detail.status.setCurrentText("complete")
    screen.detail.status.activated.emit(screen.detail.status.currentIndex())
    assert screen.detail.status.currentText() == "not started"
    with demo_db.session() as session:
        assert session.get(Recommendation, first.id).status == "not started"

    screen.detail.note.setPlainText("Training offer circulated to all practices.")
    qtbot.mouseClick(screen.detail.add_note_button, Qt.MouseButton.LeftButton)
    with demo_db.session() as session:
        note = session.scalar(select(ProgressNote).where(ProgressNote.recommendation_id == first.id))
        assert note.author == "Jo Business Manager" and note.note_date == TODAY
    assert "Training offer circulated" in screen.detail.history.toPlainText()
    assert screen.model.row_by_id(first.id).note_count == 1

    # evidence typed in the side panel is saved on its own a moment later
    screen.detail.evidence.setPlainText("Attendance rose from 12 to 31.")
    qtbot.waitUntil(lambda: screen.detail.save_state.text().startswith("Saved "), timeout=5000)
    with demo_db.session() as session:
        assert session.get(Recommendation, first.id).evidence_of_impact == "Attendance rose from 12 to 31."
    screen.detail.status.setCurrentText("complete")
    screen.detail.status.activated.emit(screen.detail.status.currentIndex())
    assert screen.model.row_by_id(first.id).status == "complete"
    assert "Status changed from not started to complete" in screen.detail.history.toPlainText()


def test_bulk_status_change_for_selected_rows(screen, demo_db, monkeypatch) -> None:
    select_rows(screen, [2, 3, 4])
    ids = screen.selected_ids()
    assert len(ids) == 3 and screen.selected_label.text() == "3 selected"
    screen.bulk_status.setCurrentText("in progress")
    screen.bulk_apply.click()
    with demo_db.session() as session:
        assert {session.get(Recommendation, i).status for i in ids} == {"in progress"}
    asked = []
    monkeypatch.setattr(CompletionDialog, "ask",
                        classmethod(lambda cls, parent, count, save: asked.append(count)
                                                or save("", "Service decommissioned.") or True))
    screen.bulk_status.setCurrentText("complete")
    screen.bulk_apply.click()
    assert asked == [3]
    with demo_db.session() as session:
        recs = [session.get(Recommendation, i) for i in ids]
        assert {r.status for r in recs} == {"complete"} and {r.closed_on for r in recs} == {TODAY}
        assert {r.no_evidence_reason for r in recs} == {"Service decommissioned."}
    assert "Complete <b>3</b>" in screen.summary.text()


def test_carry_forward_panel_in_a_later_round(demo_db, qtbot) -> None:
    with demo_db.session() as session:
        later = create_round(session, "2024-25", copy_from=session.scalar(select(Round)))
        review = Review(round=later, organisation_id=icb_id(session), status="held", review_date=TODAY)
        session.add(review)
        session.flush()
        review_id = review.id
    panel = CarryForwardPanel(demo_db, review_id, today=TODAY)
    qtbot.addWidget(panel)
    refs = [row.reference for row in panel.model.rows]
    assert [r for r in refs if r.startswith("Section 11 2021-22")] == [
        f"Section 11 2021-22, recommendation {n}" for n in range(1, 6)]
    assert panel.windowTitle() == "Earlier recommendations"
    panel.select(panel.model.rows[1].id)
    target = panel.current_row()
    panel.note.setPlainText("A training lead is now in post.")
    panel.in_progress.setChecked(True)
    qtbot.mouseClick(panel.add_button, Qt.MouseButton.LeftButton)
    with demo_db.session() as session:
        rec = session.get(Recommendation, target.id)
        assert rec.status == "in progress"
        assert [n.text for n in rec.progress_notes] == ["Reported at the 2024-25 peer review: A training lead is now in post."]
    assert panel.current_row().id == target.id and panel.current_row().note_count == 1
    assert "Progress note added" in panel.state.text()


def test_install_adds_section_and_menu(demo_db, qtbot) -> None:
    main_window = pytest.importorskip("lgf_desktop.ui.main_window")
    window = main_window.MainWindow(demo_db)
    qtbot.addWidget(window)
    menu_titles = [a.text() for a in window.menuBar().actions()]
    assert "&Tracker" in menu_titles
    screen = window.page("tracker")
    assert isinstance(screen, TrackerScreen)
    wait_for_tasks()
    qtbot.waitUntil(lambda: screen.model.rowCount() > 0, timeout=10000)
