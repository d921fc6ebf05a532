"""Esc goes back to the response from every side widget of the workshop, and Space ticks attendance
only after the chair moved to the list on purpose. Keys go to the focused widget, as a user's would."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QPlainTextEdit, QPushButton

from lgf_desktop.models import NoteContribution, Review
from lgf_desktop.ui.workshop.shortcuts import help_html
from lgf_desktop.ui.workshop.window import WorkshopWindow
from workshop_support import _demo_template, planned_review_id, workshop_db  # noqa: F401

CTRL, SHIFT = Qt.KeyboardModifier.ControlModifier, Qt.KeyboardModifier.ShiftModifier


def open_window(qtbot, db) -> WorkshopWindow:
    review_id = planned_review_id(db)
    with db.session() as session:  # a note waiting on the first question, so the notes panel shows
        review = session.get(Review, review_id)
        first = review.round.themes[0].questions[0]
        session.add(NoteContribution(review=review, question=first, author="Sam Patel", text="Sam's notes."))
    window = WorkshopWindow(db, review_id)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    qtbot.waitUntil(window.editor.hasFocus)
    return window


def press(k, modifier=Qt.KeyboardModifier.NoModifier) -> None:
    """A key to whatever has the focus, as the keyboard would send it."""
    QTest.keyClick(QApplication.focusWidget(), k, modifier)


def type_text(text: str) -> None:
    QTest.keyClicks(QApplication.focusWidget(), text)


def saved_response(db, window) -> str:
    window.autosaver.save_now()
    with db.session() as session:
        review = session.get(Review, window.review_id)
        return next((r.text for r in review.responses if r.question_id == window.question_id), "")


def tab_to(qtbot, widget) -> None:
    """Reach a widget the way a stray Tab would."""
    widget.setFocus(Qt.FocusReason.TabFocusReason)
    qtbot.waitUntil(widget.hasFocus, timeout=2000)


# Each way to a side widget: by its shortcut where it has one, else by Tab.
def via_ctrl_l(qtbot, w):
    press(Qt.Key.Key_L, CTRL)
    return w.attendance.panel_view


def via_ctrl_shift_l(qtbot, w):
    press(Qt.Key.Key_L, CTRL | SHIFT)
    return w.attendance.name


def role_after_name(qtbot, w):
    press(Qt.Key.Key_L, CTRL | SHIFT)
    type_text("Ada Jones")
    press(Qt.Key.Key_Return)
    return w.attendance.role


def via_ctrl_r(qtbot, w):
    press(Qt.Key.Key_R, CTRL)
    return w.recommendations.entry


def via_ctrl_shift_r(qtbot, w):
    press(Qt.Key.Key_R, CTRL | SHIFT)
    return w.partnership.entry


def carry_forward(w):
    return next(p for p in w.extra_panels if p.windowTitle() == "Earlier recommendations")


def by_tab(name, find, tab=None):
    def reach(qtbot, w):
        if tab is not None:
            w.tabs.setCurrentWidget(tab(w))
        widget = find(w)
        tab_to(qtbot, widget)
        return widget
    reach.__name__ = name
    return reach


SIDE_WIDGETS = [
    via_ctrl_l, via_ctrl_shift_l, role_after_name, via_ctrl_r, via_ctrl_shift_r,
    by_tab("representatives_table", lambda w: w.attendance.reps_view),
    by_tab("question_recommendations", lambda w: w.recommendations.view),
    by_tab("partnership_recommendations", lambda w: w.partnership.view, lambda w: w.partnership),
    by_tab("clock_start_button", lambda w: w.clock.start_button),
    by_tab("clock_length", lambda w: w.clock.length),
    by_tab("theme_table", lambda w: w.clock.table),
    by_tab("right_tabs", lambda w: w.tabs.tabBar()),
    by_tab("outline", lambda w: w.outline),
    by_tab("notes_text", lambda w: w.notes.findChildren(QPlainTextEdit)[0]),
    by_tab("notes_button", lambda w: w.notes.findChildren(QPushButton)[0]),
    by_tab("earlier_recommendations", lambda w: carry_forward(w).list, carry_forward),
]


@pytest.mark.parametrize("reach", SIDE_WIDGETS, ids=lambda f: f.__name__)
def test_esc_from_each_side_widget_returns_to_the_response(qtbot, workshop_db, reach):
    w = open_window(qtbot, workshop_db)
    type_text("The designated lead")
    widget = reach(qtbot, w)
    qtbot.waitUntil(widget.hasFocus, timeout=2000)
    assert widget.isVisible()
    press(Qt.Key.Key_Escape)
    qtbot.waitUntil(w.editor.hasFocus, timeout=2000)
    type_text(" reports to the board.")  # the next sentence lands in the response, and is saved
    assert saved_response(workshop_db, w) == "The designated lead reports to the board."


def test_esc_while_editing_a_theme_budget_first_cancels_the_edit(qtbot, workshop_db):
    w = open_window(qtbot, workshop_db)
    w.clock.table.setCurrentIndex(w.clock.model.index(0, 1))
    tab_to(qtbot, w.clock.table)
    press(Qt.Key.Key_F2)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is not w.clock.table, timeout=2000)
    before = w.clock.model.rows[0].budget_seconds
    type_text("55")
    press(Qt.Key.Key_Escape)  # cancels the edit, stays in the table
    qtbot.waitUntil(w.clock.table.hasFocus, timeout=2000)
    assert w.clock.model.rows[0].budget_seconds == before
    press(Qt.Key.Key_Escape)
    qtbot.waitUntil(w.editor.hasFocus, timeout=2000)


def test_after_adding_a_representative_the_cursor_is_in_the_outlined_name_box(qtbot, workshop_db):
    w = open_window(qtbot, workshop_db)
    press(Qt.Key.Key_L, CTRL | SHIFT)
    type_text("Ada Jones")
    press(Qt.Key.Key_Return)
    type_text("Head of Service")
    press(Qt.Key.Key_Return)
    qtbot.waitUntil(w.attendance.name.hasFocus, timeout=2000)
    assert w.attendance.name.isVisible() and w.attendance.name.text() == ""
    # The focused box is drawn with the window's focus outline.
    assert "QLineEdit:focus" in w.styleSheet()
    assert w.attendance.reps_model.rows[0][1:3] == ("Ada Jones", "Head of Service")


def test_shortcuts_from_focus_mode_never_leave_the_cursor_in_a_hidden_box(qtbot, workshop_db):
    w = open_window(qtbot, workshop_db)
    for keys, target in (((Qt.Key.Key_G, CTRL), lambda: w.outline),
                         ((Qt.Key.Key_L, CTRL), lambda: w.attendance.panel_view),
                         ((Qt.Key.Key_L, CTRL | SHIFT), lambda: w.attendance.name),
                         ((Qt.Key.Key_R, CTRL | SHIFT), lambda: w.partnership.entry),
                         ((Qt.Key.Key_R, CTRL), lambda: w.recommendations.entry)):
        press(Qt.Key.Key_F11)
        assert w.focus_mode and w.editor.hasFocus()
        press(*keys)
        qtbot.waitUntil(target().hasFocus, timeout=2000)
        focus = QApplication.focusWidget()
        assert focus.isVisible() and focus.width() > 0, keys
        press(Qt.Key.Key_Escape)
        qtbot.waitUntil(w.editor.hasFocus, timeout=2000)


def present(w) -> list[bool]:
    return [m[2] for m in w.attendance.panel_model.members]


def test_space_ticks_attendance_after_ctrl_l_and_arrows(qtbot, workshop_db):
    w = open_window(qtbot, workshop_db)
    before = present(w)
    press(Qt.Key.Key_L, CTRL)
    press(Qt.Key.Key_Space)
    press(Qt.Key.Key_Down)
    press(Qt.Key.Key_Space)
    assert present(w)[:2] == [not before[0], not before[1]]
    with workshop_db.session() as session:
        assert len(session.get(Review, w.review_id).panel_present) == sum(present(w))


def test_space_after_a_stray_tab_into_attendance_ticks_nobody(qtbot, workshop_db):
    w = open_window(qtbot, workshop_db)
    press(Qt.Key.Key_L, CTRL)
    press(Qt.Key.Key_Space)  # the chair ticks themself on purpose
    press(Qt.Key.Key_Escape)
    qtbot.waitUntil(w.editor.hasFocus, timeout=2000)
    ticked = present(w)
    tab_to(qtbot, w.attendance.panel_view)  # a stray Tab: the chair goes on typing a sentence
    type_text("Jo said the audit is due in May")
    assert present(w) == ticked
    assert w.attendance.panel_view.hint.isVisible()
    press(Qt.Key.Key_Down)  # an arrow is on purpose: now Space ticks
    press(Qt.Key.Key_Space)
    assert present(w) != ticked
    with workshop_db.session() as session:
        assert len(session.get(Review, w.review_id).panel_present) == sum(present(w))


def test_f1_sheet_states_the_rules():
    sheet = help_html()
    assert "Esc" in sheet and "Tab" in sheet and "arrow key" in sheet


def test_a_question_opens_with_the_cursor_after_its_answer(qtbot, workshop_db):
    w = open_window(qtbot, workshop_db)
    type_text("First point.")
    press(Qt.Key.Key_Down, Qt.KeyboardModifier.AltModifier)
    press(Qt.Key.Key_Up, Qt.KeyboardModifier.AltModifier)  # back to the answered question
    type_text(" Second point.")
    assert saved_response(workshop_db, w) == "First point. Second point."
