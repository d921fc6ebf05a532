"""The scoring grid as an auditor drives it: the legend says a grade key moves on and where, the move
is a visible setting (right / down / stay) that is remembered, and grade keys mixed with arrow keys
grade the cells the auditor meant."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from lgf_desktop.ui.audit.page import AuditsPage
from lgf_desktop.ui.audit.scoring import MOVE_SETTING
from lgf_desktop.ui.settings import settings

from audit_helpers import make_audit
from test_audit_ui import grades_of


@pytest.fixture(autouse=True)
def _forget_the_move():
    """QSettings is cached per process: leave the default for the next test."""
    yield
    settings().remove(MOVE_SETTING)


def open_page(qtbot, db) -> AuditsPage:
    widget = AuditsPage(db)
    qtbot.addWidget(widget)
    widget.resize(1366, 768)
    widget.show()
    view = widget.scoring
    view.auditor.setCurrentIndex(view.auditor.findText("Siân Howells (Health)"))
    return widget


def choose(view, move: str) -> None:
    view.after_grade.setCurrentIndex(view.after_grade.findData(move))


def at(grid) -> tuple[int, int]:
    return grid.currentIndex().row(), grid.currentIndex().column()


@pytest.mark.parametrize("move, says", [("right", "moves right (next question)"),
                                        ("down", "moves down (next case)"), ("stay", "stays on the cell")])
def test_the_legend_says_where_a_grade_key_moves(qtbot, db, move, says):
    make_audit(db)
    view = open_page(qtbot, db).scoring
    choose(view, move)
    assert f"A grade key grades the cell and then {says}." in view.keys.text()
    assert view.after_grade.isVisible() and view.after_grade.currentText() == says


def test_the_move_setting_is_remembered(qtbot, db):
    make_audit(db)
    choose(open_page(qtbot, db).scoring, "down")
    again = open_page(qtbot, db).scoring
    assert again.after_grade.currentData() == "down" and again.grid.move == "down"


def test_moving_down_grades_a_question_across_cases_with_arrows_between(qtbot, db):
    make_audit(db)
    view = open_page(qtbot, db).scoring
    choose(view, "down")
    grid = view.grid
    grid.setFocus()
    qtbot.keyClick(grid, "2")  # Child A Q1 Good, down to Child B Q1
    assert at(grid) == (1, 0)
    qtbot.keyClick(grid, "3")  # Child B Q1, down to Child C Q1
    qtbot.keyClick(grid, Qt.Key.Key_Up)  # back to Child B to think again
    qtbot.keyClick(grid, Qt.Key.Key_Right)  # then Child B Q2 instead
    qtbot.keyClick(grid, "1")
    assert at(grid) == (2, 1)
    qtbot.keyClick(grid, "4")  # Child C Q2; the last case: on to the next question's first case
    assert at(grid) == (0, 2)
    assert grades_of(db, "Child A")[:3] == ["Good", None, None]
    assert grades_of(db, "Child B")[:3] == ["Requires improvement", "Outstanding", None]
    assert grades_of(db, "Child C")[:3] == [None, "Inadequate", None]


def test_moving_right_and_staying_with_arrows_between(qtbot, db):
    make_audit(db)
    view = open_page(qtbot, db).scoring
    grid = view.grid
    grid.setFocus()
    choose(view, "right")
    qtbot.keyClick(grid, "2")  # Child A Q1, right to Q2
    qtbot.keyClick(grid, Qt.Key.Key_Down)  # Child B Q2
    qtbot.keyClick(grid, "n")  # graded, right to Child B Q3
    assert at(grid) == (1, 2)
    choose(view, "stay")
    qtbot.keyClick(grid, "3")
    qtbot.keyClick(grid, "4")  # stayed: a second key corrects the same cell
    assert at(grid) == (1, 2)
    qtbot.keyClick(grid, Qt.Key.Key_Down)
    qtbot.keyClick(grid, "1")
    assert grades_of(db, "Child A")[:3] == ["Good", None, None]
    assert grades_of(db, "Child B")[:3] == [None, "Not applicable", "Inadequate"]
    assert grades_of(db, "Child C")[:3] == [None, None, "Outstanding"]
