"""What the panel does with the returns: chase an organisation, challenge an answer, agree a
moderated rating, and put recommendations from the self-assessment into the tracker."""

from __future__ import annotations

import json
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ...errors import UserError
from ...models import (
    Organisation, Recommendation, Round, SelfAssessmentAnswer, SelfAssessmentReturn, SourceKind, Standard,
)
from ..tracker.sources import ensure_source_kinds
from ..stale import refuse_if_stale
from .standards import scale_of

SOURCE_KIND = "Self-assessment"


def chase(session: Session, return_: SelfAssessmentReturn, day: date) -> None:
    """Record that the partnership chased an organisation's return on ``day``."""
    days = sorted({*json.loads(return_.chased_json or "[]"), day.isoformat()})
    return_.chased_json = json.dumps(days)
    session.flush()


def challenge(session: Session, answer: SelfAssessmentAnswer, text: str, *, expected_version: int | None = None) -> None:
    refuse_if_stale(session, answer, expected_version, "answer", current_text=answer.challenge)
    answer.challenge = text.strip()
    session.flush()


def moderate(session: Session, answer: SelfAssessmentAnswer, rating: str, *, expected_version: int | None = None) -> None:
    """Agree a moderated rating ("" takes the organisation's own rating back)."""
    refuse_if_stale(session, answer, expected_version, "answer", current_text=answer.moderated_rating)
    round_ = answer.return_.round
    scale = scale_of(session, round_)
    if rating and rating not in scale.labels:
        raise UserError(f"'{rating}' is not on the {round_.label} scale ({', '.join(scale.labels)}).")
    if rating == scale.not_applicable and rating and not answer.not_applicable_reason:
        raise UserError(f"'{rating}' needs the organisation's reason; challenge the answer instead.")
    answer.moderated_rating = rating
    session.flush()


def recommendation_reference(round_: Round, number: int) -> str:
    return f"Section 11 self-assessment {round_.label}, recommendation {number}"


def add_recommendation(session: Session, round_: Round, text: str, *, organisation: Organisation | None = None,
                       standard: Standard | None = None, due: date | None = None) -> Recommendation:
    """A recommendation from the self-assessment, into the tracker with its reference; numbered
    1, 2, 3… within the round. Without an organisation it is the partnership's own."""
    text = text.strip()
    if not text:
        raise UserError("A recommendation needs its text.")
    ensure_source_kinds(session)
    kind = session.scalar(select(SourceKind).where(SourceKind.name == SOURCE_KIND))
    count = session.scalar(select(func.count(Recommendation.id)).where(
        Recommendation.round_id == round_.id, Recommendation.source_kind_id == kind.id)) or 0
    # The standard, when there is one, leads the text: the reference stays short enough for the
    # tracker's reference column.
    if standard is not None and not text.lower().startswith(standard.title.lower()):
        text = f"{standard.title}: {text}"
    rec = Recommendation(source_kind=kind, round_id=round_.id, organisation=organisation,
                         is_partnership=organisation is None, text=text, position=count,
                         reference=recommendation_reference(round_, count + 1)[:300], due_date=due)
    session.add(rec)
    session.flush()
    return rec


def self_assessment_recommendations(session: Session, round_: Round) -> list[Recommendation]:
    kind = session.scalar(select(SourceKind).where(SourceKind.name == SOURCE_KIND))
    if kind is None:
        return []
    return list(session.scalars(select(Recommendation).where(
        Recommendation.round_id == round_.id, Recommendation.source_kind_id == kind.id)
        .order_by(Recommendation.position, Recommendation.id)))


def find_return(session: Session, round_: Round, organisation_name: str) -> SelfAssessmentReturn:
    wanted = organisation_name.strip().lower()
    rows = session.execute(select(SelfAssessmentReturn, Organisation)
                           .join(Organisation, SelfAssessmentReturn.organisation_id == Organisation.id)
                           .where(SelfAssessmentReturn.round_id == round_.id)).all()
    found = [ret for ret, org in rows if wanted in (org.name.lower(), (org.short_name or "").lower())]
    if not found:
        raise UserError(f"No organisation called {organisation_name} is asked to self-assess in {round_.label}.")
    return found[0]
