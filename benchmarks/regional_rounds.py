"""Five partnerships' databases built through the services, as the regional tests and the benchmark
need them: different names, one with a different question template, one with a declined
organisation, one organisation (the police, by its ODS code) reviewed by two partnerships."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from lgf_desktop.db import Database
from lgf_desktop.keys import this_sitting
from lgf_desktop.services import editing
from lgf_desktop.services.region.round_file import export_round
from lgf_desktop.services.review import workshop as ws
from lgf_desktop.services.review.rounds import create_round

LABEL = "2021-22"


@dataclass
class PartnershipPlan:
    name: str
    short: str
    organisations: list[tuple[str, str, str]]  # (name, short name, ODS code)
    declined: set[str] = field(default_factory=set)  # short names that declined
    own_template: bool = False  # a template of its own instead of the shipped one
    partnership_recommendations: int = 1


def five_partnerships(per_partnership: int = 3) -> list[PartnershipPlan]:
    """The Avon and Somerset shape: five partnerships, ``per_partnership`` organisations each; the
    police (ODS code QAS) reviewed by the first and the third; the second uses its own template; an
    organisation of the fourth declined."""
    names = [("Bristol, North Somerset and South Gloucestershire", "BNSSG"), ("Bath and North East Somerset", "BANES"),
             ("Somerset", "SOM"), ("North Somerset Borough", "NSB"), ("South Gloucestershire", "SGLOS")]
    plans = []
    for index, (name, short) in enumerate(names):
        orgs = [(f"{short} Community Organisation {n + 1}", f"{short}-O{n + 1}", "") for n in range(per_partnership)]
        if index in (0, 2):
            orgs[0] = ("Avon and Somerset Police", "ASP", "QAS")
        plans.append(PartnershipPlan(f"{name} Safeguarding Children Partnership", short, orgs,
                                     declined={orgs[-1][1]} if index == 3 else set(), own_template=index == 1))
    return plans


def build_partnership(path: Path, plan: PartnershipPlan, *, user: str = "Business Manager") -> Database:
    """A partnership's database with its round 2021-22: panel, reviews held (attendance, responses,
    recommendations) or declined (contacts), and its own recommendations."""
    db = Database.open(path)
    db.set_user(f"{plan.short} {user}")
    with db.session() as s:
        editing.set_partnership(s, plan.name, "Avon and Somerset")
        round_ = create_round(s, LABEL, use_default_template=not plan.own_template, report_month=date(2022, 3, 1))
        if plan.own_template:
            for t, title in enumerate(("Leadership and Accountability", "Voice of the Child", "Safer Recruitment")):
                theme = editing.add_theme(s, round_.id, title)
                for q in range(2):
                    editing.add_question(s, theme.id, f"{title}: question {q + 1} for {plan.short}?")
        chair = editing.add_person(s, f"{plan.short} Chair", "Business Manager")
        member = editing.add_person(s, f"{plan.short} Nurse", "Designated Nurse")
        editing.add_to_panel(s, round_.id, chair.id, chair=True)
        editing.add_to_panel(s, round_.id, member.id)
        questions = [q.id for q in round_.questions]
        for position, (org_name, short, ods) in enumerate(plan.organisations):
            org = editing.add_organisation(s, org_name, short, "Police" if ods else "Health")
            if ods:
                editing.update(s, type(org), org.id, ods_code=ods)
            review = editing.add_review(s, round_.id, org.id)
            if short in plan.declined:
                editing.update(s, type(review), review.id, status="declined")
                editing.add_contact_attempt(s, review.id, date(2021, 11, 3), "email", "a workshop in December",
                                            "no reply", "Chief Executive")
                continue
            editing.update(s, type(review), review.id, status="held", review_date=date(2022, 1, 10 + position),
                           overall_comment=f"A constructive session with {short}.")
            for panel_member in round_.panel:
                editing.set_present(s, review.id, panel_member.id, True)
            editing.add_representative(s, review.id, f"{short} Named Nurse", "Named Nurse")
            ws.add_representative(s, review, f"{short} Director", "Director", kind="apologies",
                                  note="although they had helped prepare for the review")
            s.flush()
            for number, question_id in enumerate(questions):
                ws.save_response(s, review.id, question_id, f"{short} answered question {number + 1} fully.")
            first = ws.add_recommendation(s, review, questions[0], f"{short} should name a deputy safeguarding lead.")
            ws.add_recommendation(s, review, questions[-1], f"{short} should audit its referrals.")
            if position == 0:  # the seed report's constructs travel too
                s.flush()
                ws.set_full_text(s, first.id, f"{short} should name a deputy safeguarding lead by the next board.")
                ws.add_review_partnership_recommendation(s, review, f"Partnership to share {short}'s practice.")
        s.flush()
        for n in range(plan.partnership_recommendations):
            ws.add_partnership_recommendation(s, round_.id, f"{plan.short} partnership to refresh policy {n + 1}.")
    return db


def export_for_region(db: Database, path: Path) -> Path:
    """The partnership's round as the file it sends the regional lead (sealed for the test user,
    who plays the lead too)."""
    with db.session() as s:
        written, _ = export_round(s, LABEL, path, to=this_sitting().public)
    return written
