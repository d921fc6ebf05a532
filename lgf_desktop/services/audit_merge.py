"""Merging auditors' returns into the coordinator's audit, and the conflict list.

On the coordinator's side each grade and case summary keeps ``base_version``: the auditor's version
last agreed (when the package was issued, or the last return merged); ``version`` above it means the
coordinator changed the answer since (``audit_grading.bump``). Merging moves only ``base_version``, so
each merged answer costs as few writes (and change-history rows) as possible. For each answer in a
return with version ``v``:

- ``v <= base_version``: nothing new (the same or an older return) — unchanged;
- otherwise, if the coordinator has not changed it: the return's answer is taken;
- otherwise both sides changed it: the same answer is simply agreed; a different one goes to the
  conflict list (``MergeConflict``) and neither is overwritten until the coordinator chooses.

A return is checked whole before anything is written: for another audit, from someone who is not its
auditor, or holding a case not assigned to them, it is refused with one sentence and no change.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from ..errors import UserError
from ..exchange.container import Package
from ..models import Assignment, Audit, Auditor, Grade, GradeOption, MergeConflict
from .audit_grading import SUMMARY_FIELDS, changed_here


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


def _merge_row(session: Session, audit: Audit, row: Grade | Assignment, local: dict, incoming: dict, version: int,
               apply: Any, counts: MergeCounts) -> None:
    if version <= row.base_version:
        counts.unchanged += 1
        return
    if not changed_here(row):
        apply(incoming)
        # The version rises with the change (a screen showing the old answer must not save over it)
        # and stays at the base: not changed here.
        row.base_version = row.version = version
        counts.taken += 1
        return
    if local == incoming:
        row.base_version = version
        row.version = min(row.version, version)
        counts.agreed += 1
        return
    existing = session.scalar(select(MergeConflict).where(
        MergeConflict.record_uuid == row.uuid, MergeConflict.resolved.is_(False)))
    if existing is None:
        session.add(MergeConflict(audit_id=audit.id, table_name=row.__tablename__, record_uuid=row.uuid,
                                  local_json=json.dumps(local), incoming_json=json.dumps(incoming),
                                  incoming_version=version))
    elif existing.incoming_version < version:
        existing.local_json, existing.incoming_json, existing.incoming_version = json.dumps(local), json.dumps(incoming), version
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
    assignments = {a.uuid: a for a in auditor.assignments}
    for a_data in data["assignments"]:
        assignment = assignments[a_data["uuid"]]
        incoming = {k: a_data[k] for k in SUMMARY_FIELDS}
        _merge_row(session, audit, assignment, _summary_content(assignment), incoming, a_data["version"],
                   lambda c, a=assignment: _apply_summary(a, c), counts)
        grades = {g.uuid: g for g in assignment.grades}
        for g_data in a_data["grades"]:
            grade = grades[g_data["uuid"]]
            incoming = {"option_uuid": g_data["option_uuid"], "evidence": g_data["evidence"]}
            _merge_row(session, audit, grade, _grade_content(grade), incoming, g_data["version"],
                       lambda c, g=grade: _apply_grade(g, c, options), counts)
    session.flush()
    return counts


def import_audit_return(session: Session, package: Package) -> str:
    """The ``audit-return`` importer: merge an auditor's return (see ``exchange.importers``)."""
    data = package.json("return.json")
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
            _apply_grade(row, content, {o.uuid: o for o in row.question.section.audit.grade_options})
        else:
            _apply_summary(row, content)
        row.base_version = conflict.incoming_version
        row.version = min(row.version, conflict.incoming_version)
    else:
        # Still differs from the auditor's copy: a later change there must come back as a conflict.
        row.base_version = conflict.incoming_version
        row.version = conflict.incoming_version + 1
    conflict.resolved = True
    conflict.resolution = keep
    session.flush()
