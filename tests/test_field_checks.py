"""What a form may type into a field, checked by the feature that owns the record
(``services/review/fields.py``, ``services/fields.py``) and run by ``editing.update``: each refusal is
one sentence and leaves the record as it was; a good value is stored trimmed."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from lgf_desktop.db import Database
from lgf_desktop.errors import UserError
from lgf_desktop.models import Organisation, Partnership, Person, Representative, Review, Round
from lgf_desktop.services import editing
from lgf_desktop.services.review.rounds import create_round


def first(db: Database, model, *where):
    with db.session() as session:
        return session.scalar(select(model.id).where(*where).order_by(model.id).limit(1))


@pytest.mark.parametrize(("model", "values", "sentence"), [
    (Round, {"cycle_year": 4}, "The cycle year is 1, 2 or 3."),
    (Round, {"workshop_minutes": 5}, "A workshop lasts between 10 and 600 minutes."),
    (Round, {"workshop_minutes": 601}, "A workshop lasts between 10 and 600 minutes."),
    (Round, {"label": "   "}, "A round needs a label, such as 2025-26."),
    (Round, {"kind": "survey"}, "'survey' is not one of: peer review, self-assessment."),
    (Review, {"status": "postponed"}, "'postponed' is not one of: planned, held, declined."),
    (Representative, {"kind": "absent"}, "'absent' is not one of: attended, apologies."),
    (Representative, {"name": ""}, "A representative needs a name."),
    (Organisation, {"sector": "Banking"}, "'Banking' is not one of:"),
    (Person, {"name": " "}, "A person needs a name."),
    (Partnership, {"name": ""}, "The partnership needs a name."),
])
def test_a_bad_value_is_refused_with_one_sentence_and_nothing_changes(
        demo_db: Database, model, values: dict, sentence: str) -> None:
    record_id = first(demo_db, model)
    with demo_db.session() as session:
        before = {field: getattr(session.get(model, record_id), field) for field in values}
    with pytest.raises(UserError) as refused, demo_db.session() as session:
        editing.update(session, model, record_id, **values)
    assert str(refused.value).startswith(sentence)
    with demo_db.session() as session:
        assert {field: getattr(session.get(model, record_id), field) for field in values} == before


def test_a_round_label_is_trimmed_and_may_not_repeat_another_rounds(demo_db: Database) -> None:
    with demo_db.session() as session:
        existing = session.scalar(select(Round).order_by(Round.id).limit(1))
        label = existing.label
        other = create_round(session, "2031-32")
        session.flush()
        other_id = other.id
    with pytest.raises(UserError, match=f"There is already a round labelled {label}."), demo_db.session() as session:
        editing.update(session, Round, other_id, label=f"  {label} ")
    with demo_db.session() as session:
        assert editing.update(session, Round, other_id, label="  2032-33 ").label == "2032-33"
        # Its own label again is no clash.
        assert editing.update(session, Round, other_id, label="2032-33").label == "2032-33"


def test_an_organisation_reviewed_once_per_round(demo_db: Database) -> None:
    with demo_db.session() as session:
        round_ = session.scalar(select(Round).order_by(Round.id).limit(1))
        first_review, second_review = round_.reviews[:2]
        first_id, taken = first_review.id, second_review.organisation_id
        own = first_review.organisation_id
    with pytest.raises(UserError, match="That organisation already has a review in this round."), \
            demo_db.session() as session:
        editing.update(session, Review, first_id, organisation_id=taken)
    with demo_db.session() as session:
        assert editing.update(session, Review, first_id, organisation_id=own).organisation_id == own


def test_good_values_are_stored(demo_db: Database) -> None:
    round_id = first(demo_db, Round)
    with demo_db.session() as session:
        editing.update(session, Round, round_id, cycle_year=3, workshop_minutes=120, kind="self-assessment")
    with demo_db.session() as session:
        round_ = session.get(Round, round_id)
        assert (round_.cycle_year, round_.workshop_minutes, round_.kind) == (3, 120, "self-assessment")
