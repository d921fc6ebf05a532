"""Deleting with everything that hangs from it, and bringing it back exactly (no Qt)."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select, text

from lgf_desktop.db import Database
from lgf_desktop.errors import UserError
from lgf_desktop.models import (
    ChangeLog, Organisation, Person, Question, Recommendation, Response, Review, Round,
)
from lgf_desktop.services import undo_delete


def _dump(db: Database) -> dict[str, list[tuple]]:
    """Every row of every table except the change history, for before/after comparison."""
    from lgf_desktop.models import Base

    with db.session() as session:
        tables = [t.name for t in Base.metadata.sorted_tables if t.name != "change_log"]
        return {t: session.execute(text(f'SELECT * FROM "{t}" ORDER BY id')).all() for t in tables}


def test_deleting_a_held_review_takes_its_work_and_undo_brings_it_all_back(demo_db: Database) -> None:
    before = _dump(demo_db)
    with demo_db.session() as session:
        review = session.scalar(select(Review).where(Review.status == "held").order_by(Review.id))
        review_id, responses = review.id, len(review.responses)
        snap = undo_delete.delete(session, Review, review_id)
    assert responses > 10
    assert f"{responses} responses" in snap.summary()
    with demo_db.session() as session:
        assert session.get(Review, review_id) is None
        assert session.scalar(select(func.count()).select_from(Response).where(Response.review_id == review_id)) == 0
        assert session.scalar(select(func.count()).select_from(Recommendation)
                              .where(Recommendation.review_id == review_id)) == 0
    with demo_db.session() as session:
        undo_delete.restore(session, snap)
    assert _dump(demo_db) == before


def test_deleting_a_question_clears_the_link_of_responses_and_undo_relinks(demo_db: Database) -> None:
    before = _dump(demo_db)
    with demo_db.session() as session:
        question = session.scalar(select(Question).join(Response, Response.question_id == Question.id))
        question_id = question.id
        snap = undo_delete.delete(session, Question, question_id)
    with demo_db.session() as session:
        orphans = session.scalars(select(Response).where(Response.question_id.is_(None))).all()
        assert orphans and all(r.question_text for r in orphans)  # the review keeps what it answered
    with demo_db.session() as session:
        undo_delete.restore(session, snap)
    assert _dump(demo_db) == before


def test_deleting_a_whole_round_and_restoring_it(demo_db: Database) -> None:
    before = _dump(demo_db)
    with demo_db.session() as session:
        round_id = session.scalar(select(Round.id))
        snap = undo_delete.delete(session, Round, round_id)
    with demo_db.session() as session:
        assert session.scalar(select(func.count()).select_from(Review)) == 0
    assert "3 reviews" in snap.summary()
    with demo_db.session() as session:
        undo_delete.restore(session, snap)
    assert _dump(demo_db) == before
    with demo_db.session() as session:
        with pytest.raises(UserError, match="already back"):
            undo_delete.restore(session, snap)


def test_the_history_records_the_delete_and_the_restore(demo_db: Database) -> None:
    with demo_db.session() as session:
        org = Organisation(name="Riverside Academy Trust")
        session.add(org)
        session.flush()
        session.add(Person(name="Sam Example", organisation=org))
        session.flush()
        org_id, uuid = org.id, org.uuid
    with demo_db.session() as session:
        snap = undo_delete.delete(session, Organisation, org_id)
    with demo_db.session() as session:
        assert session.scalar(select(Person).where(Person.name == "Sam Example")).organisation_id is None
        undo_delete.restore(session, snap)
    with demo_db.session() as session:
        assert session.scalar(select(Person).where(Person.name == "Sam Example")).organisation_id == org_id
        actions = session.scalars(select(ChangeLog.action).where(ChangeLog.record_uuid == uuid).order_by(ChangeLog.id)).all()
    assert actions == ["insert", "delete", "insert"]


def test_an_organisation_with_reviews_is_refused_and_left_unchanged(demo_db: Database) -> None:
    before = _dump(demo_db)
    with demo_db.session() as session:
        org_id = session.scalar(select(Review.organisation_id))
        with pytest.raises(UserError, match="cannot be deleted while"):
            undo_delete.delete(session, Organisation, org_id)
    assert _dump(demo_db) == before
