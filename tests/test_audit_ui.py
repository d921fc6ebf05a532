"""The audit screens driven like a person would: the scoring grid by keyboard, autosave, warnings,
the immediate-concern banner and moderation."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from sqlalchemy import select

from lgf_desktop.models import Grade, ModeratedGrade
from lgf_desktop.ui.audit.moderation import ModerationView
from lgf_desktop.ui.audit.page import AuditsPage

from audit_helpers import assignment_for, make_audit


@pytest.fixture
def page(qtbot, db):
    make_audit(db)
    widget = AuditsPage(db)
    qtbot.addWidget(widget)
    widget.resize(1366, 768)
    widget.show()
    view = widget.scoring
    view.auditor.setCurrentIndex(view.auditor.findText("Siân Howells (Health)"))
    return widget


def grades_of(db, pseudonym: str) -> list[str | None]:
    with db.session() as session:
        assignment = assignment_for(session, "Siân", pseudonym)
        by_question = {g.question_id: g for g in assignment.grades}
        return [by_question[q.id].grade_option.label if by_question[q.id].grade_option else None
                for q in assignment.case.audit.questions]


def test_scoring_grid_is_driven_by_the_keyboard(qtbot, qtmodeltester, page, db) -> None:
    grid, model = page.scoring.grid, page.scoring.model
    qtmodeltester.check(model)
    assert [r.pseudonym for r in model.rows] == ["Child A", "Child B", "Child C"]
    grid.setFocus()
    assert grid.currentIndex().row() == 0 and grid.currentIndex().column() == 0
    qtbot.keyClick(grid, "2")  # Good, then on to the next question
    assert (grid.currentIndex().row(), grid.currentIndex().column()) == (0, 1)
    qtbot.keyClick(grid, "n")  # Not applicable
    qtbot.keyClick(grid, "x")  # not a key of this scale: nothing happens
    qtbot.keyClick(grid, Qt.Key.Key_Down)
    qtbot.keyClick(grid, Qt.Key.Key_Left)
    assert (grid.currentIndex().row(), grid.currentIndex().column()) == (1, 1)
    qtbot.keyClick(grid, "4")
    assert grades_of(db, "Child A")[:3] == ["Good", "Not applicable", None]
    assert grades_of(db, "Child B")[:3] == [None, "Inadequate", None]
    assert model.data(model.index(0, len(model.questions))) == "2/12"
    assert model.data(model.index(0, 0)) == "Good"
    assert (grid.currentIndex().row(), grid.currentIndex().column()) == (1, 2)
    qtbot.keyClick(grid, Qt.Key.Key_Up)
    qtbot.keyClick(grid, Qt.Key.Key_Left)
    qtbot.keyClick(grid, Qt.Key.Key_Delete)  # clears Child A Q2
    assert grades_of(db, "Child A")[:2] == ["Good", None]
    assert "Siân 2/36" in page.scoring.progress.text()


def test_evidence_is_saved_within_a_second_and_identifying_data_is_warned_about(qtbot, page, db) -> None:
    panel = page.scoring.panel
    qtbot.keyClicks(panel.evidence, "Seen at school; NHS 943 476 5919")
    assert panel.evidence.warning.isVisible()
    assert "looks like an NHS number" in panel.evidence.warning.text()

    def saved() -> None:
        with db.session() as session:
            grade = session.get(Grade, panel.grade_id)
            assert grade.evidence == "Seen at school; NHS 943 476 5919"  # warned about, never altered
    qtbot.waitUntil(saved, timeout=1000)
    panel.evidence.clear()
    qtbot.keyClicks(panel.evidence, "Seen at school.")
    qtbot.waitUntil(lambda: not panel.evidence.warning.isVisible(), timeout=200)


def test_immediate_concern_stands_out_until_resolved(qtbot, page, db, monkeypatch) -> None:
    panel = page.scoring.panel
    panel.concern.setChecked(True)
    panel.flush()
    assert "Say briefly why" in panel.concern_text.warning.text()  # not raised without a reason
    qtbot.keyClicks(panel.concern_text, "Child says there is no food at home.")
    panel.flush()
    page.refresh()
    assert page.banner.isVisible()
    assert "IMMEDIATE CONCERN — Child A" in page.banner.text.text()
    assert page.scoring.model.headerData(0, Qt.Orientation.Vertical) == "⚠ Child A"
    assert page.chooser.currentText().startswith("⚠ ")
    from PySide6.QtWidgets import QInputDialog
    monkeypatch.setattr(QInputDialog, "getMultiLineText", lambda *a, **k: ("Duty social worker visited today.", True))
    page.banner.button.click()
    assert not page.banner.isVisible()
    assert page.scoring.model.headerData(0, Qt.Orientation.Vertical) == "Child A"


def test_moderation_shows_grades_side_by_side_and_takes_the_agreed_grade_by_key(qtbot, qtmodeltester, db) -> None:
    make_audit(db)
    view = ModerationView(db)
    qtbot.addWidget(view)
    with db.session() as session:
        audit_id = assignment_for(session, "Siân", "Child C").case.audit_id
    view.load(audit_id)
    qtmodeltester.check(view.model)
    model = view.model
    assert [model.headerData(c, Qt.Orientation.Horizontal) for c in (0, 1, model.columnCount() - 1)] == ["Case", "Question", "Agreed"]
    view.table.setFocus()
    view.table.setCurrentIndex(view.proxy.index(0, 0))
    qtbot.keyClick(view.table, "3")
    with db.session() as session:
        agreed = session.scalars(select(ModeratedGrade)).one()
        assert (agreed.case.pseudonym, agreed.grade_option.label) == ("Child A", "Requires improvement")
    assert view.table.currentIndex().row() == 1


def test_setup_assigns_cases_by_ticking_and_refuses_to_drop_started_work(qtbot, qtmodeltester, page, db,
                                                                          shown_errors) -> None:
    page.tabs.setCurrentWidget(page.setup)
    model = page.setup.model
    qtmodeltester.check(model)
    column = 1 + [name for _, name in model.auditors].index("Siân Howells\nHealth")
    d_row = [c[1] for c in model.cases].index("Child D")
    assert model.setData(model.index(d_row, column), Qt.CheckState.Checked.value, Qt.ItemDataRole.CheckStateRole)
    with db.session() as session:
        assert "Health" in [a.organisation.display_name for a in assignment_for(session, "Siân", "Child D").case.agencies]
    assert model.setData(model.index(d_row, 0), "5-9")
    assert not model.setData(model.index(d_row, 0), "14/03/2016")  # not an age band: refused, unchanged
    assert model.data(model.index(d_row, 0)) == "5-9" and "age band" in shown_errors[-1].text
    page.scoring.load(page.audit_id)
    grid = page.scoring.grid
    grid.setFocus()
    qtbot.keyClick(grid, "1")  # Siân grades Child A Q1
    a_row = [c[1] for c in model.cases].index("Child A")
    assert not model.setData(model.index(a_row, column), Qt.CheckState.Unchecked.value, Qt.ItemDataRole.CheckStateRole)
    assert "already recorded work on Child A" in shown_errors[-1].text
    assert model.setData(model.index(d_row, column), Qt.CheckState.Unchecked.value, Qt.ItemDataRole.CheckStateRole)
