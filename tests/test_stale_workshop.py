"""Two windows on one response: a save never overwrites a change made elsewhere. With nothing typed
since, the screen refreshes quietly; with typing on both sides, both texts are kept and the chair
chooses. Ctrl+Z undoes a word or a typing burst, never a whole answer."""

from __future__ import annotations

import time

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from sqlalchemy import select

from lgf_desktop.db import Database
from lgf_desktop.errors import StaleEdit
from lgf_desktop.models import Response
from lgf_desktop.services.review import workshop as ws
from lgf_desktop.ui import conflict
from workshop_support import _demo_template, open_workshop, planned_review_id, workshop_db  # noqa: F401



def stored(db, review_id, question_id) -> tuple[str, int]:
    with db.session() as s:
        r = s.scalar(select(Response).where(Response.review_id == review_id, Response.question_id == question_id))
        return (r.text, r.version) if r else ("", 0)


@pytest.fixture
def two_windows(qtbot, workshop_db):
    """The same workshop open twice, each over its own connection to the file (as two processes)."""
    review_id = planned_review_id(workshop_db)
    other_db = Database.open(workshop_db.path)
    first = open_workshop(qtbot, workshop_db, review_id)
    second = open_workshop(qtbot, other_db, review_id)
    yield first, second, review_id
    second.close()
    other_db.close()


def test_service_refuses_a_save_based_on_an_older_version(workshop_db) -> None:
    review_id = planned_review_id(workshop_db)
    with workshop_db.session() as s:
        question_id = s.scalar(select(Response.question_id).limit(1)) or ws.get_review(s, review_id).round.questions[0].id
        question_id = ws.get_review(s, review_id).round.questions[0].id
        assert ws.save_response(s, review_id, question_id, "Chair: induction.", 0) == 1
    with workshop_db.session() as s:
        assert ws.save_response(s, review_id, question_id, "Chair: induction within 3 months.", 1) == 2
    with pytest.raises(StaleEdit) as refused, workshop_db.session() as s:
        ws.save_response(s, review_id, question_id, "Old screen's words", 1)
    assert refused.value.current_text == "Chair: induction within 3 months." and refused.value.current_version == 2
    assert "changed elsewhere" in str(refused.value) and str(refused.value).endswith("since you opened it.")
    assert stored(workshop_db, review_id, question_id) == ("Chair: induction within 3 months.", 2)
    with pytest.raises(StaleEdit), workshop_db.session() as s:  # "no response yet" is a version too
        ws.save_response(s, review_id, question_id, "A second first answer", 0)


def test_a_clean_window_refreshes_quietly_when_the_other_saves(qtbot, two_windows) -> None:
    first, second, review_id = two_windows
    assert first.question_id == second.question_id
    QTest.keyClicks(second.editor, "Typed in the second window.")
    assert second.autosaver.flush()
    first.refresh_from_database()  # what the data watcher triggers after the other's commit
    assert first.editor.text() == "Typed in the second window."
    assert not first.autosaver.pending
    QTest.keyClicks(first.editor, " And more from the first.")
    assert first.autosaver.flush()
    assert stored(first.db, review_id, first.question_id)[0] == "Typed in the second window. And more from the first."


@pytest.mark.parametrize("choice, expected", [
    (conflict.KEEP_BOTH, "Theirs: typed in the second window.\n\nMine: typed in the first."),
    (conflict.KEEP_MINE, "Mine: typed in the first."),
    (conflict.KEEP_THEIRS, "Theirs: typed in the second window."),
])
def test_typing_in_both_windows_keeps_both_texts_until_the_chair_chooses(qtbot, two_windows, monkeypatch,
                                                                          choice, expected) -> None:
    first, second, review_id = two_windows
    asked = []

    def ask(cls, parent, message, theirs, mine, what="answer"):
        asked.append((message, theirs, mine))
        return choice

    monkeypatch.setattr(conflict.ConflictDialog, "ask", classmethod(ask))
    QTest.keyClicks(second.editor, "Theirs: typed in the second window.")
    assert second.autosaver.flush()
    QTest.keyClicks(first.editor, "Mine: typed in the first.")  # before the first saw the change
    first.refresh_from_database()  # unsaved typing: not replaced under the chair's fingers
    assert first.editor.text() == "Mine: typed in the first."
    assert first.autosaver.flush()
    assert len(asked) == 1
    message, theirs, mine = asked[0]
    assert (theirs, mine) == ("Theirs: typed in the second window.", "Mine: typed in the first.")
    assert message.startswith("This answer was changed elsewhere") and message.endswith("since you opened it.")
    assert first.editor.text() == expected
    assert stored(first.db, review_id, first.question_id)[0] == expected
    second.refresh_from_database()
    assert second.editor.text() == expected


def test_conflict_dialog_shows_both_texts_and_closing_it_keeps_both(qtbot) -> None:
    dialog = conflict.ConflictDialog(None, "This answer was changed elsewhere (by Sam at 14:03) since you opened it.",
                                     "theirs text", "mine text")
    qtbot.addWidget(dialog)
    assert dialog.theirs_view.toPlainText() == "theirs text" and dialog.mine_view.toPlainText() == "mine text"
    assert dialog.theirs_view.isReadOnly() and dialog.mine_view.isReadOnly()
    dialog.show()
    QTest.keyClick(dialog, Qt.Key.Key_Escape)
    assert dialog.choice == conflict.KEEP_BOTH
    dialog = conflict.ConflictDialog(None, "m", "theirs text", "mine text")
    qtbot.addWidget(dialog)
    dialog.keep_mine.click()
    assert dialog.choice == conflict.KEEP_MINE


def test_keeping_both_appends_only_what_was_typed_here_when_theirs_kept_the_rest() -> None:
    """Two people added to the same long answer: keeping both writes the shared answer once, then
    what this screen typed (from the start of the word it began in); when theirs rewrote what this
    screen started from, all of mine is appended, as nothing may be lost."""
    base = "The lead said the findings were shared with the board in M"
    theirs = base + " [Corrected: the sample was shared in April.]"
    mine = base + "arch. The chair asked for it in writing."
    assert conflict.combine(conflict.KEEP_BOTH, theirs, mine, base) == (
        theirs + "\n\nMarch. The chair asked for it in writing.")
    rewritten = "Rewritten elsewhere."
    assert conflict.combine(conflict.KEEP_BOTH, rewritten, mine, base) == rewritten + "\n\n" + mine
    assert conflict.combine(conflict.KEEP_BOTH, "Theirs.", "Mine.", "") == "Theirs.\n\nMine."
    assert conflict.combine(conflict.KEEP_MINE, theirs, mine, base) == mine
    assert conflict.combine(conflict.KEEP_THEIRS, theirs, mine, base) == theirs


def test_conflict_dialog_highlights_what_each_side_alone_has_and_shows_it_in_a_long_answer(qtbot) -> None:
    """A long answer changed at its end on both sides: each view highlights the words the other
    lacks and is scrolled to them, so the chair sees the difference without reading both through."""
    shared = "\n".join(f"Line {n} of the minutes, as both sides have it." for n in range(60))
    theirs, mine = shared + " Corrected by the business manager.", shared + " The chair asked for it in writing."
    dialog = conflict.ConflictDialog(None, "m", theirs, mine)
    qtbot.addWidget(dialog)
    dialog.resize(1000, 520)
    dialog.show()
    qtbot.waitExposed(dialog)
    for view, alone in ((dialog.theirs_view, "Corrected by the business manager."),
                        (dialog.mine_view, "The chair asked for it in writing.")):
        plain = view.toPlainText().replace("\u2028", "\n")
        assert plain == (theirs if view is dialog.theirs_view else mine)
        highlighted = []
        block = view.document().begin()
        while block.isValid():
            fragments = block.begin()
            while not fragments.atEnd():
                fragment = fragments.fragment()
                if fragment.charFormat().background().color().name() == "#ffe08a":
                    highlighted.append(fragment.text())
                fragments += 1
            block = block.next()
        assert " ".join(highlighted) == alone
        assert view.verticalScrollBar().value() > 0  # the last lines, where they differ, are in view
    dialog.close()


def test_ctrl_z_undoes_the_last_burst_not_the_whole_answer(qtbot, workshop_db, monkeypatch) -> None:
    review_id = planned_review_id(workshop_db)
    w = open_workshop(qtbot, workshop_db, review_id)
    clock = [100.0]
    monkeypatch.setattr(w.editor, "now", lambda: clock[0])

    def burst(text: str) -> None:
        for ch in text:
            QTest.keyClicks(w.editor, ch)
            clock[0] += 0.1  # steady typing, no pause

    burst("Induction")
    clock[0] += 8  # the room talks
    burst(" tracked")
    clock[0] += 8
    burst("monthly")
    assert w.editor.text() == "Induction trackedmonthly"
    QTest.keyClick(w.editor, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert w.editor.text() == "Induction tracked"
    QTest.keyClick(w.editor, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert w.editor.text() == "Induction"


def test_ctrl_z_undoes_one_word_of_steady_typing(qtbot, workshop_db, monkeypatch) -> None:
    review_id = planned_review_id(workshop_db)
    w = open_workshop(qtbot, workshop_db, review_id)
    clock = [0.0]
    monkeypatch.setattr(w.editor, "now", lambda: clock[0])
    for ch in "The panel heard about induction\nand supervision":
        if ch == "\n":
            QTest.keyClick(w.editor, Qt.Key.Key_Return)
        else:
            QTest.keyClicks(w.editor, ch)
        clock[0] += 0.12
    QTest.keyClick(w.editor, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert w.editor.text() == "The panel heard about induction\nand "
    for _ in range(2):
        QTest.keyClick(w.editor, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert w.editor.text() == "The panel heard about induction"


def edit_in_place(panel, text: str):
    """Double-click-and-type, as the chair does: the in-place editor of the first recommendation."""
    index = panel.model.index(0, 0)
    panel.view.setCurrentIndex(index)
    panel.view.edit(index)
    editor = next(iter(panel.editing))
    editor.selectAll()
    QTest.keyClicks(editor, text)
    return editor


def test_a_recommendation_edited_in_both_windows_asks_which_to_keep(qtbot, two_windows, monkeypatch) -> None:
    first, second, review_id = two_windows
    first.recommendations.entry.setText("Audit supervision records quarterly.")
    first.recommendations.add_from_entry()
    second.recommendations.refresh()
    rec_id = second.recommendations.model.rows[0][0]
    asked = []
    monkeypatch.setattr(conflict.ConflictDialog, "ask", classmethod(
        lambda cls, parent, message, theirs, mine, what="answer": asked.append((what, theirs, mine)) or conflict.KEEP_MINE))
    first.show()
    editor = edit_in_place(first.recommendations, "Audit supervision records every quarter and report to the board.")
    QTest.keyClick(editor, Qt.Key.Key_Return)
    assert first.recommendations.flush()
    second.show()
    editor = edit_in_place(second.recommendations, "Audit supervision records quarterly, starting in June.")  # old copy
    QTest.keyClick(editor, Qt.Key.Key_Return)
    assert second.recommendations.flush()
    assert asked == [("recommendation", "Audit supervision records every quarter and report to the board.",
                      "Audit supervision records quarterly, starting in June.")]
    from lgf_desktop.models import Recommendation
    with first.db.session() as s:
        assert s.get(Recommendation, rec_id).text == "Audit supervision records quarterly, starting in June."


@pytest.mark.timing
def test_a_recommendation_typed_in_place_is_saved_within_a_second_without_enter(qtbot, two_windows) -> None:
    """Steady typing in the in-place editor: saved by the one autosave (journalled first), the
    editor still open and the chair still in it; the list never waits for the database."""
    from lgf_desktop.journal import Journal, journal_path
    from lgf_desktop.models import Recommendation

    window, _second, _review_id = two_windows
    panel = window.recommendations
    panel.entry.setText("Audit supervision records quarterly.")
    panel.add_from_entry()
    rec_id = panel.model.rows[0][0]
    window.show()
    editor = edit_in_place(panel, "Audit supervision")
    start = time.monotonic()
    typed = "Audit supervision"
    while time.monotonic() - start < 1.6:  # a key every 100 ms: never a pause the debounce waits for
        QTest.keyClicks(editor, "x")
        typed += "x"
        qtbot.wait(100)
        if time.monotonic() - start < 0.3:
            window.db.journal.flush()
            assert [e.text for e in Journal(journal_path(window.db.path)).entries()][-1:] == [typed]
    with window.db.read() as s:
        stored = s.get(Recommendation, rec_id).text
    assert typed.startswith(stored) and len(stored) >= len("Audit supervision") + 5
    assert panel.editing and editor.isVisible() and editor.text() == typed  # still typing in it
    QTest.keyClick(editor, Qt.Key.Key_Return)
    assert panel.flush()
    with window.db.read() as s:
        assert s.get(Recommendation, rec_id).text == typed


@pytest.mark.parametrize("make", ["review comment", "audit evidence", "tracker evidence"])
def test_other_free_text_boxes_undo_a_burst_too(qtbot, monkeypatch, make) -> None:
    from lgf_desktop.ui.audit.side_panel import WatchedText
    from lgf_desktop.ui.forms.common import AutoSaveText
    from lgf_desktop.ui.typing_undo import UndoableText
    box = {"review comment": AutoSaveText, "audit evidence": lambda: WatchedText(""),
           "tracker evidence": UndoableText}[make]()
    qtbot.addWidget(box)
    box.show()
    clock = [0.0]
    monkeypatch.setattr(box, "now", lambda: clock[0])
    for burst in ("Seen", " weekly", " at home"):
        for ch in burst:
            QTest.keyClicks(box, ch)
            clock[0] += 0.1
        clock[0] += 5
    QTest.keyClick(box, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert box.toPlainText() == "Seen weekly at "  # the last word, not the whole text
    QTest.keyClick(box, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert box.toPlainText() == "Seen weekly"
