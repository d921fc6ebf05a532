"""``lgf demo``: one complete fictional round shaped like the seed report (and, from the audit
module, one fictional audit). Every name in it is invented. Loading it twice adds nothing."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..errors import UserError
from ..paths import resource
from ..models import (
    ContactAttempt, Organisation, Partnership, Person, Recommendation, Representative, Review,
    ReviewPanelPresence, Round, SourceKind,
)
from .review.responses import set_response
from .review.rounds import add_panel_member, create_round, set_chair, shipped_json, the_partnership
from .tracker.sources import ensure_source_kinds

DEMO_FILE = "demo_s11.json"


def load_demo(session: Session) -> list[str]:
    """Fill the database with the demo round; returns what was added (empty when already there)."""
    data = shipped_json(DEMO_FILE)
    partnership = the_partnership(session)
    if partnership is not None and partnership.name != data["partnership"]["name"]:
        raise UserError(
            f"This database belongs to {partnership.name}; load the demo into a new file instead (lgf --db demo.sqlite3 demo)."
        )
    added: list[str] = []
    if partnership is None:
        partnership = Partnership(name=data["partnership"]["name"], region=data["partnership"]["region"])
        session.add(partnership)
        session.flush()
        from .partnership import set_logo

        set_logo(session, resource("demo-logo.png"))
    ensure_source_kinds(session)
    if session.scalar(select(Round).where(Round.label == data["round"]["label"])) is None:
        _add_round(session, data)
        added.append(f"round {data['round']['label']}")
    from .audit.demo import add_demo_audit  # the demo audit's services load only when the demo is asked for
    from .self_assessment.demo import add_demo_self_assessment

    added.extend(add_demo_self_assessment(session))
    added.extend(add_demo_audit(session))
    return added


def _add_round(session: Session, data: dict) -> None:
    orgs: dict[str, Organisation] = {}
    for o in data["organisations"]:
        org = session.scalar(select(Organisation).where(Organisation.name == o["name"]))
        if org is None:
            org = Organisation(name=o["name"], short_name=o["short"], sector=o["sector"])
            session.add(org)
        orgs[o["name"]] = org
    people: dict[str, Person] = {}
    for p in data["people"]:
        person = session.scalar(select(Person).where(Person.name == p["name"]))
        if person is None:
            person = Person(name=p["name"], role_title=p["role"], organisation=orgs[p["org"]])
            session.add(person)
        people[p["name"]] = person

    r = data["round"]
    round_ = create_round(session, r["label"], cycle_year=r["cycle_year"],
                          report_month=date.fromisoformat(r["report_month"]))
    round_.methodology_intro = r["methodology_intro"]
    round_.conclusion_text = r["conclusion_text"]
    members = {}
    for p in data["people"]:
        if p["panel"] == "chair":
            members[p["name"]] = set_chair(round_, people[p["name"]])
        else:
            members[p["name"]] = add_panel_member(round_, people[p["name"]])
    session.flush()

    s11 = session.scalar(select(SourceKind).where(SourceKind.name == "Section 11"))
    questions = round_.questions
    for position, rv in enumerate(data["reviews"]):
        review = Review(round=round_, organisation=orgs[rv["org"]], status=rv["status"], position=position,
                        duration_minutes=round_.workshop_minutes)
        session.add(review)
        if rv["status"] == "held":
            review.review_date = date.fromisoformat(rv["date"])
            review.overall_comment = rv["overall"]
            for name in rv["panel"]:
                review.panel_present.append(ReviewPanelPresence(panel_member=members[name]))
            for index, (name, role) in enumerate(rv["representatives"]):
                review.representatives.append(Representative(name=name, role=role, kind="attended", position=index))
            for index, (name, role, *note) in enumerate(rv["apologies"]):
                review.representatives.append(Representative(name=name, role=role, kind="apologies", position=index,
                                                             note=note[0] if note else ""))
            session.flush()
            # As in the seed report: one response may cover the question above too (a merged cell).
            together = set(rv.get("answered_above", ()))
            for index, (question, text) in enumerate(zip(questions, rv["responses"], strict=True)):
                set_response(session, review, question, text).answered_above = index in together
            for index, (q_index, text) in enumerate(rv["recommendations"]):
                session.add(Recommendation(round=round_, review=review, question=questions[q_index],
                                           organisation=review.organisation, text=text, position=index,
                                           source_kind=s11))
        else:
            for when, channel, contact, offered, response in rv["contacts"]:
                review.contact_attempts.append(ContactAttempt(
                    contact_date=date.fromisoformat(when), channel=channel, contact_name=contact,
                    offered=offered, response=response))
            session.add(Recommendation(round=round_, review=review, organisation=review.organisation,
                                       text=rv["recommendation"], source_kind=s11))
    for index, text in enumerate(data["partnership_recommendations"]):
        session.add(Recommendation(round=round_, is_partnership=True, text=text, position=index, source_kind=s11))
    session.flush()
