"""Light read-only queries for the navigator and overview tables: ids and labels, nothing more,
so the window can fill its tree without loading whole records."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ..collation import by_name
from ..dates import month_year
from ..models import Organisation, Partnership, Person, Recommendation, Response, Review, Round
from .review.round_rules import review_label  # noqa: F401  (re-exported: the navigator's words)


def rounds(session: Session) -> list[tuple[int, str]]:
    """Every round as (id, label), oldest first."""
    return [(r.id, r.label) for r in session.execute(select(Round.id, Round.label).order_by(Round.label, Round.id))]


def rounds_by_partnership(session: Session) -> list[tuple[int, str, list[tuple[int, str]]]]:
    """Each partnership as (id, label, its rounds as (id, label)) in one query: this database's own
    first, then those whose rounds were imported for the regional report, by name, their rounds
    marked read-only. (A database of one partnership lists its rounds as ``rounds`` does.)"""
    found: dict[int, tuple[str, bool, list[tuple[int, str]]]] = {}
    for pid, name, imported, rid, label, read_only in session.execute(
            select(Partnership.id, Partnership.name, Partnership.imported, Round.id, Round.label, Round.read_only)
            .join(Round, Round.partnership_id == Partnership.id, isouter=True).order_by(Round.label, Round.id)):
        entry = found.setdefault(pid, (name, bool(imported), []))
        if rid is not None:
            entry[2].append((rid, f"{label} · read-only" if read_only else label))
    ordered = by_name(found.items(), lambda item: item[1][0])
    ordered.sort(key=lambda item: item[1][1])
    return [(pid, f"{name} (imported)" if imported else name, rounds) for pid, (name, imported, rounds) in ordered]


def round_kind(session: Session, round_id: int) -> str | None:
    """A round's kind ("peer review", "self-assessment"), to choose its page."""
    return session.scalar(select(Round.kind).where(Round.id == round_id))


def reviews_of_round(session: Session, round_id: int) -> list[tuple[int, str]]:
    """A round's reviews as (id, label) in report order."""
    rows = session.execute(
        select(Review.id, Organisation.short_name, Organisation.name, Review.status, Review.review_date)
        .join(Organisation, Review.organisation_id == Organisation.id)
        .where(Review.round_id == round_id)
        .order_by(Review.position, Review.id)
    )
    return [(rid, review_label(short or name, status, when)) for rid, short, name, status, when in rows]


def review_rows(session: Session, round_id: int) -> list[dict[str, object]]:
    """A round's reviews in report order with their organisation, status, date and number of
    answered questions: two queries, however many reviews the round has."""
    reviews = session.execute(
        select(Review.id, Review.organisation_id, Organisation.name, Review.status, Review.review_date)
        .join(Organisation, Review.organisation_id == Organisation.id)
        .where(Review.round_id == round_id)
        .order_by(Review.position, Review.id)
    ).all()
    answered: dict[int, int] = {}
    for review_id, text in session.execute(select(Response.review_id, Response.text)
                                           .join(Review, Response.review_id == Review.id)
                                           .where(Review.round_id == round_id)):
        if text.strip():
            answered[review_id] = answered.get(review_id, 0) + 1
    return [{"id": rid, "organisation_id": org_id, "organisation": name, "status": status, "review_date": when,
             "responses": answered.get(rid, 0)} for rid, org_id, name, status, when in reviews]


def round_of_review(session: Session, review_id: int) -> int | None:
    return session.scalar(select(Review.round_id).where(Review.id == review_id))


def round_overview(session: Session) -> list[dict[str, object]]:
    """Each round with its numbers of reviews, held reviews, responses and recommendations."""
    def counts(stmt) -> dict[int, int]:
        return dict(session.execute(stmt).all())

    reviews = counts(select(Review.round_id, func.count(Review.id)).group_by(Review.round_id))
    held = counts(select(Review.round_id, func.count(Review.id)).where(Review.status == "held").group_by(Review.round_id))
    responses = counts(
        select(Review.round_id, func.count(Response.id)).join(Response, Response.review_id == Review.id)
        .where(Response.text != "").group_by(Review.round_id)
    )
    recs = counts(select(Recommendation.round_id, func.count(Recommendation.id)).group_by(Recommendation.round_id))
    rows = session.execute(select(Round.id, Round.label, Round.kind, Round.cycle_year, Round.report_month)
                           .order_by(Round.label, Round.id))
    return [
        {"id": rid, "label": label, "kind": kind, "cycle_year": year,
         "report_month": month_year(month), "reviews": reviews.get(rid, 0),
         "held": held.get(rid, 0), "responses": responses.get(rid, 0), "recommendations": recs.get(rid, 0)}
        for rid, label, kind, year, month in rows
    ]


def organisation_choices(session: Session) -> list[tuple[int, str]]:
    return by_name(((oid, name) for oid, name in session.execute(select(Organisation.id, Organisation.name))),
                   lambda row: row[1])


def person_choices(session: Session) -> list[tuple[int, str]]:
    return by_name(((pid, name) for pid, name in session.execute(select(Person.id, Person.name))), lambda row: row[1])


def organisations(session: Session) -> list[dict[str, object]]:
    return [{"id": o.id, "name": o.name, "short_name": o.short_name, "sector": o.sector, "ods_code": o.ods_code}
            for o in by_name(session.scalars(select(Organisation)), lambda o: o.name)]


def people(session: Session) -> list[dict[str, object]]:
    return [{"id": p.id, "name": p.name, "role_title": p.role_title, "organisation_id": p.organisation_id}
            for p in by_name(session.scalars(select(Person)), lambda p: p.name)]
