"""Rounds, the default template, copy-on-write templates, the panel's chair and change history."""

from __future__ import annotations

from sqlalchemy import select

from lgf_desktop.db import Database
from lgf_desktop.history import history_of
from lgf_desktop.models import Partnership, Person, Response, Review, Round
from lgf_desktop.services.review.rounds import create_round, move, round_problems, set_chair


def _partnership(db: Database) -> None:
    with db.session() as session:
        session.add(Partnership(name="Test Partnership"))


def test_default_template_has_seven_themes_in_order(db: Database) -> None:
    _partnership(db)
    with db.session() as session:
        round_ = create_round(session, "2021-22")
        titles = [t.title for t in round_.themes]
        assert titles == [
            "Safeguarding Structures", "Learning & Development", "Impact of Covid-19", "Listening to Children",
            "Information Sharing", "Child Exploitation", "Children's Partnerships",
        ]
        assert len(round_.questions) == 21
        assert round_.questions[1].sub_prompts[0] == "Who is the safeguarding lead"


def test_copied_template_is_independent_of_last_year(db: Database) -> None:
    _partnership(db)
    with db.session() as session:
        old = create_round(session, "2021-22")
        new = create_round(session, "2022-23", copy_from=old)
        new.themes[0].title = "Leadership"
        new.themes[0].questions[0].text = "Changed next year"
        move(new.themes[0].questions, new.themes[0].questions[0], +1)
    with db.session() as session:
        old = session.scalar(select(Round).where(Round.label == "2021-22"))
        assert old.themes[0].title == "Safeguarding Structures"
        assert old.themes[0].questions[0].text.startswith("How do you ensure that staff know")


def test_a_response_keeps_the_question_it_answered(demo_db: Database) -> None:
    with demo_db.session() as session:
        review = session.scalar(select(Review).where(Review.status == "held"))
        question = review.round.themes[0].questions[0]
        original = question.text
        question.text = "Reworded after the workshop"
    with demo_db.session() as session:
        response = session.scalar(select(Response).where(Response.question_id == question.id).limit(1))
        assert response.question_text == original
        session.delete(session.get(type(question), question.id))
    with demo_db.session() as session:
        response = session.get(Response, response.id)
        assert response.question_id is None and response.question_text == original and response.text


def test_round_needs_exactly_one_chair(db: Database) -> None:
    _partnership(db)
    with db.session() as session:
        round_ = create_round(session, "2023-24")
        assert "The panel has no chair" in round_problems(round_)[0]
        a, b = Person(name="Alex Chair"), Person(name="Bea Next")
        set_chair(round_, a)
        session.flush()
        assert not round_problems(round_)
        set_chair(round_, b)
        assert [m.role for m in round_.panel] == ["member", "chair"]


def test_changes_are_recorded_with_who_and_old_and_new_value(db: Database) -> None:
    _partnership(db)
    db.set_user("Ruth Okafor")
    with db.session() as session:
        round_ = create_round(session, "2024-25")
    with db.session() as session:
        round_ = session.get(Round, round_.id)
        round_.conclusion_text = "All organisations engaged."
    with db.session() as session:
        entries = history_of(session, session.get(Round, round_.id))
        assert entries[0].action == "insert"
        update = [e for e in entries if e.action == "update"][0]
        assert (update.who, update.field, update.old_value, update.new_value) == (
            "Ruth Okafor", "conclusion_text", "", "All organisations engaged.")
        session.delete(session.get(Round, round_.id))
    with db.session() as session:
        from lgf_desktop.models import ChangeLog
        assert session.scalar(select(ChangeLog).where(ChangeLog.action == "delete", ChangeLog.table_name == "round"))
