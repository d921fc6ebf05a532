"""Merging auditors' returns into the coordinator's audit, and the conflict list.

Two sides edit each grade and case summary: the coordinator (here) and the one auditor it is assigned
to (in their own copy). Each side counts its own changes to the answer, and every exchange file says,
per answer, both counts as its sender knows them — a package: the coordinator's revision and the
auditor's revision it has merged or decided; a return: the auditor's revision and the coordinator's
revision the auditor's answer is built on. A row also keeps ``agreed_rev``: this side's revision when
both sides last held the same answer. A merge compares only these small integers, never clocks.

**Rule at the coordinator**, for an answer in a return (auditor's revision ``A``, built on the
coordinator's ``C``), the row here holding ``coordinator_rev`` c, ``auditor_rev`` a, ``agreed_rev`` g:

1. ``A <= a``: nothing new (the same return again, in any wrapping; an older return after a newer
   one; work already merged or decided) — unchanged.
2. otherwise, if ``C == c`` (the auditor built on this database's latest answer) or ``c == g`` (the
   coordinator has not changed it since it last equalled the auditor's): the auditor's answer is
   taken; ``a = A``, ``c += 1``, ``g = c``.
3. otherwise both sides changed it: the same answer is agreed (``a = A``, ``g = c``); a different one
   goes to the conflict list (``MergeConflict``, one per answer, holding the auditor's latest) and
   neither is overwritten until the coordinator chooses. Keeping the coordinator's answer decides the
   auditor's revision (``a = A``: their next package brings the coordinator's answer to them); taking
   the auditor's is step 2.

**Rule at the auditor** (``audit.exchange``, opening a package with coordinator's revision ``C`` and
auditor's revision ``A``): ``C <= c``: nothing new; otherwise if ``a <= A`` (everything done here the
coordinator has merged or decided) the package's answer is taken (``c = C``, ``a = g = A``); otherwise
the auditor's own answer is kept, and their next return brings both to the coordinator as a conflict.

So every edit on either side ends in the answer both hold, or in a conflict the coordinator resolves:
a re-issued package, a return replayed or re-wrapped, or returns in any order never drop or overwrite
one silently (``tests/test_audit_merge_property.py`` checks this on random histories). Revisions are
validated as small integers before anything is written (``exchange/schemas``).

A return is checked whole before anything is written: for another audit, from someone who is not its
auditor, holding a case not assigned to them, or a grade not on the audit's scale, it is refused with
one sentence and no change.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from ...errors import UserError
from ...exchange import schemas
from ...exchange.container import Package
from ...models import Assignment, Audit, AuditCase, Auditor, Grade, GradeOption, MergeConflict
from .exchange import check_manifest
from .grading import SUMMARY_FIELDS


@dataclass
class MergeCounts:
    taken: int = 0
    unchanged: int = 0
    agreed: int = 0
    conflicts: int = 0
    messages: list[str] = field(default_factory=list)


def _grade_content(grade: Grade) -> dict[str, Any]:
    return {"option_uuid": grade.grade_option.uuid if grade.grade_option else None, "evidence": grade.evidence}


def _summary_content(assignment: Assignment) -> dict[str, Any]:
    return {name: getattr(assignment, name) for name in SUMMARY_FIELDS}


def _apply_grade(grade: Grade, content: dict[str, Any], options: dict[str, GradeOption]) -> None:
    option = options.get(content["option_uuid"]) if content["option_uuid"] else None
    option_id = option.id if option else None
    if grade.grade_option_id != option_id:
        grade.grade_option_id = option_id  # the key alone: cheaper than the relationship when merging many
    if grade.evidence != content["evidence"]:
        grade.evidence = content["evidence"]


def _apply_summary(assignment: Assignment, content: dict[str, Any]) -> None:
    for name in SUMMARY_FIELDS:
        if getattr(assignment, name) != content[name]:
            setattr(assignment, name, content[name])
    if content["immediate_concern"] and assignment.concern_action == "":
        assignment.concern_resolved_at = None  # a newly raised concern stands out until resolved


def _take(row: Grade | Assignment, apply: Any, content: dict, auditor_rev: int) -> None:
    apply(content)
    row.auditor_rev = max(row.auditor_rev, auditor_rev)
    row.coordinator_rev += 1
    row.agreed_rev = row.coordinator_rev
    row.version += 1


def _merge_row(session: Session, audit: Audit, row: Grade | Assignment, local: dict, incoming: dict,
               auditor_rev: int, built_on: int, apply: Any, counts: MergeCounts,
               open_conflicts: dict[str, MergeConflict]) -> None:
    """One answer of a return, by the rule in the module docstring."""
    if auditor_rev <= row.auditor_rev:
        counts.unchanged += 1
        return
    existing = open_conflicts.get(row.uuid)
    unchanged_here = row.coordinator_rev == row.agreed_rev
    if existing is None and (built_on == row.coordinator_rev or unchanged_here):
        if local == incoming:
            row.auditor_rev, row.agreed_rev = auditor_rev, row.coordinator_rev
            counts.unchanged += 1
        else:
            _take(row, apply, incoming, auditor_rev)
            counts.taken += 1
        return
    if existing is None and local == incoming:
        row.auditor_rev, row.agreed_rev = auditor_rev, row.coordinator_rev
        counts.agreed += 1
        return
    if existing is None:
        conflict = MergeConflict(audit_id=audit.id, table_name=row.__tablename__, record_uuid=row.uuid,
                                 local_json=json.dumps(local), incoming_json=json.dumps(incoming),
                                 incoming_version=auditor_rev)
        session.add(conflict)
        open_conflicts[row.uuid] = conflict
    elif existing.incoming_version < auditor_rev:  # the auditor's later answer replaces their earlier one
        existing.local_json, existing.incoming_json, existing.incoming_version = json.dumps(local), json.dumps(incoming), auditor_rev
    counts.conflicts += 1


def _refuse_unless_valid(audit: Audit | None, auditor: Auditor | None, data: dict, name: str) -> None:
    if audit is None:
        raise UserError(f"{name} is a return for the audit '{data.get('theme', '?')}' {data.get('quarter', '')}, "
                        "which is not in this database; nothing was imported.")
    if audit.is_auditor_copy:
        raise UserError("This database is an auditor's copy; returns are imported into the coordinator's database.")
    if auditor is None or auditor.audit_id != audit.id:
        raise UserError(f"{name} comes from someone who is not an auditor of '{audit.theme}'; nothing was imported.")
    mine = {a.uuid: a for a in auditor.assignments}
    for a_data in data["assignments"]:
        assignment = mine.get(a_data["uuid"])
        if assignment is None or assignment.case.uuid != a_data["case_uuid"]:
            case = next((c for c in audit.cases if c.uuid == a_data["case_uuid"]), None)
            what = case.pseudonym if case else "a case that is not in this audit"
            raise UserError(f"{name} holds work on {what}, which is not assigned to {auditor.person.name}; "
                            "nothing was imported.")
        grades = {g.uuid: g for g in assignment.grades}
        for g_data in a_data["grades"]:
            grade = grades.get(g_data["uuid"])
            if grade is None or grade.question.uuid != g_data["question_uuid"]:
                raise UserError(f"{name} holds an answer that {assignment.case.pseudonym}'s record here does not have; "
                                "nothing was imported.")
            if g_data["option_uuid"] and not any(o.uuid == g_data["option_uuid"] for o in audit.grade_options):
                raise UserError(f"{name} uses a grade that is not on this audit's scale; nothing was imported.")


def merge_return(session: Session, data: dict, name: str = "The return") -> MergeCounts:
    """Merge a return's content (the ``return.json`` part) into this coordinator's audit."""
    audit = session.scalar(select(Audit).where(Audit.uuid == data["audit_uuid"]).options(selectinload(Audit.grade_options)))
    auditor = session.scalar(select(Auditor).where(Auditor.uuid == data["auditor_uuid"]).options(
        selectinload(Auditor.assignments).selectinload(Assignment.grades).selectinload(Grade.question),
        selectinload(Auditor.assignments).selectinload(Assignment.grades).selectinload(Grade.grade_option),
        selectinload(Auditor.assignments).selectinload(Assignment.case)))
    _refuse_unless_valid(audit, auditor, data, name)
    options = {o.uuid: o for o in audit.grade_options}
    counts = MergeCounts()
    open_conflicts = {c.record_uuid: c for c in unresolved_conflicts(session, audit)}
    assignments = {a.uuid: a for a in auditor.assignments}
    for a_data in data["assignments"]:
        assignment = assignments[a_data["uuid"]]
        incoming = {k: a_data[k] for k in SUMMARY_FIELDS}
        _merge_row(session, audit, assignment, _summary_content(assignment), incoming, a_data["auditor_rev"],
                   a_data["coordinator_rev"], lambda c, a=assignment: _apply_summary(a, c), counts, open_conflicts)
        grades = {g.uuid: g for g in assignment.grades}
        for g_data in a_data["grades"]:
            grade = grades[g_data["uuid"]]
            incoming = {"option_uuid": g_data["option_uuid"], "evidence": g_data["evidence"]}
            _merge_row(session, audit, grade, _grade_content(grade), incoming, g_data["auditor_rev"],
                       g_data["coordinator_rev"], lambda c, g=grade: _apply_grade(g, c, options), counts,
                       open_conflicts)
    session.flush()
    return counts


def import_audit_return(session: Session, package: Package) -> str:
    """The ``audit-return`` importer: merge an auditor's return (see ``lgf_desktop.importing``)."""
    data = schemas.validate(schemas.AuditReturn, package.json("return.json"), "The return in this file").model_dump()
    case_uuids = [a["case_uuid"] for a in data["assignments"]]
    cases = dict(session.execute(select(AuditCase.uuid, AuditCase.pseudonym).where(AuditCase.uuid.in_(case_uuids))).all())
    check_manifest(package, {"audit_uuid": data["audit_uuid"], "auditor_uuid": data["auditor_uuid"], "case_uuids": case_uuids},
                   [cases[uuid] for uuid in case_uuids if uuid in cases])
    counts = merge_return(session, data)
    auditor = session.scalar(select(Auditor).where(Auditor.uuid == data["auditor_uuid"]))
    text = (f"Return from {auditor.person.name} for {len(data['assignments'])} case(s): {counts.taken} answer(s) "
            f"updated, {counts.unchanged + counts.agreed} unchanged")
    if counts.conflicts:
        text += f", {counts.conflicts} changed on both sides and listed as conflicts to resolve"
    return text + "."


def unresolved_conflicts(session: Session, audit: Audit) -> list[MergeConflict]:
    return list(session.scalars(select(MergeConflict).where(
        MergeConflict.audit_id == audit.id, MergeConflict.resolved.is_(False)).order_by(MergeConflict.id)))


def _conflict_row(session: Session, conflict: MergeConflict) -> Grade | Assignment:
    model = Grade if conflict.table_name == Grade.__tablename__ else Assignment
    return session.scalars(select(model).where(model.uuid == conflict.record_uuid)).one()


def describe_conflict(session: Session, conflict: MergeConflict) -> tuple[str, str, str]:
    """(where, the coordinator's answer as it is now, the auditor's answer) in words."""
    row = _conflict_row(session, conflict)
    incoming = json.loads(conflict.incoming_json)
    local = _grade_content(row) if isinstance(row, Grade) else _summary_content(row)
    if isinstance(row, Grade):
        labels = {o.uuid: o.label for o in row.question.section.audit.grade_options}
        where = f"{row.assignment.case.pseudonym}, {row.question.text} ({row.assignment.auditor.person.name})"

        def words(c: dict) -> str:
            return f"{labels.get(c['option_uuid'], 'not graded')}: {c['evidence'] or '(no evidence)'}"
    else:
        where = f"{row.case.pseudonym}, case summary ({row.auditor.person.name})"

        def words(c: dict) -> str:
            return "; ".join(f"{k.replace('_', ' ')}: {v}" for k, v in c.items() if v not in ("", False))
    return where, words(local), words(incoming)


def resolve_conflict(session: Session, conflict: MergeConflict, keep: str) -> None:
    """Keep the coordinator's answer ("local") or take the auditor's ("incoming")."""
    if keep not in ("local", "incoming"):
        raise UserError("Choose whether to keep this database's answer or take the auditor's.")
    if conflict.resolved:
        raise UserError("This conflict was already resolved.")
    row = _conflict_row(session, conflict)
    if keep == "incoming":
        content = json.loads(conflict.incoming_json)
        if isinstance(row, Grade):
            options = {o.uuid: o for o in row.question.section.audit.grade_options}
            _take(row, lambda c: _apply_grade(row, c, options), content, conflict.incoming_version)
        else:
            _take(row, lambda c: _apply_summary(row, c), content, conflict.incoming_version)
    else:
        # The auditor's answer is decided; ``agreed_rev`` stays behind, so the answers still differ and
        # a later change there (not built on this answer) comes back as a conflict.
        row.auditor_rev = max(row.auditor_rev, conflict.incoming_version)
    conflict.resolved = True
    conflict.resolution = keep
    session.flush()
