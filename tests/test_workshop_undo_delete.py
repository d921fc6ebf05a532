"""Deleting in the workshop asks first and can be undone (issue 2): a recommendation under its
question, a partnership recommendation, and a representative or apology."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QItemSelectionModel, Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QMessageBox
from sqlalchemy import select

from lgf_desktop.models import Recommendation, Representative
from lgf_desktop.services.review import workshop as ws
from lgf_desktop.ui.workshop.shortcuts import UNDO_SHORTCUT, help_html
from lgf_desktop.ui.workshop.window import WorkshopWindow
from workshop_support import _demo_template, planned_review_id, workshop_db  # noqa: F401


class Answers(list):
    """The answers still to give ("yes"/"no"), and in ``asked`` every question shown (an error shown
    fails the test: see conftest's ``shown_errors``)."""

    def __init__(self) -> None:
        super().__init__()
        self.asked: list[str] = []


@pytest.fixture
def answers(monkeypatch: pytest.MonkeyPatch) -> Answers:
    """pytest-qt's dialog pattern: QMessageBox.question is replaced and answers from the list."""
    queue = Answers()
    asked = queue.asked

    def question(parent, title, text, *args, **kwargs):
        asked.append(text)
        return QMessageBox.StandardButton.Yes if queue.pop(0) == "yes" else QMessageBox.StandardButton.No

    monkeypatch.setattr(QMessageBox, "question", staticmethod(question))
    return queue


def open_window(qtbot, db, review_id) -> WorkshopWindow:
    window = WorkshopWindow(db, review_id)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)  # a window left by an earlier test must not keep the keys
    qtbot.waitUntil(lambda: window.editor.hasFocus())
    return window


def recommendation_rows(db, review_id: int) -> list[tuple[str, int | None, str]]:
    with db.session() as s:
        return [(r.uuid, r.question_id, r.text)
                for r in s.scalars(select(Recommendation).where(Recommendation.review_id == review_id))]


def select_row(view, row: int) -> None:
    """Select a row as a click would (``selectRow`` toggles when an earlier test left Ctrl "held")."""
    flags = QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows
    view.selectionModel().setCurrentIndex(view.model().index(row, 0), flags)


def press_delete(qtbot, view, row: int = 0) -> None:
    view.setFocus()
    qtbot.waitUntil(view.hasFocus, timeout=2000)
    select_row(view, row)
    QTest.keyClick(view, Qt.Key.Key_Delete)


def test_delete_recommendation_asks_and_undo_brings_it_back_under_its_question(qtbot, workshop_db, answers):
    review_id = planned_review_id(workshop_db)
    w = open_window(qtbot, workshop_db, review_id)
    first = w.question_id
    with workshop_db.session() as s:
        ws.add_recommendation(s, ws.get_review(s, review_id), first, "Audit induction records each term")
    w.recommendations.refresh()
    before = recommendation_rows(workshop_db, review_id)
    assert [text for _, _, text in before] == ["Audit induction records each term"]
    undo = w.actions_by_key["undo_delete"]
    assert not undo.isEnabled()

    answers.append("no")  # Delete asks; No keeps it
    press_delete(qtbot, w.recommendations.view)
    assert "Delete the recommendation “Audit induction records each term”?" in answers.asked[0]
    assert UNDO_SHORTCUT in answers.asked[0]
    assert recommendation_rows(workshop_db, review_id) == before
    assert w.recommendations.model.rowCount() == 1 and not undo.isEnabled()

    answers.append("yes")
    press_delete(qtbot, w.recommendations.view)
    assert len(answers.asked) == 2
    assert recommendation_rows(workshop_db, review_id) == []
    assert w.recommendations.model.rowCount() == 0
    assert undo.isEnabled() and "Audit induction" in undo.text()

    w.next_question()  # the chair has moved on when they realise
    assert w.question_id != first
    QTest.keySequence(w, QKeySequence(UNDO_SHORTCUT))  # the window-wide shortcut, as the chair presses it
    assert recommendation_rows(workshop_db, review_id) == before  # same uuid, question and text
    assert w.question_id == first  # shown again under its question
    assert [text for _, text in w.recommendations.model.rows] == ["Audit induction records each term"]
    assert not undo.isEnabled() and undo.text() == "Undo delete"


def test_partnership_recommendation_and_representative(qtbot, workshop_db, answers):
    review_id = planned_review_id(workshop_db)
    w = open_window(qtbot, workshop_db, review_id)
    with workshop_db.session() as s:
        review = ws.get_review(s, review_id)
        ws.add_partnership_recommendation(s, review.round_id, "Share the learning partnership-wide")
        ws.add_representative(s, review, "Ada Jones", "Head of Service", "attended")
        ws.add_representative(s, review, "Sam Patel", "Designated lead", "apologies")
    w.partnership.refresh()
    w.attendance.refresh()
    partnership_texts = [text for _, text in w.partnership.model.rows]
    assert "Share the learning partnership-wide" in partnership_texts
    row = partnership_texts.index("Share the learning partnership-wide")

    answers.extend(["yes", "no", "yes"])
    select_row(w.partnership.view, row)
    w.partnership.delete_selected()
    assert "Share the learning partnership-wide" not in [text for _, text in w.partnership.model.rows]

    apologies = next(i for i, r in enumerate(w.attendance.reps_model.rows) if r[1] == "Sam Patel")
    w.tabs.setCurrentWidget(w.attendance)
    press_delete(qtbot, w.attendance.reps_view, apologies)  # answered No: Sam's apologies stay
    assert "Delete Sam Patel's apologies?" in answers.asked[-1]
    assert any(r[1] == "Sam Patel" for r in w.attendance.reps_model.rows)
    w.attendance.remove_selected()  # Yes
    with workshop_db.session() as s:
        kept = {r.name for r in s.scalars(select(Representative).where(Representative.review_id == review_id))}
    assert kept == {"Ada Jones"}

    w.undo_delete()  # newest first: Sam's apologies
    with workshop_db.session() as s:
        sam = s.scalar(select(Representative).where(Representative.name == "Sam Patel"))
        assert sam is not None and sam.kind == "apologies" and sam.role == "Designated lead"
    assert w.tabs.currentWidget() is w.attendance
    assert any(r[1] == "Sam Patel" for r in w.attendance.reps_model.rows)
    w.undo_delete()  # then the partnership recommendation
    assert "Share the learning partnership-wide" in [text for _, text in w.partnership.model.rows]
    assert not w.actions_by_key["undo_delete"].isEnabled()


def test_undo_delete_is_in_the_menu_and_the_help(qtbot, workshop_db):
    w = open_window(qtbot, workshop_db, planned_review_id(workshop_db))
    menu = next(a.menu() for a in w.menuBar().actions() if a.text() == "&Recommendation")
    assert w.actions_by_key["undo_delete"] in menu.actions()
    assert w.actions_by_key["undo_delete"].shortcut().toString() == UNDO_SHORTCUT
    html = help_html()
    assert "Undo delete" in html and UNDO_SHORTCUT in html and "after asking" in html
