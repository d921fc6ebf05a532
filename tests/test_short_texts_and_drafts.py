"""The last free texts on the one autosave, each tried as its person types it: a question's text and
sub-prompts in the round's template, the audit's theme and quarter, a new recommendation typed in the
workshop before Enter, a progress note typed in the tracker before it is added, and an audit's new
training link typed before "Add link". Typed steadily
(never a pause the autosave's debounce would wait for), each reaches the database within a second of
the first unsaved keystroke while the typing goes on, is in the recovery journal meanwhile, and a
draft is shown again when the screen comes back; no recommendation or note is made before the
person says so."""

from __future__ import annotations

import time
from collections.abc import Callable

import pytest
from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QWidget
from sqlalchemy import func, select

from lgf_desktop.models import Audit, Draft, ProgressNote, Question, Recommendation
from lgf_desktop.services.drafts import new_link_place, new_recommendation_place, progress_note_place
from lgf_desktop.ui import conflict
from lgf_desktop.ui.main_window import MainWindow
from lgf_desktop.ui.tracker.screen import TrackerScreen
from audit_helpers import open_audits_page
from conflict_support import answer_conflicts
from workshop_support import _demo_template, open_workshop, planned_review_id, workshop_db  # noqa: F401

STEADY = "Steady typing, a key every forty milliseconds "


@pytest.fixture(autouse=True)
def asked(monkeypatch) -> list[tuple[str, str]]:
    """Conflicts asked about (theirs, mine), answered "keep theirs"."""
    return answer_conflicts(monkeypatch, conflict.KEEP_THEIRS)


def type_steadily(qtbot, box: QWidget, text: str, stored: Callable[[], str], seconds: float = 2.0) -> str:
    """Type ``text`` into ``box`` a key every 40 ms (as a keyboard sends them) for ``seconds``, then,
    still mid-typing, read what the database holds: it must hold everything typed more than a second
    before. Returns the text typed."""
    box.setFocus()
    times: list[float] = []
    for char in text * 10:
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            QApplication.sendEvent(box, QKeyEvent(kind, Qt.Key.Key_unknown, Qt.KeyboardModifier.NoModifier, char))
        times.append(time.monotonic())
        qtbot.wait(40)
        if times[-1] - times[0] >= seconds:
            break
    now = time.monotonic()
    typed = (text * 10)[:len(times)]
    held = stored()
    older = sum(1 for t in times if t <= now - 1.0)
    assert typed.startswith(held.strip()) and len(held) >= older, (
        f"{older - len(held)} characters typed over a second ago are not in the database")
    return typed


def journalled(db, record: str, field: str) -> str | None:
    return next((e.text for e in db.journal.entries() if (e.record, e.field) == (record, field)), None)


def in_the_journal(qtbot, db, record: str, field: str, typed: str, stored: Callable[[], str]) -> None:
    """A moment after the typing stops (the journal notes a batch of keystrokes every 100 ms), the
    recovery journal holds everything typed, unless the database already does."""
    qtbot.wait(150)
    assert journalled(db, record, field) == typed or stored() == typed


# --- the template's question ---------------------------------------------------------------------------

@pytest.mark.timing
def test_a_question_typed_into_the_template_is_saved_within_a_second(qtbot, demo_db, asked) -> None:
    db = demo_db
    demo_window = MainWindow(db)
    qtbot.addWidget(demo_window)
    demo_window.resize(1366, 768)
    demo_window.show()
    page = demo_window.page("round")
    page.tabs.setCurrentWidget(page.template)
    editor = page.template
    editor.question_view.selectRow(0)
    question_id = editor.question_id

    def stored() -> tuple[str, list[str]]:
        with db.read() as s:
            question = s.get(Question, question_id)
            return question.text, question.sub_prompts

    editor.question_text.selectAll()
    typed = type_steadily(qtbot, editor.question_text, STEADY, lambda: stored()[0])
    in_the_journal(qtbot, db, f"question/{question_id}", "text", typed, lambda: stored()[0])
    editor.prompts.selectAll()
    prompts = type_steadily(qtbot, editor.prompts, "Cover induction ", lambda: "\n".join(stored()[1]), seconds=1.5)
    qtbot.waitUntil(lambda: not editor.question_text.pending() and not editor.prompts.pending(), timeout=3000)
    assert stored() == (typed.strip(), [prompts.strip()])
    assert editor.questions.rows[0]["text"] == typed.strip()  # the list follows the saved text
    assert db.journal.entries() == []

    # Changed elsewhere (another window, the CLI) while unsaved typing is in the box: not overwritten.
    with db.session() as s:
        s.get(Question, question_id).text = "Changed in another window."
    assert asked == []
    editor.question_text.setFocus()
    qtbot.keyClicks(editor.question_text, " More.")
    editor.question_text.flush()
    assert asked == [("Changed in another window.", typed + " More.")]
    assert stored()[0] == "Changed in another window." == editor.question_text.toPlainText()


# --- the audit's details ---------------------------------------------------------------------------------

@pytest.mark.timing
def test_the_audit_theme_typed_steadily_is_saved_within_a_second(qtbot, db) -> None:
    from audit_helpers import make_audit

    make_audit(db)
    page = open_audits_page(qtbot, db, "details")
    view = page.details
    audit_id = page.audit_id

    def stored(field: str) -> str:
        with db.read() as s:
            return getattr(s.get(Audit, audit_id), field)

    view.theme.selectAll()
    typed = type_steadily(qtbot, view.theme, "Neglect and home conditions ", lambda: stored("theme"))
    in_the_journal(qtbot, db, f"audit/{audit_id}", "theme", typed, lambda: stored("theme"))
    qtbot.keyClick(view.theme, Qt.Key.Key_Tab)  # left: saved at once, and the chooser follows
    qtbot.waitUntil(lambda: stored("theme") == typed.strip(), timeout=2000)
    qtbot.waitUntil(lambda: typed.strip() in page.chooser.currentText(), timeout=2000)
    assert view.saved.text().startswith("Saved ") and view.quarter.hasFocus()
    view.quarter.selectAll()
    qtbot.keyClicks(view.quarter, "2025-26 Q3")
    assert view.flush() and stored("quarter") == "2025-26 Q3" and db.journal.entries() == []


@pytest.mark.timing
def test_a_new_link_typed_before_add_is_a_draft_saved_within_a_second(qtbot, db) -> None:
    """The title and address of a training link typed and not yet added: drafts in the database
    within a second, shown again on coming back to the audit (after a restart too), no link made
    until "Add link", which clears both drafts in its own commit."""
    from audit_helpers import make_audit

    from lgf_desktop.models import AuditLink

    make_audit(db)
    def links() -> list[tuple[str, str]]:
        with db.read() as s:
            return [(link.title, link.url) for link in s.scalars(select(AuditLink).order_by(AuditLink.id))]

    page = open_audits_page(qtbot, db, "details")
    view, audit_id = page.details, page.audit_id
    title_place, address_place = new_link_place(audit_id, "title"), new_link_place(audit_id, "address")
    before = links()
    title = type_steadily(qtbot, view.link_title, "Neglect toolkit for practitioners ", lambda: draft(db, title_place))
    in_the_journal(qtbot, db, f"draft/{title_place}", "text", title, lambda: draft(db, title_place))
    view.link_url.setFocus()
    qtbot.keyClicks(view.link_url, "https://example.org/neglect")
    assert view.flush() and draft(db, address_place) == "https://example.org/neglect"
    assert links() == before  # nothing made while it is typed

    # Closed and opened again (a restart): both boxes are shown again.
    assert page.close()
    page = open_audits_page(qtbot, db, "details")
    view = page.details
    assert view.link_title.text() == title and view.link_url.text() == "https://example.org/neglect"
    assert view.link_draft_state.isVisible() and view.link_draft_state.text().startswith("Not added yet")

    # Add link makes it; both drafts go in the same commit and nothing is left to recover.
    qtbot.keyClick(view.link_url, Qt.Key.Key_Return)
    assert links() == [*before, (title.strip(), "https://example.org/neglect")]
    assert view.link_title.text() == view.link_url.text() == "" and not view.link_draft_state.isVisible()
    assert view.flush()
    qtbot.wait(200)
    assert draft(db, title_place) == draft(db, address_place) == "" and db.journal.entries() == []


# --- a new recommendation in the workshop, before Enter -------------------------------------------------


def draft(db, place: str) -> str:
    with db.read() as s:
        return s.scalar(select(Draft.text).where(Draft.place == place)) or ""


def recommendations(db) -> int:
    with db.read() as s:
        return s.scalar(select(func.count(Recommendation.id)))


@pytest.mark.timing
def test_a_recommendation_typed_before_enter_is_a_draft_saved_within_a_second(qtbot, workshop_db) -> None:
    db = workshop_db
    review_id = planned_review_id(db)
    before = recommendations(db)
    window = open_workshop(qtbot, db, review_id)
    question_id = window.question_id
    place = new_recommendation_place(review_id, question_id)
    entry = window.recommendations.entry
    typed = type_steadily(qtbot, entry, "Audit induction records each quarter ", lambda: draft(db, place))
    assert recommendations(db) == before  # no half-made recommendation while it is typed
    in_the_journal(qtbot, db, f"draft/{place}", "text", typed, lambda: draft(db, place))

    # Another question and back: the draft is still there (and the other question's line is empty).
    window.next_question()
    assert window.question_id != question_id and entry.text() == "" and draft(db, place) == typed
    window.previous_question()
    assert window.question_id == question_id and entry.text() == typed

    # Closed and opened again (a restart): shown again.
    assert window.close()
    window = open_workshop(qtbot, db, review_id)
    assert window.question_id == question_id and window.recommendations.entry.text() == typed

    # Enter makes it a recommendation; the draft goes in the same commit and nothing is left to recover.
    entry = window.recommendations.entry
    entry.setFocus()
    qtbot.keyClick(entry, Qt.Key.Key_Return)
    assert recommendations(db) == before + 1 and draft(db, place) == "" and entry.text() == ""
    assert window.recommendations.model.rows[-1][1] == typed.strip()
    assert window.recommendations.flush()
    qtbot.wait(200)
    assert draft(db, place) == "" and db.journal.entries() == []
    window.close()


# --- a progress note in the tracker, before it is added ------------------------------------------------

@pytest.mark.timing
def test_a_progress_note_typed_before_it_is_added_is_a_draft_saved_within_a_second(qtbot, demo_db) -> None:
    db = demo_db
    screen = TrackerScreen(db)
    qtbot.addWidget(screen)
    screen.resize(1366, 768)
    screen.show()
    qtbot.waitUntil(lambda: screen.proxy.rowCount() > 1, timeout=10000)
    screen.table.selectRow(0)
    qtbot.waitUntil(lambda: screen.detail.row is not None, timeout=3000)
    rec_id = screen.detail.row.id
    place = progress_note_place(rec_id)

    def notes() -> int:
        with db.read() as s:
            return s.scalar(select(func.count(ProgressNote.id)).where(ProgressNote.recommendation_id == rec_id))

    before = notes()
    typed = type_steadily(qtbot, screen.detail.note, "Training offer circulated ", lambda: draft(db, place))
    assert notes() == before
    in_the_journal(qtbot, db, f"draft/{place}", "text", typed, lambda: draft(db, place))

    screen.table.selectRow(1)  # another recommendation and back: the draft comes back with its own
    qtbot.waitUntil(lambda: screen.detail.row is not None and screen.detail.row.id != rec_id, timeout=3000)
    assert screen.detail.note.toPlainText() == "" and draft(db, place) == typed
    screen.table.selectRow(0)
    qtbot.waitUntil(lambda: screen.detail.row.id == rec_id, timeout=3000)
    assert screen.detail.note.toPlainText() == typed

    screen.detail.add_note()
    assert notes() == before + 1 and draft(db, place) == "" and screen.detail.note.toPlainText() == ""
    assert screen.detail.flush()
    assert draft(db, place) == "" and db.journal.entries() == []
