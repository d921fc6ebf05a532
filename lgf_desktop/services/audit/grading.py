"""An auditor's work on an audit: grades with evidence, per-case summaries, immediate concerns and
progress.

Every change raises the row's ``version`` and this side's revision of the answer (the auditor's on an
auditor's copy, the coordinator's otherwise), so a merge can tell a newer return from an older one and
a change made here from one made elsewhere (see ``merge``). The coordinator's record of what was
done about an immediate concern is not auditor work and changes neither.

The limits and choices here are the screens' and the exchange files' alike (``exchange/schemas``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session, object_session

from ...errors import UserError
from ...models import VOICE_HEARD, Assignment, Audit, AuditCase, Auditor, Grade, GradeOption, utcnow
from ..stale import refuse_if_stale

# The fields of a case summary an auditor writes (and a merge compares).
SUMMARY_FIELDS = ("working_well", "needs_improve", "voice_heard", "immediate_concern", "concern_text")
GRADE_FIELDS = ("grade_option_id", "evidence")
# Evidence and summaries are a few paragraphs; these leave room for a long one, and keep a return
# (ten cases of fifteen answers) far inside an exchange file's limits.
MAX_EVIDENCE_CHARS = 20_000
MAX_SUMMARY_CHARS = 20_000
_SUMMARY_TEXTS = {"working_well": "What is working well", "needs_improve": "What needs to improve",
                  "concern_text": "The immediate concern"}


def on_auditor_copy(row: Grade | Assignment) -> bool:
    assignment = row.assignment if isinstance(row, Grade) else row
    return assignment.auditor.audit.is_auditor_copy


def record_change(row: Grade | Assignment) -> None:
    """A change made in this database: the local version and this side's revision rise."""
    row.version += 1
    if on_auditor_copy(row):
        row.auditor_rev += 1
    else:
        row.coordinator_rev += 1


def changed_here(row: Grade | Assignment) -> bool:
    """Changed in this database since both sides last held the same answer."""
    own = row.auditor_rev if on_auditor_copy(row) else row.coordinator_rev
    return own != row.agreed_rev


def check_text(text: str, limit: int, what: str) -> None:
    if len(text) > limit:
        raise UserError(f"{what} can hold at most {limit:,} characters; this was not saved.")


KEEP = object()  # "leave the grade as it is" (None means "clear it")


def set_grade(grade: Grade, option: GradeOption | None | object = KEEP, evidence: str | None = None,
              expected_version: int | None = None) -> bool:
    """Set a grade's option (None clears it; KEEP keeps it) and/or evidence; True if it changed.
    With ``expected_version`` (the version the screen loaded) a grade changed since is refused
    (``StaleEdit``) unless the change asked for is already there."""
    if expected_version is not None and grade.version != expected_version:
        wanted_option = grade.grade_option_id if option is KEEP else (option.id if option is not None else None)
        if (evidence is not None and evidence != grade.evidence) or wanted_option != grade.grade_option_id:
            refuse_if_stale(object_session(grade), grade, expected_version, "answer", grade.evidence)
    changed = False
    if option is not KEEP:
        assert option is None or isinstance(option, GradeOption)
        if option is not None and option.audit_id != grade.question.section.audit_id:
            raise UserError("That grade belongs to another audit's scale.")
        new_id = option.id if option is not None else None
        if grade.grade_option_id != new_id:
            grade.grade_option = option
            grade.grade_option_id = new_id
            changed = True
    if evidence is not None and grade.evidence != evidence:
        check_text(evidence, MAX_EVIDENCE_CHARS, "Evidence")
        grade.evidence = evidence
        changed = True
    if changed:
        record_change(grade)
    return changed


def set_case_summary(assignment: Assignment, expected_version: int | None = None, **fields: object) -> bool:
    """Update an auditor's per-case summary (working_well, needs_improve, voice_heard,
    immediate_concern, concern_text); True if anything changed. With ``expected_version`` a summary
    changed since the screen loaded it is refused (``StaleEdit``) unless it already says the same."""
    if expected_version is not None and assignment.version != expected_version \
            and any(getattr(assignment, key, None) != value for key, value in fields.items()):
        refuse_if_stale(object_session(assignment), assignment, expected_version, "case summary", None)
    unknown = set(fields) - set(SUMMARY_FIELDS)
    if unknown:
        raise ValueError(f"not case-summary fields: {sorted(unknown)}")
    voice = fields.get("voice_heard")
    if voice is not None and voice not in ("", *VOICE_HEARD):
        raise UserError("Was the child's voice heard? Answer yes, partly or no.")
    for key, what in _SUMMARY_TEXTS.items():
        if key in fields:
            check_text(str(fields[key]), MAX_SUMMARY_CHARS, what)
    if fields.get("immediate_concern") and not str(fields.get("concern_text", assignment.concern_text)).strip():
        raise UserError("Say briefly why the child may be at risk now, so the coordinator can act on it.")
    newly_raised = bool(fields.get("immediate_concern")) and not assignment.immediate_concern
    changed = False
    for key, value in fields.items():
        if getattr(assignment, key) != value:
            setattr(assignment, key, value)
            changed = True
    if newly_raised:  # a new concern stands out until the coordinator records what was done
        assignment.concern_resolved_at = None
    if changed:
        record_change(assignment)
    return changed


def raise_concern(assignment: Assignment, text: str) -> None:
    """An auditor flags a child who may be at risk now; it stands out until the coordinator acts."""
    set_case_summary(assignment, immediate_concern=True, concern_text=text.strip())
    assignment.concern_resolved_at = None


def resolve_concern(assignment: Assignment, action: str, when: datetime | None = None) -> None:
    """The coordinator records what was done about an immediate concern."""
    if not assignment.immediate_concern:
        raise UserError("There is no immediate concern on this case to resolve.")
    if not action.strip():
        raise UserError("Record what was done about the concern before marking it resolved.")
    assignment.concern_action = action.strip()
    assignment.concern_resolved_at = when or utcnow()


def open_concerns(session: Session, audit: Audit | None = None) -> list[Assignment]:
    """Immediate concerns not yet resolved, oldest case first."""
    query = (select(Assignment).join(Auditor).join(AuditCase, Assignment.case_id == AuditCase.id)
             .where(Assignment.immediate_concern.is_(True), Assignment.concern_resolved_at.is_(None))
             .order_by(AuditCase.position))
    if audit is not None:
        query = query.where(Auditor.audit_id == audit.id)
    return list(session.scalars(query))


def case_has_open_concern(case: AuditCase, assignments: list[Assignment]) -> bool:
    return any(a.case_id == case.id and a.immediate_concern and a.concern_resolved_at is None for a in assignments)


@dataclass
class Progress:
    graded: int
    total: int

    @property
    def percent(self) -> int:
        return round(100 * self.graded / self.total) if self.total else 0

    def __str__(self) -> str:
        return f"{self.graded}/{self.total}"


def assignment_progress(assignment: Assignment) -> Progress:
    return Progress(sum(1 for g in assignment.grades if g.grade_option_id is not None), len(assignment.grades))


def progress_by_auditor(audit: Audit) -> dict[Auditor, Progress]:
    out = {}
    for auditor in audit.auditors:
        parts = [assignment_progress(a) for a in auditor.assignments]
        out[auditor] = Progress(sum(p.graded for p in parts), sum(p.total for p in parts))
    return out


def progress_by_case(audit: Audit) -> dict[AuditCase, Progress]:
    out = {case: Progress(0, 0) for case in audit.cases}
    for auditor in audit.auditors:
        for assignment in auditor.assignments:
            p = assignment_progress(assignment)
            out[assignment.case].graded += p.graded
            out[assignment.case].total += p.total
    return out


def grade_of(assignment: Assignment, question_id: int) -> Grade | None:
    return next((g for g in assignment.grades if g.question_id == question_id), None)
