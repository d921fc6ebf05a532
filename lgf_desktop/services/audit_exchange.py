"""Auditors working offline: the coordinator's package per auditor, opened into the auditor's own
database, and the auditor's return.

A package (kind ``audit-package``) holds the audit's tool and scale and ONE auditor's assigned cases
with that auditor's own grades — no other auditor's work, no other case, no findings. Opening it
creates the audit with the same uuids in the auditor's database, marked ``is_auditor_copy``. The
return (kind ``audit-return``) holds that auditor's grades and case summaries with their versions;
the coordinator merges it with ``audit_merge.import_audit_return``.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..errors import UserError
from ..exchange.container import Package, write_package
from ..exchange.senders import package_sealing, return_sealing
from ..keys import MyKey
from ..models import (
    Assignment, Audit, AuditCase, AuditQuestion, AuditSection, Auditor, CaseAgency, Grade, GradeOption,
    Organisation, Person,
)
from .audit_grading import SUMMARY_FIELDS, changed_here
from .audits import ensure_grades
from .leaving import guard, json_pieces

PACKAGE_KIND = "audit-package"
RETURN_KIND = "audit-return"


def _dumps(value: Any) -> bytes:
    return json.dumps(value, ensure_ascii=False, indent=1, sort_keys=True).encode("utf-8")


def _org(org: Organisation | None) -> dict | None:
    if org is None:
        return None
    return {"uuid": org.uuid, "name": org.name, "short_name": org.short_name, "sector": org.sector}


def assignment_data(assignment: Assignment) -> dict[str, Any]:
    """An assignment's auditor-owned content and versions, with its grades (package and return)."""
    return {
        "uuid": assignment.uuid, "case_uuid": assignment.case.uuid,
        "version": assignment.version, "base_version": assignment.base_version,
        **{name: getattr(assignment, name) for name in SUMMARY_FIELDS},
        "grades": [{
            "uuid": g.uuid, "question_uuid": g.question.uuid,
            "option_uuid": g.grade_option.uuid if g.grade_option else None,
            "evidence": g.evidence, "version": g.version, "base_version": g.base_version,
        } for g in assignment.grades],
    }


def _who(auditor: Auditor) -> str:
    org = auditor.person.organisation
    return f"{auditor.person.name} ({org.display_name})" if org else auditor.person.name


def issue_package(session: Session, auditor: Auditor, path: str | Path, *, author: str = "",
                  override_identifying: bool = False, sender: MyKey | None = None, passphrase: str | None = None) -> Path:
    """Write ``auditor``'s package, sealed for their key (or ``passphrase``) and signed by ``sender``
    (default: the key unlocked for this sitting). What it holds becomes the agreed starting point of
    each answer."""
    audit = auditor.audit
    if audit.is_auditor_copy:
        raise UserError("This is an auditor's copy of the audit; only the coordinator issues packages.")
    if not auditor.assignments:
        raise UserError(f"{auditor.person.name} has no cases assigned; assign cases before issuing a package.")
    assignments = sorted(auditor.assignments, key=lambda a: a.case.position)
    for assignment in assignments:
        ensure_grades(assignment)
    session.flush()
    for row in [a for a in assignments] + [g for a in assignments for g in a.grades]:
        row.version = row.base_version = max(row.version, row.base_version)
    session.flush()
    audit_part = {
        "uuid": audit.uuid, "theme": audit.theme, "quarter": audit.quarter,
        "start_date": audit.start_date.isoformat() if audit.start_date else None,
        "end_date": audit.end_date.isoformat() if audit.end_date else None,
        "tool_name": audit.tool_name, "scale_name": audit.scale_name,
        "partnership": audit.partnership.name if audit.partnership else "",
        "sections": [{"uuid": s.uuid, "title": s.title, "position": s.position, "questions": [
            {"uuid": q.uuid, "text": q.text, "guidance": q.guidance, "position": q.position} for q in s.questions
        ]} for s in audit.sections],
        "grade_options": [{"uuid": o.uuid, "label": o.label, "key": o.key, "colour": o.colour, "position": o.position,
                           "is_not_applicable": o.is_not_applicable} for o in audit.grade_options],
    }
    person = auditor.person
    cases_part = [{
        "uuid": a.case.uuid, "pseudonym": a.case.pseudonym, "age_band": a.case.age_band, "position": a.case.position,
        "agencies": [_org(link.organisation) for link in a.case.agencies],
        "assignment": assignment_data(a),
    } for a in assignments]
    auditor_part = {"uuid": auditor.uuid, "person": {"uuid": person.uuid, "name": person.name,
                                                    "role_title": person.role_title, "organisation": _org(person.organisation)}}
    names = ", ".join(a.case.pseudonym for a in assignments)
    parts = {"audit.json": _dumps(audit_part), "auditor.json": _dumps(auditor_part), "cases.json": _dumps(cases_part)}
    checked = guard(session, f"The package for {person.name}", json_pieces(parts), override=override_identifying,
                    record_uuid=audit.uuid)
    description = (f"Multi-agency audit '{audit.theme}' {audit.quarter}: the audit tool, the {audit.scale_name} scale "
                   f"and the {len(assignments)} case(s) assigned to {_who(auditor)}: {names}; with that auditor's "
                   f"own grades only and no other auditor's work. {checked}")
    scope = {"audit_uuid": audit.uuid, "auditor_uuid": auditor.uuid, "case_uuids": [a.case.uuid for a in assignments]}
    sealing = package_sealing(session, auditor, sender=sender, passphrase=passphrase)
    return write_package(path, kind=PACKAGE_KIND, author=author or person.name, description=description, scope=scope,
                         parts=parts, sealing=sealing)


def _by_uuid(session: Session, model: type, uuid: str) -> Any:
    return session.scalar(select(model).where(model.uuid == uuid))


def _get_org(session: Session, data: dict | None) -> Organisation | None:
    if data is None:
        return None
    org = _by_uuid(session, Organisation, data["uuid"])
    if org is None:
        org = Organisation(uuid=data["uuid"], name=data["name"], short_name=data["short_name"], sector=data["sector"])
        session.add(org)
    return org


def import_audit_package(session: Session, package: Package) -> str:
    """Open a coordinator's package into this (the auditor's) database."""
    audit_data, auditor_data, cases = package.json("audit.json"), package.json("auditor.json"), package.json("cases.json")
    audit = _by_uuid(session, Audit, audit_data["uuid"])
    if audit is not None and not audit.is_auditor_copy:
        raise UserError("This package was issued from this database; open it in the auditor's own database file instead.")
    if audit is None:
        audit = _new_auditor_copy(session, audit_data)
    auditor = _by_uuid(session, Auditor, auditor_data["uuid"])
    if auditor is None:
        if audit.auditors:
            raise UserError(f"This database already holds {audit.auditors[0].person.name}'s copy of this audit; "
                            "open each auditor's package in their own database file.")
        person_data = auditor_data["person"]
        person = _by_uuid(session, Person, person_data["uuid"]) or Person(
            uuid=person_data["uuid"], name=person_data["name"], role_title=person_data["role_title"],
            organisation=_get_org(session, person_data["organisation"]))
        auditor = Auditor(uuid=auditor_data["uuid"], person=person)
        audit.auditors.append(auditor)
    elif auditor.audit_id != audit.id:
        raise UserError("This package does not match the audit in this database; nothing was imported.")
    session.flush()
    added = sum(_open_case(session, audit, auditor, case) for case in cases)
    session.flush()
    names = ", ".join(c["pseudonym"] for c in cases)
    return (f"Opened the audit '{audit.theme}' for {auditor.person.name}: {len(cases)} case(s) ({names})"
            + (f", {added} new." if added != len(cases) else "."))


def _new_auditor_copy(session: Session, data: dict) -> Audit:
    from datetime import date

    audit = Audit(uuid=data["uuid"], theme=data["theme"], quarter=data["quarter"], tool_name=data["tool_name"],
                  scale_name=data["scale_name"], is_auditor_copy=True,
                  start_date=date.fromisoformat(data["start_date"]) if data["start_date"] else None,
                  end_date=date.fromisoformat(data["end_date"]) if data["end_date"] else None)
    for s in data["sections"]:
        section = AuditSection(uuid=s["uuid"], title=s["title"], position=s["position"])
        for q in s["questions"]:
            section.questions.append(AuditQuestion(uuid=q["uuid"], text=q["text"], guidance=q["guidance"], position=q["position"]))
        audit.sections.append(section)
    for o in data["grade_options"]:
        audit.grade_options.append(GradeOption(uuid=o["uuid"], label=o["label"], key=o["key"], colour=o["colour"],
                                               position=o["position"], is_not_applicable=o["is_not_applicable"]))
    session.add(audit)
    session.flush()
    return audit


def _open_case(session: Session, audit: Audit, auditor: Auditor, data: dict) -> int:
    """Add or refresh one assigned case; the auditor's own unsent changes are kept. 1 if new."""
    case = _by_uuid(session, AuditCase, data["uuid"])
    new = case is None
    if new:
        case = AuditCase(uuid=data["uuid"], pseudonym=data["pseudonym"], position=data["position"])
        audit.cases.append(case)
    case.age_band = data["age_band"]
    for org_data in data["agencies"]:
        org = _get_org(session, org_data)
        if not any(link.organisation is org for link in case.agencies):
            case.agencies.append(CaseAgency(organisation=org))
    a_data = data["assignment"]
    assignment = _by_uuid(session, Assignment, a_data["uuid"])
    if assignment is None:
        assignment = Assignment(uuid=a_data["uuid"], case=case, version=a_data["version"], base_version=a_data["version"],
                                **{name: a_data[name] for name in SUMMARY_FIELDS})
        auditor.assignments.append(assignment)
    elif not changed_here(assignment) and a_data["version"] > assignment.base_version:
        for name in SUMMARY_FIELDS:
            setattr(assignment, name, a_data[name])
        assignment.version = assignment.base_version = a_data["version"]
    session.flush()
    questions = {q.uuid: q for q in audit.questions}
    options = {o.uuid: o for o in audit.grade_options}
    for g_data in a_data["grades"]:
        grade = _by_uuid(session, Grade, g_data["uuid"])
        option = options.get(g_data["option_uuid"]) if g_data["option_uuid"] else None
        if grade is None:
            assignment.grades.append(Grade(uuid=g_data["uuid"], question=questions[g_data["question_uuid"]], grade_option=option,
                                           evidence=g_data["evidence"], version=g_data["version"], base_version=g_data["version"]))
        elif not changed_here(grade) and g_data["version"] > grade.base_version:
            grade.grade_option, grade.evidence = option, g_data["evidence"]
            grade.version = grade.base_version = g_data["version"]
    return int(new)


def export_return(session: Session, audit: Audit, path: str | Path, *, author: str = "",
                  override_identifying: bool = False, sender: MyKey | None = None, passphrase: str | None = None) -> Path:
    """Write the auditor's return: their grades and case summaries with versions."""
    if not audit.is_auditor_copy or not audit.auditors:
        raise UserError("Returns are made from an auditor's copy of an audit (opened from a package); "
                        "this database holds the coordinator's audit.")
    auditor = audit.auditors[0]
    assignments = sorted(auditor.assignments, key=lambda a: a.case.position)
    changed = sum(1 for a in assignments for row in (a, *a.grades) if changed_here(row))
    part = {"audit_uuid": audit.uuid, "theme": audit.theme, "quarter": audit.quarter, "auditor_uuid": auditor.uuid,
            "assignments": [assignment_data(a) for a in assignments]}
    names = ", ".join(a.case.pseudonym for a in assignments)
    parts = {"return.json": _dumps(part)}
    checked = guard(session, f"{auditor.person.name}'s return", json_pieces(parts), override=override_identifying,
                    record_uuid=audit.uuid)
    description = (f"{_who(auditor)}'s work on the multi-agency audit '{audit.theme}' {audit.quarter}: grades, "
                   f"evidence and case summaries for {names} ({changed} answer(s) changed since the package was issued). "
                   f"{checked}")
    scope = {"audit_uuid": audit.uuid, "auditor_uuid": auditor.uuid, "case_uuids": [a.case.uuid for a in assignments]}
    sealing = return_sealing(session, audit, sender=sender, passphrase=passphrase)
    return write_package(path, kind=RETURN_KIND, author=author or auditor.person.name, description=description,
                         scope=scope, parts=parts, sealing=sealing)
