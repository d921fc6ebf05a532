"""Multi-agency audits: creating one from a tool and a scale, its cases, auditors and assignments
(changing its details and links afterwards: ``details``).

The tool (sections and questions with guidance) and the grading scale are data, shipped in
``lgf_desktop/data/audit_*.json``; each audit keeps its own copy, so changing next quarter's tool
never changes this quarter's record. Cases are pseudonymised (Child A … Child J): a pseudonym, an age
band and the agencies involved, never a name, address or date of birth.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ...errors import UserError
from ...models import (
    Assignment, Audit, AuditCase, AuditQuestion, AuditSection, Auditor, CaseAgency, Grade, GradeOption,
    Organisation, Person,
)
from ..review.numbering import letter
from ..review.rounds import shipped_json, the_partnership
from .details import check_dates, clean_quarter, clean_theme

DEFAULT_TOOL = "audit_tool_multi_agency.json"
SCALES = "audit_scales.json"
DEFAULT_CASES = 10
AGE_BANDS = ("under 1", "1-4", "5-9", "10-13", "14-15", "16-17")


def default_tool() -> dict[str, Any]:
    return shipped_json(DEFAULT_TOOL)


def shipped_scales() -> dict[str, list[dict[str, Any]]]:
    """Scale name → its options (label, key, colour, not_applicable), in the shipped order."""
    return {s["name"]: s["options"] for s in shipped_json(SCALES)["scales"]}


def default_scale_name() -> str:
    return shipped_json(SCALES)["default"]


def case_pseudonym(index: int) -> str:
    """0 → 'Child A', 9 → 'Child J'."""
    return f"Child {letter(index)}"


def apply_tool(audit: Audit, tool: dict[str, Any]) -> None:
    audit.tool_name = tool.get("name", "")
    for s_index, section_data in enumerate(tool["sections"]):
        section = AuditSection(title=section_data["title"], position=s_index)
        for q_index, q in enumerate(section_data["questions"]):
            section.questions.append(AuditQuestion(text=q["text"], guidance=q.get("guidance", ""), position=q_index))
        audit.sections.append(section)


def apply_scale(audit: Audit, name: str, options: list[dict[str, Any]]) -> None:
    keys = [o.get("key", "") for o in options if o.get("key")]
    if len(keys) != len(set(k.lower() for k in keys)):
        raise UserError(f"The scale {name} gives the same key to two grades; each key must be different.")
    audit.scale_name = name
    for position, o in enumerate(options):
        audit.grade_options.append(GradeOption(
            label=o["label"], key=o.get("key", "")[:1], colour=o.get("colour", "#cccccc"), position=position,
            is_not_applicable=bool(o.get("not_applicable", False))))


def create_audit(
    session: Session,
    theme: str,
    quarter: str = "",
    *,
    start_date: date | None = None,
    end_date: date | None = None,
    tool: dict[str, Any] | None = None,
    scale_name: str | None = None,
    case_count: int = DEFAULT_CASES,
) -> Audit:
    """A new audit with its own copy of the tool and scale, and cases Child A … (ten by default)."""
    theme, quarter = clean_theme(theme), clean_quarter(quarter)
    check_dates(start_date, end_date)
    if not 1 <= case_count <= 26:
        raise UserError("An audit has between 1 and 26 cases.")
    scales = shipped_scales()
    scale_name = scale_name or default_scale_name()
    if scale_name not in scales:
        raise UserError(f"There is no grading scale called {scale_name!r} (scales: {', '.join(scales)}).")
    audit = Audit(partnership=the_partnership(session), theme=theme, quarter=quarter,
                  start_date=start_date, end_date=end_date)
    apply_tool(audit, tool or default_tool())
    apply_scale(audit, scale_name, scales[scale_name])
    for index in range(case_count):
        audit.cases.append(AuditCase(pseudonym=case_pseudonym(index), position=index))
    session.add(audit)
    session.flush()
    return audit


def find_audit(session: Session, ref: str | int) -> Audit:
    """An audit by its number (as ``lgf audits`` lists it) or its uuid."""
    text = str(ref).strip()
    audit = session.get(Audit, int(text)) if text.isdigit() else session.scalar(select(Audit).where(Audit.uuid == text))
    if audit is None:
        ids = ", ".join(str(i) for i in session.scalars(select(Audit.id).order_by(Audit.id))) or "none yet"
        raise UserError(f"There is no audit {text} (audits: {ids}).")
    return audit


def set_case_details(case: AuditCase, *, age_band: str | None = None, pseudonym: str | None = None) -> None:
    if age_band is not None:
        if age_band and age_band not in AGE_BANDS:
            raise UserError(f"Choose an age band from: {', '.join(AGE_BANDS)}.")
        case.age_band = age_band
    if pseudonym is not None:
        pseudonym = pseudonym.strip()
        if not pseudonym:
            raise UserError("A case needs a pseudonym, such as Child A.")
        if any(c.pseudonym == pseudonym for c in case.audit.cases if c is not case):
            raise UserError(f"There is already a case called {pseudonym} in this audit.")
        case.pseudonym = pseudonym


def add_case_agency(case: AuditCase, organisation: Organisation) -> CaseAgency:
    existing = next((a for a in case.agencies if a.organisation_id == organisation.id), None)
    if existing is not None:
        return existing
    link = CaseAgency(organisation=organisation)
    case.agencies.append(link)
    return link


def add_auditor(session: Session, audit: Audit, person: Person) -> Auditor:
    """Make ``person`` an auditor of ``audit`` (once)."""
    if person.organisation is None:
        raise UserError(f"{person.name} has no agency; an auditor grades their own agency's involvement.")
    auditor = next((a for a in audit.auditors if a.person_id == person.id), None)
    if auditor is None:
        auditor = Auditor(person=person)
        audit.auditors.append(auditor)
        session.flush()
    return auditor


def ensure_grades(assignment: Assignment) -> None:
    """One grade row per question of the audit, so every answer has a stable id from the start."""
    have = {g.question_id for g in assignment.grades}
    for question in assignment.case.audit.questions:
        if question.id not in have:
            assignment.grades.append(Grade(question=question))


def assign(session: Session, auditor: Auditor, case: AuditCase) -> Assignment:
    """Assign a case to an auditor (once), with an empty grade for each question."""
    if case.audit_id != auditor.audit_id:
        raise UserError(f"{case.pseudonym} belongs to another audit.")
    assignment = next((a for a in auditor.assignments if a.case_id == case.id), None)
    if assignment is None:
        assignment = Assignment(case=case)
        auditor.assignments.append(assignment)
        session.flush()
    if auditor.person.organisation is not None:  # the auditor's agency was involved with the child
        add_case_agency(case, auditor.person.organisation)
    ensure_grades(assignment)
    session.flush()
    return assignment


def unassign(session: Session, auditor: Auditor, case: AuditCase) -> None:
    """Take a case back from an auditor, as long as they have recorded nothing on it."""
    assignment = next((a for a in auditor.assignments if a.case_id == case.id), None)
    if assignment is None:
        return
    started = any(g.grade_option_id is not None or g.evidence for g in assignment.grades) or any(
        getattr(assignment, f) for f in ("working_well", "needs_improve", "voice_heard", "immediate_concern"))
    if started:
        raise UserError(f"{auditor.person.name} has already recorded work on {case.pseudonym}; it stays assigned.")
    auditor.assignments.remove(assignment)
    session.delete(assignment)
    session.flush()


@dataclass
class AuditSummary:
    audit: Audit
    graded: int
    expected: int
    open_concerns: int

    @property
    def percent(self) -> int:
        return round(100 * self.graded / self.expected) if self.expected else 0


def audit_summaries(session: Session) -> list[AuditSummary]:
    """Every audit with its grading progress and open immediate concerns (for ``lgf audits``)."""
    graded = dict(session.execute(
        select(Auditor.audit_id, func.count(Grade.id))
        .join(Assignment, Assignment.auditor_id == Auditor.id).join(Grade, Grade.assignment_id == Assignment.id)
        .where(Grade.grade_option_id.is_not(None)).group_by(Auditor.audit_id)).all())
    expected = dict(session.execute(
        select(Auditor.audit_id, func.count(Grade.id))
        .join(Assignment, Assignment.auditor_id == Auditor.id).join(Grade, Grade.assignment_id == Assignment.id)
        .group_by(Auditor.audit_id)).all())
    concerns = dict(session.execute(
        select(Auditor.audit_id, func.count(Assignment.id)).join(Assignment, Assignment.auditor_id == Auditor.id)
        .where(Assignment.immediate_concern.is_(True), Assignment.concern_resolved_at.is_(None))
        .group_by(Auditor.audit_id)).all())
    audits = session.scalars(select(Audit).order_by(Audit.id)).all()
    return [AuditSummary(a, graded.get(a.id, 0), expected.get(a.id, 0), concerns.get(a.id, 0)) for a in audits]


def option_for_key(audit: Audit, key: str) -> GradeOption | None:
    """The grade whose keyboard key is ``key`` (case-insensitive), or None."""
    key = key.lower()
    return next((o for o in audit.grade_options if o.key and o.key.lower() == key), None)
