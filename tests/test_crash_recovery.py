"""After a crash the workshop comes back: a workshop process is killed mid-typing, the next start
reopens the workshop on the same question, saves what the recovery journal holds and the database
lacks, says so in one sentence, and does none of it a second time. Audit evidence too."""

from __future__ import annotations

import re

import pytest
from PySide6.QtWidgets import QApplication
from sqlalchemy import select

from lgf_desktop.db import Database
from lgf_desktop.journal import Journal, journal_path
from lgf_desktop.models import Grade, Response
from lgf_desktop.ui.main_window import MainWindow
from lgf_desktop.ui.workshop.window import WorkshopWindow
from typing_support import TEXT, type_and_kill
from workshop_support import _demo_template, planned_review_id, workshop_db  # noqa: F401


def start(qtbot, db: Database) -> MainWindow:
    window = MainWindow(db)
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    return window


def workshops(window: MainWindow) -> list[WorkshopWindow]:
    return [w for w in window.findChildren(WorkshopWindow) if w.isVisible()]


@pytest.mark.slow
def test_a_crashed_workshop_reopens_on_its_question_and_recovers_the_journal_once(qtbot, workshop_db):
    review_id = planned_review_id(workshop_db)
    path = workshop_db.path
    workshop_db.close()
    times, killed_at = type_and_kill(workshop_db, "workshop", review_id)
    journal = Journal(journal_path(path))
    entries = journal.entries()
    assert journal.open_window("workshop") is not None  # the crash left the workshop marked open
    with workshop_db.read() as s:
        stored, question_id = s.execute(select(Response.text, Response.question_id)
                                        .where(Response.review_id == review_id)).one()
    journal_text = entries[-1].text if entries else stored
    assert len(journal_text) >= len(stored)

    db = Database.open(path)
    try:
        window = start(qtbot, db)
        qtbot.waitUntil(lambda: len(workshops(window)) == 1, timeout=5000)
        workshop = workshops(window)[0]
        assert workshop.review_id == review_id and workshop.question_id == question_id
        assert workshop.editor.text() == journal_text == TEXT[:len(journal_text)]
        with db.read() as s:
            assert s.scalar(select(Response.text).where(Response.review_id == review_id)) == journal_text
        if journal_text != stored:
            said = workshop.saved_label.text()
            match = re.search(r"Recovered (\d+) characters typed at \d\d:\d\d in question 1\.1\.", said)
            assert match, said
            assert int(match.group(1)) == len(journal_text) - len(stored)
            assert match.group(0) in window.statusBar().currentMessage()
        workshop.close()
        window.close()
    finally:
        db.close()
    assert Journal(journal_path(path)).entries() == []

    db = Database.open(path)  # a proper close: the next start reopens nothing, recovers nothing
    try:
        window = start(qtbot, db)
        qtbot.wait(300)
        assert workshops(window) == [] and "Recovered" not in window.statusBar().currentMessage()
        window.close()
    finally:
        db.close()


def audit_page(window: MainWindow):
    page = window.page("audits")
    return page if window.stack.currentWidget() is page else None


@pytest.mark.slow
def test_a_crashed_audit_reopens_on_its_answer_and_recovers_the_evidence_once(qtbot, tmp_path):
    from audit_helpers import make_audit

    db = Database.open(tmp_path / "coordinator.sqlite3")
    make_audit(db)
    with db.read() as s:
        grade_id = s.scalar(select(Grade.id).order_by(Grade.id.desc()))  # not the grid's first cell
    db.close()
    times, killed_at = type_and_kill(db, "evidence", grade_id)
    journal = Journal(journal_path(db.path))
    assert journal.open_window("audit") is not None  # the crash left the audit marked open
    entries = journal.entries()
    with db.read() as s:
        stored = s.scalar(select(Grade.evidence).where(Grade.id == grade_id))
    db.close()
    journal_text = entries[-1].text if entries else stored
    assert len(journal_text) >= len(stored) and journal_text == TEXT[:len(journal_text)]

    db = Database.open(db.path)
    try:
        window = start(qtbot, db)
        qtbot.waitUntil(lambda: audit_page(window) is not None, timeout=5000)
        panel = audit_page(window).scoring.panel
        qtbot.waitUntil(lambda: panel.grade_id == grade_id, timeout=5000)  # the same case and answer
        assert panel.evidence.hasFocus() or panel.evidence is QApplication.focusWidget()
        assert panel.evidence.toPlainText() == journal_text
        with db.read() as s:
            assert s.scalar(select(Grade.evidence).where(Grade.id == grade_id)) == journal_text
        if journal_text != stored:
            said = panel.recovered.text()
            match = re.search(r"Recovered (\d+) characters typed at \d\d:\d\d in the evidence for Child \w+ · Q\d+\.", said)
            assert match and panel.recovered.isVisible(), said
            assert int(match.group(1)) == len(journal_text) - len(stored)
            assert match.group(0) in window.statusBar().currentMessage()
        window.close()
    finally:
        db.close()
    assert Journal(journal_path(db.path)).entries() == []

    db = Database.open(db.path)  # a proper close: the next start reopens nothing, recovers nothing
    try:
        window = start(qtbot, db)
        qtbot.wait(300)
        assert window.stack.currentWidget() is not window._pages.get("audits")
        assert "Recovered" not in window.statusBar().currentMessage()
        window.close()
    finally:
        db.close()


def test_a_recovered_draft_is_called_a_draft_and_the_cursor_goes_to_its_line(qtbot, workshop_db):
    """A crash while a recommendation was typed and not yet added: the reopened workshop says the
    text is still a draft (not "the end of that answer") and puts the cursor at the end of its line,
    where Enter adds it; the answer's editor is left alone."""
    from lgf_desktop.models import Question, Recommendation
    from lgf_desktop.services.drafts import draft_text, new_recommendation_place
    from lgf_desktop.ui.drafts import draft_record

    review_id = planned_review_id(workshop_db)
    with workshop_db.read() as s:
        question_id = s.scalar(select(Question.id).order_by(Question.id))
        recommendations = s.query(Recommendation).count()
    place = new_recommendation_place(review_id, question_id)
    typed = "Share the induction audit with the board"
    path = workshop_db.path
    journal = workshop_db.journal
    journal.window_opened("workshop", review_id=review_id, question_id=question_id)
    journal.note(draft_record(place), "text", typed, "the new recommendation on this question")
    journal.flush()
    workshop_db.close()  # as a crash leaves it: the journal still has the draft and the open workshop

    db = Database.open(path)
    try:
        window = start(qtbot, db)
        qtbot.waitUntil(lambda: len(workshops(window)) == 1, timeout=5000)
        workshop = workshops(window)[0]
        said = workshop.saved_label.text()
        assert re.fullmatch(rf"Recovered {len(typed)} characters typed at \d\d:\d\d in the new recommendation on "
                            r"this question\. It is still a draft, not added yet: check it, then add it\.", said), said
        entry = workshop.recommendations.entry
        assert entry.text() == typed
        assert workshop.focusWidget() is entry and entry.cursorPosition() == len(typed)
        with db.read() as s:
            assert draft_text(s, place) == typed
            assert s.query(Recommendation).count() == recommendations
        workshop.close()
        window.close()
    finally:
        db.close()
