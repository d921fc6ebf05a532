"""How a round's recommendations are numbered in its report: 1…n through the organisations in
report order (each organisation's in template order), then the partnership's own lettered A, B, C…
in the order they were agreed — whether agreed for the round, inside a review's table (on one of its
questions) or after a declined organisation's section, as the seed report's are.

The report body, the report's recommendations table and the tracker's references all use this.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from ...models import Recommendation, Review, Round


def letter(index: int) -> str:
    """0 → A, 25 → Z, 26 → AA."""
    text = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        text = chr(65 + rem) + text
    return text


def template_order_key(rec: Recommendation) -> tuple[int, int, int, int]:
    if rec.question is not None:
        return (0, rec.question.theme.position, rec.question.position, rec.position)
    return (1, 0, 0, rec.position)


def review_recommendations(session: Session, review: Review) -> list[Recommendation]:
    """The review's organisation's recommendations (numbered), in template order."""
    recs = session.scalars(select(Recommendation).where(Recommendation.review_id == review.id,
                                                        Recommendation.is_partnership.is_(False))).all()
    return sorted(recs, key=template_order_key)


def review_partnership_recommendations(session: Session, review: Review) -> list[Recommendation]:
    """The partnership's recommendations agreed inside this review (lettered), in template order."""
    recs = session.scalars(select(Recommendation).where(Recommendation.review_id == review.id,
                                                        Recommendation.is_partnership.is_(True))).all()
    return sorted(recs, key=template_order_key)


def partnership_recommendations(session: Session, round_: Round) -> list[Recommendation]:
    return list(
        session.scalars(
            select(Recommendation)
            .where(
                Recommendation.round_id == round_.id,
                Recommendation.is_partnership.is_(True),
            )
            .order_by(Recommendation.position, Recommendation.id)
        )
    )


def report_numbers(session: Session, round_: Round) -> dict[int, str]:
    """Recommendation id → its number ("1", "2", …) or letter ("A", …) in the round's report."""
    numbers: dict[int, str] = {}
    count = 0
    for review in sorted(round_.reviews, key=lambda r: (r.position, r.id)):
        for rec in review_recommendations(session, review):
            count += 1
            numbers[rec.id] = str(count)
    for index, rec in enumerate(partnership_recommendations(session, round_)):
        numbers[rec.id] = letter(index)
    return numbers
