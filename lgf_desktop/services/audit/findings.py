"""After the grading: moderation (agreed grades per case and question), the audit's findings, its
recommendations (in the shared recommendation records) and the grade distributions for the charts."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from ...collation import by_name
from ...errors import UserError
from ...models import (
    Audit, AuditCase, AuditQuestion, Auditor, GradeOption, ModeratedGrade, Organisation, Recommendation,
    SourceKind,
)
from ..tracker.sources import ensure_source_kinds

AUDIT_SOURCE_KIND = "Multi-agency audit"


@dataclass
class ModerationRow:
    case: AuditCase
    question: AuditQuestion
    grades: dict[Auditor, GradeOption | None] = field(default_factory=dict)  # auditors of this case only
    agreed: ModeratedGrade | None = None

    @property
    def agreed_option(self) -> GradeOption | None:
        return self.agreed.grade_option if self.agreed else None

    @property
    def disagree(self) -> bool:
        """Auditors gave different grades (worth discussing at the moderation meeting)."""
        given = {o.id for o in self.grades.values() if o is not None}
        return len(given) > 1


def moderation_rows(session: Session, audit: Audit) -> list[ModerationRow]:
    """Per case and question, every assigned auditor's grade and the agreed grade, in tool order."""
    agreed = {(m.case_id, m.question_id): m for m in session.scalars(
        select(ModeratedGrade).join(AuditCase).where(AuditCase.audit_id == audit.id))}
    by_case: dict[int, list[tuple[Auditor, dict[int, GradeOption | None]]]] = {}
    for auditor in audit.auditors:
        for assignment in auditor.assignments:
            grades = {g.question_id: g.grade_option for g in assignment.grades}
            by_case.setdefault(assignment.case_id, []).append((auditor, grades))
    rows = []
    for case in audit.cases:
        for question in audit.questions:
            row = ModerationRow(case, question, agreed=agreed.get((case.id, question.id)))
            for auditor, grades in by_case.get(case.id, []):
                row.grades[auditor] = grades.get(question.id)
            rows.append(row)
    return rows


def set_moderated_grade(session: Session, case: AuditCase, question: AuditQuestion,
                        option: GradeOption | None, note: str | None = None) -> ModeratedGrade:
    """Record the grade agreed at moderation for one case and question."""
    if option is not None and option.audit_id != case.audit_id:
        raise UserError("That grade belongs to another audit's scale.")
    moderated = session.scalar(select(ModeratedGrade).where(
        ModeratedGrade.case_id == case.id, ModeratedGrade.question_id == question.id))
    if moderated is None:
        moderated = ModeratedGrade(case=case, question=question)
        session.add(moderated)
    if moderated.grade_option_id != (option.id if option else None):
        moderated.grade_option = option
    if note is not None and moderated.note != note:
        moderated.note = note
    session.flush()
    return moderated


def set_findings(audit: Audit, *, key_learning: str | None = None, working_well: str | None = None,
                 needs_improve: str | None = None) -> None:
    """The audit's findings: key learning points, what is working well, what needs to improve.
    Each is newline-separated points (one point per line)."""
    for name, value in (("key_learning", key_learning), ("working_well", working_well), ("needs_improve", needs_improve)):
        if value is not None and getattr(audit, name) != value:
            setattr(audit, name, value)


def points(text: str) -> list[str]:
    """Newline-separated findings as a list of points, bullets and blank lines removed."""
    return [line.strip().lstrip("-•*").strip() for line in text.splitlines() if line.strip().lstrip("-•*").strip()]


def add_audit_recommendation(session: Session, audit: Audit, text: str, *,
                             organisation: Organisation | None = None) -> Recommendation:
    """A recommendation from the audit, kept with the Section 11 ones for follow-up; without an
    organisation it is the partnership's own."""
    text = text.strip()
    if not text:
        raise UserError("A recommendation needs its text.")
    ensure_source_kinds(session)
    kind = session.scalar(select(SourceKind).where(SourceKind.name == AUDIT_SOURCE_KIND))
    rec = Recommendation(audit=audit, source_kind=kind, text=text, organisation=organisation,
                         is_partnership=organisation is None, position=len(audit_recommendations(session, audit)))
    session.add(rec)
    session.flush()
    return rec


def audit_recommendations(session: Session, audit: Audit) -> list[Recommendation]:
    return list(session.scalars(select(Recommendation).where(Recommendation.audit_id == audit.id)
                                .order_by(Recommendation.position, Recommendation.id)))


def distribution_by_question(audit: Audit) -> dict[AuditQuestion, Counter[int]]:
    """Question → Counter of grade-option id over every auditor's grade (ungraded not counted)."""
    out: dict[AuditQuestion, Counter[int]] = {q: Counter() for q in audit.questions}
    by_id = {q.id: q for q in out}
    for auditor in audit.auditors:
        for assignment in auditor.assignments:
            for grade in assignment.grades:
                if grade.grade_option_id is not None and grade.question_id in by_id:
                    out[by_id[grade.question_id]][grade.grade_option_id] += 1
    return out


def distribution_by_agency(audit: Audit) -> dict[str, Counter[int]]:
    """Agency name → Counter of grade-option id over its auditors' grades."""
    out: dict[str, Counter[int]] = {}
    for auditor in sorted(audit.auditors, key=lambda a: a.person.organisation.display_name if a.person.organisation else ""):
        agency = auditor.person.organisation.display_name if auditor.person.organisation else auditor.person.name
        counter = out.setdefault(agency, Counter())
        for assignment in auditor.assignments:
            counter.update(g.grade_option_id for g in assignment.grades if g.grade_option_id is not None)
    return out


def overall_distribution(session: Session, audit: Audit) -> tuple[str, Counter[int]]:
    """The distribution the brief shows: agreed grades once moderation has begun, else the auditors'.
    Returns (what was counted, Counter of grade-option id)."""
    moderated = Counter(m.grade_option_id for m in session.scalars(
        select(ModeratedGrade).join(AuditCase).where(AuditCase.audit_id == audit.id,
                                                     ModeratedGrade.grade_option_id.is_not(None))))
    if moderated:
        return "agreed grades", moderated
    total: Counter[int] = Counter()
    for counter in distribution_by_question(audit).values():
        total.update(counter)
    return "auditors' grades", total


def agencies_involved(audit: Audit) -> list[str]:
    """Agency names involved in the audit's cases or represented by its auditors, sorted."""
    names = {a.organisation.display_name for c in audit.cases for a in c.agencies}
    names |= {a.person.organisation.display_name for a in audit.auditors if a.person.organisation}
    return by_name(names)
