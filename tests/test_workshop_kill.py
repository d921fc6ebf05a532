"""Nothing typed is lost to steady typing: a separate process types continuously (never pausing more
than 50 ms) for over six seconds and is killed with SIGKILL while still typing; the database holds
everything typed more than a second before the kill, and the recovery journal beside it holds more.
Same for an auditor's evidence."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from lgf_desktop.journal import Journal, journal_path
from lgf_desktop.models import Grade, Response
from typing_support import check_what_survived, type_and_kill
from workshop_support import _demo_template, planned_review_id, workshop_db  # noqa: F401

# A typist that must never pause for more than 50 ms: run alone, not beside other tests (``./run-tests``).
pytestmark = pytest.mark.timing


@pytest.mark.slow
def test_sigkill_while_typing_steadily_loses_at_most_the_last_second(workshop_db):
    review_id = planned_review_id(workshop_db)
    path = workshop_db.path
    workshop_db.close()  # the typist's process is the only one with the file open
    times, killed_at = type_and_kill(workshop_db, "workshop", review_id)
    with workshop_db.read() as s:
        texts = s.scalars(select(Response.text).where(Response.review_id == review_id)).all()
    assert len(texts) == 1
    entries = Journal(journal_path(path)).entries()
    check_what_survived(times, killed_at, texts[0], entries[-1].text if entries else None)


@pytest.mark.slow
def test_sigkill_while_typing_evidence_loses_at_most_the_last_second(tmp_path):
    from audit_helpers import make_audit

    from lgf_desktop.db import Database

    db = Database.open(tmp_path / "coordinator.sqlite3")
    make_audit(db)
    with db.read() as s:
        grade_id = s.scalar(select(Grade.id).order_by(Grade.id))
    db.close()
    times, killed_at = type_and_kill(db, "evidence", grade_id)
    with db.read() as s:
        stored = s.scalar(select(Grade.evidence).where(Grade.id == grade_id))
    db.close()
    entries = Journal(journal_path(db.path)).entries()
    check_what_survived(times, killed_at, stored, entries[-1].text if entries else None)


@pytest.mark.slow
def test_sigkill_while_typing_a_new_recommendation_keeps_its_draft_and_makes_no_recommendation(qtbot, workshop_db):
    """The line under the response, typed steadily and never Enter: killed, the draft holds all but
    the last second, no recommendation was made, and the next start shows the draft on the same
    question, recovered from the journal once."""
    from lgf_desktop.db import Database
    from lgf_desktop.models import Draft, Recommendation
    from lgf_desktop.ui.main_window import MainWindow
    from lgf_desktop.ui.workshop.window import WorkshopWindow

    review_id = planned_review_id(workshop_db)
    with workshop_db.read() as s:
        recommendations = s.query(Recommendation).count()
    path = workshop_db.path
    workshop_db.close()
    times, killed_at = type_and_kill(workshop_db, "new-recommendation", review_id)
    with workshop_db.read() as s:
        drafts = s.execute(select(Draft.place, Draft.text)).all()
        assert s.query(Recommendation).count() == recommendations
    workshop_db.close()
    assert len(drafts) == 1 and drafts[0].place.startswith(f"new-recommendation/{review_id}/")
    entries = Journal(journal_path(path)).entries()
    journal_text = entries[-1].text if entries else drafts[0].text
    check_what_survived(times, killed_at, drafts[0].text, journal_text)

    db = Database.open(path)
    try:
        window = MainWindow(db)
        qtbot.addWidget(window)
        window.show()
        qtbot.waitUntil(lambda: any(w.isVisible() for w in window.findChildren(WorkshopWindow)), timeout=5000)
        workshop = next(w for w in window.findChildren(WorkshopWindow) if w.isVisible())
        assert workshop.recommendations.entry.text() == journal_text
        with db.read() as s:
            assert s.scalar(select(Draft.text)) == journal_text
            assert s.query(Recommendation).count() == recommendations
        workshop.close()
        window.close()
    finally:
        db.close()
    assert Journal(journal_path(path)).entries() == []
