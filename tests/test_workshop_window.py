"""The workshop window driven by keyboard, as a chair would, and what survives a restart."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import QMimeData, Qt
from PySide6.QtTest import QTest
from sqlalchemy import select

from lgf_desktop.db import Database
from lgf_desktop.models import Recommendation, Representative, Response, Review
from lgf_desktop.services.review import workshop as ws
from lgf_desktop.ui.workshop.window import WorkshopWindow
from conftest import DB_PASSPHRASE
from workshop_support import _demo_template, planned_review_id, workshop_db  # noqa: F401



def open_window(qtbot, db, review_id) -> WorkshopWindow:
    window = WorkshopWindow(db, review_id)
    window.clock.ask = lambda parent, question: True  # the demo round is over: starting the clock asks first
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    qtbot.waitUntil(lambda: window.editor.hasFocus())
    return window


def key(widget, k, modifier=Qt.KeyboardModifier.NoModifier) -> None:
    QTest.keyClick(widget, k, modifier)


def focused(qtbot, widget) -> None:
    qtbot.waitUntil(widget.hasFocus, timeout=2000)


@pytest.mark.parametrize("db_passphrase", [None, DB_PASSPHRASE], ids=["plain", "encrypted"])
def test_whole_workshop_by_keyboard_survives_a_restart(qtbot, workshop_db):
    review_id = planned_review_id(workshop_db)
    w = open_window(qtbot, workshop_db, review_id)
    first_theme, second_theme = w.outline_model.themes[0], w.outline_model.themes[1]
    assert w.question_id == first_theme.questions[0].question_id

    key(w.editor, Qt.Key.Key_F5)  # start the clock
    with workshop_db.session() as s:
        assert s.get(Review, review_id).clock_running

    key(w.editor, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)  # tick attendance
    focused(qtbot, w.attendance.panel_view)
    key(w.attendance.panel_view, Qt.Key.Key_Space)
    key(w.attendance.panel_view, Qt.Key.Key_Down)
    key(w.attendance.panel_view, Qt.Key.Key_Space)
    key(w.attendance.panel_view, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    focused(qtbot, w.attendance.name)
    QTest.keyClicks(w.attendance.name, "Ada Jones")
    key(w.attendance.name, Qt.Key.Key_Return)
    QTest.keyClicks(w.attendance.role, "Head of Service")
    key(w.attendance.role, Qt.Key.Key_Return)

    key(w.attendance.name, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)  # back to the response
    focused(qtbot, w.editor)
    QTest.keyClicks(w.editor, "All new staff complete induction within three months.")
    key(w.editor, Qt.Key.Key_R, Qt.KeyboardModifier.ControlModifier)  # a recommendation, then carry on
    focused(qtbot, w.recommendations.entry)
    QTest.keyClicks(w.recommendations.entry, "Record induction completion")
    key(w.recommendations.entry, Qt.Key.Key_Return)
    focused(qtbot, w.editor)
    QTest.keyClicks(w.editor, " Checked by HR.")

    key(w.editor, Qt.Key.Key_Down, Qt.KeyboardModifier.AltModifier)  # next question
    assert w.question_id == first_theme.questions[1].question_id and w.editor.hasFocus()
    QTest.keyClicks(w.editor, "Weekly briefing and intranet page.")

    key(w.editor, Qt.Key.Key_2, Qt.KeyboardModifier.AltModifier)  # jump to the second theme
    assert w.question_id == second_theme.questions[0].question_id and w.editor.hasFocus()
    QTest.keyClicks(w.editor, "Training needs analysis is refreshed every year.")
    key(w.editor, Qt.Key.Key_R, Qt.KeyboardModifier.ControlModifier)
    QTest.keyClicks(w.recommendations.entry, "Share the training needs analysis")
    key(w.recommendations.entry, Qt.Key.Key_Return)
    QTest.keyClicks(w.editor, " More to follow")
    key(w.editor, Qt.Key.Key_F5)  # pause
    with workshop_db.session() as s:
        paused = s.get(Review, review_id)
        assert not paused.clock_running and paused.actual_end is not None
        elapsed = paused.clock_elapsed_seconds
    qtbot.waitUntil(lambda: w.saved_label.text().startswith("Saved "), timeout=2000)  # once the commit returned
    w.close()  # the last words are saved on close, without waiting for the timer

    # Restart: a new connection to the same file, a new window.
    path, passphrase = workshop_db.path, workshop_db.passphrase
    workshop_db.close()
    if passphrase:  # the typed minutes are in no byte of the encrypted file
        wal = Path(f"{path}-wal")
        assert b"Training needs analysis" not in path.read_bytes() + (wal.read_bytes() if wal.exists() else b"")
    db = Database.open(path, passphrase=passphrase)
    try:
        w2 = open_window(qtbot, db, review_id)
        assert w2.question_id == second_theme.questions[0].question_id  # reopens where the chair was
        assert w2.editor.text() == "Training needs analysis is refreshed every year. More to follow"
        assert w2.clock.start_button.text().startswith("Resume")
        with db.session() as s:
            review = s.get(Review, review_id)
            assert not review.clock_running and review.clock_elapsed_seconds == pytest.approx(elapsed)
            assert review.actual_start is not None and review.status == "held"
            responses = {r.question_id: r.text for r in s.scalars(select(Response).where(Response.review_id == review_id))}
            assert responses[first_theme.questions[0].question_id] == (
                "All new staff complete induction within three months. Checked by HR.")
            assert responses[first_theme.questions[1].question_id] == "Weekly briefing and intranet page."
            present = {p.panel_member.person.name for p in review.panel_present}
            assert present == {m.person.name for m in review.round.panel[:2]}
            reps = s.scalars(select(Representative).where(Representative.review_id == review_id)).all()
            assert [(r.name, r.role, r.kind) for r in reps] == [("Ada Jones", "Head of Service", "attended")]
            recs = s.scalars(select(Recommendation).where(Recommendation.review_id == review_id)).all()
            assert sorted((r.question_id, r.text) for r in recs) == sorted([
                (first_theme.questions[0].question_id, "Record induction completion"),
                (second_theme.questions[0].question_id, "Share the training needs analysis")])
            spent = {t.theme_id: t.spent_seconds for t in review.theme_times}
            assert set(spent) >= {first_theme.theme_id}
        checked = [m[2] for m in w2.attendance.panel_model.members]
        assert checked[:2] == [True, True] and not any(checked[2:])
        assert [r[1] for r in w2.recommendations.model.rows] == ["Share the training needs analysis"]
        assert w2.outline_model.themes[0].questions[1].state == "started"
        w2.close()
    finally:
        db.close()


@pytest.mark.parametrize("db_passphrase", [None, DB_PASSPHRASE], ids=["plain", "encrypted"])
def test_autosave_within_a_second_and_on_question_change(qtbot, workshop_db):
    review_id = planned_review_id(workshop_db)
    w = open_window(qtbot, workshop_db, review_id)
    question = w.question_id
    QTest.keyClicks(w.editor, "Typed live")

    def stored() -> str | None:
        with workshop_db.session() as s:
            return s.scalar(select(Response.text).where(Response.review_id == review_id, Response.question_id == question))

    assert stored() is None  # not yet: the save waits for a pause in typing
    qtbot.waitUntil(lambda: stored() == "Typed live", timeout=1000)
    qtbot.waitUntil(lambda: w.saved_label.text().startswith("Saved "), timeout=2000)  # once the commit returned
    QTest.keyClicks(w.editor, ", more")
    w.next_question()  # at once, without waiting for the timer
    assert stored() == "Typed live, more"


def test_undo_redo_and_paste_from_word(qtbot, workshop_db):
    w = open_window(qtbot, workshop_db, planned_review_id(workshop_db))
    mime = QMimeData()
    mime.setHtml("<p><b>Bold</b> para one</p><ul><li>item</li></ul>")
    mime.setText("Bold para one\r\n\r\n\u2022\titem\r\n")
    w.editor.insertFromMimeData(mime)
    assert w.editor.text() == "Bold para one\n\n• item\n"
    assert "<b>" not in w.editor.toPlainText()
    html_only = QMimeData()
    html_only.setHtml("<p>Web <i>para</i></p><p>second</p>")
    w.editor.clear()
    w.editor.insertFromMimeData(html_only)
    assert w.editor.text().split("\n") == ["Web para", "second"]
    w.editor.clear()
    QTest.keyClicks(w.editor, "abc")
    key(w.editor, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert w.editor.text() != "abc"
    key(w.editor, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert w.editor.text() == "abc"


def test_awkward_text_is_shown_and_saved_intact(qtbot, workshop_db):
    review_id = planned_review_id(workshop_db)
    text = "C\x01ntrol\x07 👩‍👧‍👦🙂 مرحبا بالعالم שלום nbsp\u00a0x\n" + "y" * (ws.MAX_RESPONSE_CHARS - 100)
    with workshop_db.session() as s:
        first = ws.get_review(s, review_id).round.questions[0].id
        ws.save_response(s, review_id, first, text)
    w = open_window(qtbot, workshop_db, review_id)
    assert w.editor.text() == text
    w.editor.moveCursor(w.editor.textCursor().MoveOperation.End)
    QTest.keyClicks(w.editor, "!")
    assert w.autosaver.flush()
    with workshop_db.session() as s:
        assert s.scalar(select(Response.text).where(Response.question_id == first, Response.review_id == review_id)) == text + "!"


def test_focus_mode_and_screenshots(qtbot, workshop_db, screenshot):
    review_id = planned_review_id(workshop_db)
    with workshop_db.session() as s:  # a workshop 25 minutes in, the first theme over its budget
        review = ws.get_review(s, review_id)
        first = review.round.questions[0]
        ws.set_current_question(s, review, first.id)
        ws.start_clock(s, review, ws.utcnow() - timedelta(minutes=25))
        ws.save_response(s, review_id, first.id, "Induction within three months; level 3 training for patient-facing staff.\n"
                         "- Named safeguarding lead on every team page\n- Escalation policy linked from the newsletter")
    w = open_window(qtbot, workshop_db, review_id)
    budgets = {b.theme_id: b for b in w.clock.model.rows}
    assert budgets[w.outline_model.themes[0].theme_id].state == "over"
    assert w.outline_model.themes[0].budget_state == "over"
    qtbot.wait(50)
    screenshot(w, "workshop-over-budget.png")
    key(w.editor, Qt.Key.Key_F11)
    assert w.focus_mode and not w.outline.isVisible() and not w.right.isVisible() and not w.menuBar().isVisible()
    assert w.editor.isVisible() and w.question_label.isVisible() and w.editor.hasFocus()
    qtbot.wait(50)
    assert w.editor.width() > 900  # the editor takes the room the hidden columns leave
    screenshot(w, "workshop-focus.png")
    key(w.editor, Qt.Key.Key_Down, Qt.KeyboardModifier.AltModifier)  # shortcuts work with the menus hidden
    assert w.question_id == w.outline_model.themes[0].questions[1].question_id
    key(w.editor, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert not w.focus_mode and w.outline.isVisible()
    with workshop_db.session() as s:
        ws.pause_clock(s, ws.get_review(s, review_id))


def test_shortcuts_are_in_menus_and_help(qtbot, workshop_db):
    w = open_window(qtbot, workshop_db, planned_review_id(workshop_db))
    texts = {a.text(): a.shortcut().toString() for m in w.menuBar().actions() for a in m.menu().actions()}
    assert texts["Next question"] == "Alt+Down"
    assert texts["Add a recommendation to this question"] == "Ctrl+R"
    assert texts["Start / pause the clock"] == "F5"
    from lgf_desktop.ui.workshop.shortcuts import help_html

    html = help_html()
    for words in ("Next question", "Alt+Down", "Focus mode", "F11", "Ctrl+R", "Jump to theme"):
        assert words in html
