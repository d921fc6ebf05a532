"""The partnerships of a (regional) database with their rounds and counts: ``lgf partnerships`` and
the navigator's region (partnerships → rounds → reviews)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ...collation import name_key
from ...models import Partnership, Recommendation, Review, Round


@dataclass(frozen=True)
class RoundCounts:
    id: int
    label: str
    kind: str
    read_only: bool
    exported_at: datetime | None
    reviews: int
    held: int
    declined: int
    organisations: int
    recommendations: int


@dataclass(frozen=True)
class PartnershipRounds:
    id: int
    name: str
    imported: bool
    rounds: tuple[RoundCounts, ...]


def partnership_count(session: Session) -> int:
    return session.scalar(select(func.count(Partnership.id))) or 0


def partnership_rounds(session: Session) -> list[PartnershipRounds]:
    """Every partnership (this database's own first, then the imported ones by name), each with its
    rounds and their numbers of reviews, held, declined, organisations and recommendations."""
    by_status = {}
    for round_id, status, n in session.execute(select(Review.round_id, Review.status, func.count(Review.id))
                                               .group_by(Review.round_id, Review.status)):
        by_status[(round_id, status)] = n
    organisations = dict(session.execute(select(Review.round_id, func.count(func.distinct(Review.organisation_id)))
                                         .group_by(Review.round_id)).all())
    recs = dict(session.execute(select(Recommendation.round_id, func.count(Recommendation.id))
                                .group_by(Recommendation.round_id)).all())
    rounds: dict[int, list[RoundCounts]] = {}
    for r in session.scalars(select(Round).order_by(Round.label, Round.id)):
        reviews = sum(n for (rid, _), n in by_status.items() if rid == r.id)
        rounds.setdefault(r.partnership_id, []).append(RoundCounts(
            r.id, r.label, r.kind, bool(r.read_only), r.exported_at, reviews, by_status.get((r.id, "held"), 0),
            by_status.get((r.id, "declined"), 0), organisations.get(r.id, 0), recs.get(r.id, 0)))
    partnerships = session.scalars(select(Partnership)).all()
    ordered = sorted(partnerships, key=lambda p: (bool(p.imported), name_key(p.name)))
    return [PartnershipRounds(p.id, p.name, bool(p.imported), tuple(rounds.get(p.id, ()))) for p in ordered]
