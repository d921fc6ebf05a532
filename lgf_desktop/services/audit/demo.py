"""The demo audit ``lgf demo`` adds: one complete fictional quarterly audit of ten children, four
auditors from different agencies, grades with evidence, moderation, findings, links and
recommendations. Every name in it is invented; grades come from a fixed seed so the demo is the
same every time."""

from __future__ import annotations

import random
from collections import Counter
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from ...models import Audit, Organisation, Person
from ..review.rounds import shipped_json
from .cases import add_auditor, add_case_agency, assign, create_audit, set_case_details
from .details import add_link
from .findings import add_audit_recommendation, set_findings, set_moderated_grade
from .grading import raise_concern, set_case_summary, set_grade

DEMO_FILE = "audit_demo.json"
EVIDENCE = {
    "Outstanding": "Clear, timely and well recorded; the difference for the child is evident.",
    "Good": "Done well overall; records show what was decided and why.",
    "Requires improvement": "Some delay or gaps in recording; the reason for decisions is not always clear.",
    "Inadequate": "Not done, or done too late to make a difference for the child.",
    "Not applicable": "This agency had no part in this stage of the work.",
}


def _organisation(session: Session, name: str) -> Organisation:
    org = session.scalar(select(Organisation).where(Organisation.name == name))
    if org is None:
        org = Organisation(name=name)
        session.add(org)
    return org


def _person(session: Session, data: dict) -> Person:
    person = session.scalar(select(Person).where(Person.name == data["name"]))
    if person is None:
        person = Person(name=data["name"], role_title=data["role"])
        session.add(person)
    if person.organisation is None:
        person.organisation = _organisation(session, data["org"])
    return person


def add_demo_audit(session: Session) -> list[str]:
    """Add the demo audit unless it is there already; returns what was added."""
    data = shipped_json(DEMO_FILE)
    if session.scalar(select(Audit).where(Audit.theme == data["theme"], Audit.quarter == data["quarter"])):
        return []
    audit = create_audit(session, data["theme"], data["quarter"], start_date=date.fromisoformat(data["start_date"]),
                         end_date=date.fromisoformat(data["end_date"]))
    auditors = [add_auditor(session, audit, _person(session, a)) for a in data["auditors"]]
    rng = random.Random(20250707)
    options = audit.grade_options
    for case, case_data in zip(audit.cases, data["cases"], strict=True):
        set_case_details(case, age_band=case_data["age_band"])
        for index in case_data["auditors"]:
            auditor = auditors[index]
            add_case_agency(case, auditor.person.organisation)
            assignment = assign(session, auditor, case)
            for grade in assignment.grades:
                option = rng.choices(options, weights=data["grade_weights"])[0]
                set_grade(grade, option, EVIDENCE.get(option.label, ""))
            set_case_summary(assignment, working_well=rng.choice(data["working_well"]),
                             needs_improve=rng.choice(data["needs_improve"]),
                             voice_heard=rng.choice(("yes", "yes", "partly", "no")))
    session.flush()
    concern = data["concern"]
    concern_case = audit.cases[concern["case"]]
    raise_concern(next(a for a in auditors[concern["auditor"]].assignments if a.case is concern_case), concern["text"])
    _moderate(session, audit)
    set_findings(audit, **data["findings"])
    for link in data["links"]:
        add_link(audit, link["title"], link["url"])
    for rec in data["recommendations"]:
        add_audit_recommendation(session, audit, rec["text"],
                                 organisation=_organisation(session, rec["org"]) if rec["org"] else None)
    session.flush()
    return [f"audit '{audit.theme}' ({audit.quarter})"]


def _moderate(session: Session, audit: Audit) -> None:
    """Agree each case and question on the grade most auditors gave; with no majority, the middle one."""
    position = {o.id: o.position for o in audit.grade_options}
    by_id = {o.id: o for o in audit.grade_options}
    for case in audit.cases:
        assignments = [a for auditor in audit.auditors for a in auditor.assignments if a.case is case]
        for question in audit.questions:
            grades = sorted((g.grade_option_id for a in assignments for g in a.grades
                             if g.question_id == question.id and g.grade_option_id is not None), key=position.get)
            if grades:
                top, votes = Counter(grades).most_common(1)[0]
                agreed = top if votes * 2 > len(grades) else grades[(len(grades) - 1) // 2]
                set_moderated_grade(session, case, question, by_id[agreed])
