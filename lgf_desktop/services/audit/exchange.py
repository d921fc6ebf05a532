"""Auditors working offline: the coordinator's package per auditor, opened into the auditor's own
database, and the auditor's return.

A package (kind ``audit-package``) holds the audit's tool and scale and ONE auditor's assigned cases
with that auditor's own grades — no other auditor's work, no other case, no findings. Opening it
creates the audit with the same uuids in the auditor's database, marked ``is_auditor_copy``. The
return (kind ``audit-return``) holds that auditor's grades and case summaries with their versions;
the coordinator merges it with ``merge.import_audit_return``.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ...errors import UserError
from ...exchange import schemas
from ...exchange.container import Package, write_package
from ...exchange.senders import package_sealing, return_sealing
from ...keys import MyKey
from ...models import (
    Assignment, Audit, AuditCase, AuditQuestion, AuditSection, Auditor, CaseAgency, Grade, GradeOption,
    Organisation, Person,
)
from ..privacy.child_names import name_check_part, receive_name_check
from ..privacy.leaving import guard, json_pieces
from .cases import ensure_grades
from .grading import SUMMARY_FIELDS, changed_here


def _mismatch() -> UserError:
    return UserError("This package does not match the audit in this database (its cases, answers or tool clash "
                     "with the ones here); nothing was imported.")


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
        "coordinator_rev": assignment.coordinator_rev, "auditor_rev": assignment.auditor_rev,
        **{name: getattr(assignment, name) for name in SUMMARY_FIELDS},
        "grades": [{
            "uuid": g.uuid, "question_uuid": g.question.uuid,
            "option_uuid": g.grade_option.uuid if g.grade_option else None,
            "evidence": g.evidence, "coordinator_rev": g.coordinator_rev, "auditor_rev": g.auditor_rev,
        } for g in assignment.grades],
    }


def _who(auditor: Auditor) -> str:
    org = auditor.person.organisation
    return f"{auditor.person.name} ({org.display_name})" if org else auditor.person.name


def issue_package(session: Session, auditor: Auditor, path: str | Path, *, author: str = "",
                  override_identifying: bool = False, sender: MyKey | None = None, passphrase: str | None = None) -> Path:
    """Write ``auditor``'s package, sealed for their key (or ``passphrase``) and signed by ``sender``
    (default: the key unlocked for this sitting): each answer as it is here, with both sides'
    revisions of it."""
    audit = auditor.audit
    if audit.is_auditor_copy:
        raise UserError("This is an auditor's copy of the audit; only the coordinator issues packages.")
    if not auditor.assignments:
        raise UserError(f"{auditor.person.name} has no cases assigned; assign cases before issuing a package.")
    assignments = sorted(auditor.assignments, key=lambda a: a.case.position)
    for assignment in assignments:
        ensure_grades(assignment)
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
    name_check = name_check_part(session, audit)
    if name_check is not None:  # not case text, so not scanned: keyed hashes, inside the encryption
        parts["name_check.json"] = _dumps(name_check)
        description += (" It also carries the children's real names as keyed hashes (never the names), so the "
                        "auditor's copy flags them wherever they are typed.")
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
    audit_data, auditor_data, cases = _checked_package(package)
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
    questions = {q.uuid: q for q in audit.questions}
    options = {o.uuid: o for o in audit.grade_options}
    opened = [_open_case(session, audit, auditor, case, questions, options) for case in cases]
    if "name_check.json" in package.parts:
        check = schemas.validate(schemas.NameCheck, package.json("name_check.json"), "The name check in this package")
        receive_name_check(session, audit, check.key, list(check.digests))
    session.flush()
    added, kept = sum(n for n, _ in opened), sum(k for _, k in opened)
    names = ", ".join(c["pseudonym"] for c in cases)
    text = (f"Opened the audit '{audit.theme}' for {auditor.person.name}: {len(cases)} case(s) ({names})"
            + (f", {added} new" if added != len(cases) else ""))
    if kept:
        text += (f"; {kept} answer(s) you changed were also changed by the coordinator: yours are kept here, "
                 "and your next return puts both to the coordinator to choose")
    return text + "."


def _checked_package(package: Package) -> tuple[dict, dict, list[dict]]:
    """The package's parts, each checked against its schema and against each other and the manifest."""
    tool = schemas.validate(schemas.AuditTool, package.json("audit.json"), "The audit in this package")
    auditor = schemas.validate(schemas.AuditorPart, package.json("auditor.json"), "The auditor in this package")
    cases = schemas.validate(schemas.AssignedCases, {"cases": package.json("cases.json")}, "The cases in this package").cases
    questions = {q.uuid for s in tool.sections for q in s.questions}
    options = {o.uuid for o in tool.grade_options}
    for case in cases:
        if case.assignment.case_uuid != case.uuid:
            raise UserError(f"This package's work on {case.pseudonym} belongs to another case; nothing was imported.")
        for grade in case.assignment.grades:
            if grade.question_uuid not in questions:
                raise UserError(f"This package grades {case.pseudonym} on a question its audit tool does not have; "
                                "nothing was imported.")
            if grade.option_uuid is not None and grade.option_uuid not in options:
                raise UserError("This package uses a grade that is not on its audit's scale; nothing was imported.")
    scope = {"audit_uuid": tool.uuid, "auditor_uuid": auditor.uuid, "case_uuids": [c.uuid for c in cases]}
    check_manifest(package, scope, [c.pseudonym for c in cases])
    return tool.model_dump(), auditor.model_dump(), [c.model_dump() for c in cases]


def check_manifest(package: Package, scope: dict[str, Any], names: list[str]) -> None:
    """The manifest's stated scope must be the content's, and its description must name every case."""
    if package.scope != scope:
        raise UserError("This file's manifest says it holds other cases or another audit than it does; "
                        "it was not imported.")
    unnamed = [name for name in names if name not in package.manifest["description"]]
    if unnamed:
        raise UserError(f"This file's description does not say that it holds {unnamed[0]}; it was not imported.")


def _new_auditor_copy(session: Session, data: dict) -> Audit:
    from datetime import date

    for model, uuids in ((AuditSection, [s["uuid"] for s in data["sections"]]),
                         (AuditQuestion, [q["uuid"] for s in data["sections"] for q in s["questions"]]),
                         (GradeOption, [o["uuid"] for o in data["grade_options"]])):
        if session.scalar(select(model.id).where(model.uuid.in_(uuids)).limit(1)) is not None:
            raise _mismatch()

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


def _open_case(session: Session, audit: Audit, auditor: Auditor, data: dict, questions: dict[str, AuditQuestion],
               options: dict[str, GradeOption]) -> tuple[int, int]:
    """Add or refresh one assigned case; (1 if new, answers where the auditor's own change was kept)."""
    case = _by_uuid(session, AuditCase, data["uuid"])
    new = case is None
    if case is not None and case.audit_id != audit.id or new and any(c.pseudonym == data["pseudonym"] for c in audit.cases):
        raise _mismatch()
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
    kept = 0
    if assignment is None and any(a.case is case for a in auditor.assignments) or (
            assignment is not None and (assignment.case is not case or assignment.auditor is not auditor)):
        raise _mismatch()
    if assignment is None:
        assignment = Assignment(uuid=a_data["uuid"], case=case, **_revisions(a_data),
                                **{name: a_data[name] for name in SUMMARY_FIELDS})
        auditor.assignments.append(assignment)
    else:
        kept += _open_answer(assignment, a_data, _summary_of(assignment) == {n: a_data[n] for n in SUMMARY_FIELDS},
                             lambda: _set_summary(assignment, a_data))
    session.flush()
    grades = {g.uuid: g for g in assignment.grades}
    for g_data in a_data["grades"]:
        grade = grades.get(g_data["uuid"])
        option = options.get(g_data["option_uuid"]) if g_data["option_uuid"] else None
        if grade is None:
            if _by_uuid(session, Grade, g_data["uuid"]) is not None or any(
                    g.question is questions[g_data["question_uuid"]] for g in assignment.grades):
                raise _mismatch()
            assignment.grades.append(Grade(uuid=g_data["uuid"], question=questions[g_data["question_uuid"]], grade_option=option,
                                           evidence=g_data["evidence"], **_revisions(g_data)))
        else:
            same = (grade.grade_option_id, grade.evidence) == (option.id if option else None, g_data["evidence"])
            kept += _open_answer(grade, g_data, same, lambda g=grade, o=option, e=g_data["evidence"]: _set_grade(g, o, e))
    return int(new), kept


def _revisions(data: dict) -> dict[str, int]:
    return {"coordinator_rev": data["coordinator_rev"], "auditor_rev": data["auditor_rev"], "agreed_rev": data["auditor_rev"]}


def _summary_of(assignment: Assignment) -> dict[str, Any]:
    return {name: getattr(assignment, name) for name in SUMMARY_FIELDS}


def _set_summary(assignment: Assignment, data: dict) -> None:
    for name in SUMMARY_FIELDS:
        setattr(assignment, name, data[name])


def _set_grade(grade: Grade, option: GradeOption | None, evidence: str) -> None:
    grade.grade_option, grade.evidence = option, evidence


def _open_answer(row: Assignment | Grade, data: dict, same: bool, take: Any) -> int:
    """The auditor's rule of ``merge``: take the package's answer unless it is not newer, or the
    auditor changed the answer since in a way the coordinator has not seen; 1 if a different answer of
    the auditor's was kept."""
    if data["coordinator_rev"] <= row.coordinator_rev:
        return 0
    if row.auditor_rev > data["auditor_rev"]:
        return 0 if same else 1
    if not same:
        take()
        row.version += 1
    row.coordinator_rev = data["coordinator_rev"]
    row.auditor_rev = row.agreed_rev = data["auditor_rev"]
    return 0


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
