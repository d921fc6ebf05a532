"""Multi-agency case audits: the audit's own copy of its tool and scale, cases, auditors, grades.

Children are pseudonymised: a case holds a pseudonym ("Child A"), an age band and the agencies
involved, never a name, address or date of birth.

Rows that auditors change offline (grades, case summaries) carry ``version``, raised by every change
in this database (for stale-edit checks), and the merge's bookkeeping: each side's own revision of
the answer (``coordinator_rev``, ``auditor_rev``) and ``agreed_rev``, this side's revision when both
last held the same answer. ``services/audit/merge`` states the rules.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Boolean, Date, DateTime, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base, utcnow
from .people import Organisation, Partnership, Person

VOICE_HEARD = ("yes", "partly", "no")
_MERGE_BOOKKEEPING = frozenset({"version", "coordinator_rev", "auditor_rev", "agreed_rev", "updated_at"})


class Audit(Base):
    __tablename__ = "audit"

    partnership_id: Mapped[int | None] = mapped_column(ForeignKey("partnership.id"), index=True)
    theme: Mapped[str] = mapped_column(String(300))
    quarter: Mapped[str] = mapped_column(String(40), default="")  # e.g. "2025-26 Q3"
    start_date: Mapped[date | None] = mapped_column(Date)
    end_date: Mapped[date | None] = mapped_column(Date)
    tool_name: Mapped[str] = mapped_column(String(200), default="")
    scale_name: Mapped[str] = mapped_column(String(200), default="")
    key_learning: Mapped[str] = mapped_column(Text, default="")
    working_well: Mapped[str] = mapped_column(Text, default="")
    needs_improve: Mapped[str] = mapped_column(Text, default="")
    # True in an auditor's database opened from an issued package (no coordinator functions).
    is_auditor_copy: Mapped[bool] = mapped_column(Boolean, default=False)

    partnership: Mapped[Partnership | None] = relationship()
    sections: Mapped[list[AuditSection]] = relationship(
        back_populates="audit", order_by="AuditSection.position", cascade="all, delete-orphan"
    )
    grade_options: Mapped[list[GradeOption]] = relationship(
        back_populates="audit", order_by="GradeOption.position", cascade="all, delete-orphan"
    )
    cases: Mapped[list[AuditCase]] = relationship(
        back_populates="audit", order_by="AuditCase.position", cascade="all, delete-orphan"
    )
    auditors: Mapped[list[Auditor]] = relationship(back_populates="audit", cascade="all, delete-orphan")
    links: Mapped[list[AuditLink]] = relationship(
        back_populates="audit", order_by="AuditLink.position", cascade="all, delete-orphan"
    )
    recommendations: Mapped[list["Recommendation"]] = relationship(back_populates="audit")  # noqa: F821

    @property
    def questions(self) -> list[AuditQuestion]:
        return [q for s in self.sections for q in s.questions]


class AuditSection(Base):
    __tablename__ = "audit_section"

    audit_id: Mapped[int] = mapped_column(ForeignKey("audit.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(String(300))
    position: Mapped[int] = mapped_column(Integer, default=0)

    audit: Mapped[Audit] = relationship(back_populates="sections")
    questions: Mapped[list[AuditQuestion]] = relationship(
        back_populates="section", order_by="AuditQuestion.position", cascade="all, delete-orphan"
    )


class AuditQuestion(Base):
    __tablename__ = "audit_question"

    section_id: Mapped[int] = mapped_column(ForeignKey("audit_section.id", ondelete="CASCADE"), index=True)
    text: Mapped[str] = mapped_column(Text)
    guidance: Mapped[str] = mapped_column(Text, default="")
    position: Mapped[int] = mapped_column(Integer, default=0)

    section: Mapped[AuditSection] = relationship(back_populates="questions")


class GradeOption(Base):
    """One point of the audit's grading scale (its own copy of the scale)."""

    __tablename__ = "grade_option"

    audit_id: Mapped[int] = mapped_column(ForeignKey("audit.id", ondelete="CASCADE"), index=True)
    label: Mapped[str] = mapped_column(String(100))
    key: Mapped[str] = mapped_column(String(1), default="")  # keyboard shortcut in the scoring grid
    colour: Mapped[str] = mapped_column(String(9), default="#cccccc")
    position: Mapped[int] = mapped_column(Integer, default=0)
    # Not applicable and the like: shown, but not counted in the grade distribution.
    is_not_applicable: Mapped[bool] = mapped_column(Boolean, default=False)

    audit: Mapped[Audit] = relationship(back_populates="grade_options")


class AuditCase(Base):
    __tablename__ = "audit_case"
    __table_args__ = (UniqueConstraint("audit_id", "pseudonym", name="uq_audit_case_pseudonym"),)

    audit_id: Mapped[int] = mapped_column(ForeignKey("audit.id", ondelete="CASCADE"), index=True)
    pseudonym: Mapped[str] = mapped_column(String(40))
    age_band: Mapped[str] = mapped_column(String(40), default="")
    position: Mapped[int] = mapped_column(Integer, default=0)

    audit: Mapped[Audit] = relationship(back_populates="cases")
    agencies: Mapped[list[CaseAgency]] = relationship(back_populates="case", cascade="all, delete-orphan")


class CaseAgency(Base):
    __tablename__ = "case_agency"
    __table_args__ = (UniqueConstraint("case_id", "organisation_id", name="uq_case_agency"),)

    case_id: Mapped[int] = mapped_column(ForeignKey("audit_case.id", ondelete="CASCADE"), index=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"), index=True)

    case: Mapped[AuditCase] = relationship(back_populates="agencies")
    organisation: Mapped[Organisation] = relationship()


class Auditor(Base):
    __tablename__ = "auditor"
    __table_args__ = (UniqueConstraint("audit_id", "person_id", name="uq_auditor_audit_person"),)

    audit_id: Mapped[int] = mapped_column(ForeignKey("audit.id", ondelete="CASCADE"), index=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"), index=True)

    audit: Mapped[Audit] = relationship(back_populates="auditors")
    person: Mapped[Person] = relationship()
    assignments: Mapped[list[Assignment]] = relationship(back_populates="auditor", cascade="all, delete-orphan")


class Assignment(Base):
    """An auditor's work on one case: the per-case summaries, and their grades."""

    __tablename__ = "assignment"
    __table_args__ = (UniqueConstraint("auditor_id", "case_id", name="uq_assignment_auditor_case"),)
    # Merge bookkeeping, not recorded work: the history shows the answers themselves.
    __history_ignore__ = Base.__history_ignore__ | _MERGE_BOOKKEEPING

    auditor_id: Mapped[int] = mapped_column(ForeignKey("auditor.id", ondelete="CASCADE"), index=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("audit_case.id", ondelete="CASCADE"), index=True)
    working_well: Mapped[str] = mapped_column(Text, default="")
    needs_improve: Mapped[str] = mapped_column(Text, default="")
    voice_heard: Mapped[str] = mapped_column(String(10), default="")
    immediate_concern: Mapped[bool] = mapped_column(Boolean, default=False)
    concern_text: Mapped[str] = mapped_column(Text, default="")
    concern_action: Mapped[str] = mapped_column(Text, default="")  # what the coordinator did
    concern_resolved_at: Mapped[datetime | None] = mapped_column(DateTime)
    version: Mapped[int] = mapped_column(Integer, default=1)
    coordinator_rev: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    auditor_rev: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    agreed_rev: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)

    auditor: Mapped[Auditor] = relationship(back_populates="assignments")
    case: Mapped[AuditCase] = relationship()
    grades: Mapped[list[Grade]] = relationship(back_populates="assignment", cascade="all, delete-orphan")


class Grade(Base):
    __tablename__ = "grade"
    __table_args__ = (UniqueConstraint("assignment_id", "question_id", name="uq_grade_assignment_question"),)
    # Merge bookkeeping, not recorded work: the history shows the answers themselves.
    __history_ignore__ = Base.__history_ignore__ | _MERGE_BOOKKEEPING

    assignment_id: Mapped[int] = mapped_column(ForeignKey("assignment.id", ondelete="CASCADE"), index=True)
    question_id: Mapped[int] = mapped_column(ForeignKey("audit_question.id", ondelete="CASCADE"), index=True)
    grade_option_id: Mapped[int | None] = mapped_column(ForeignKey("grade_option.id", ondelete="SET NULL"))
    evidence: Mapped[str] = mapped_column(Text, default="")
    version: Mapped[int] = mapped_column(Integer, default=1)
    coordinator_rev: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    auditor_rev: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    agreed_rev: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)

    assignment: Mapped[Assignment] = relationship(back_populates="grades")
    question: Mapped[AuditQuestion] = relationship()
    grade_option: Mapped[GradeOption | None] = relationship()


class ModeratedGrade(Base):
    __tablename__ = "moderated_grade"
    __table_args__ = (UniqueConstraint("case_id", "question_id", name="uq_moderated_case_question"),)

    case_id: Mapped[int] = mapped_column(ForeignKey("audit_case.id", ondelete="CASCADE"), index=True)
    question_id: Mapped[int] = mapped_column(ForeignKey("audit_question.id", ondelete="CASCADE"), index=True)
    grade_option_id: Mapped[int | None] = mapped_column(ForeignKey("grade_option.id", ondelete="SET NULL"))
    note: Mapped[str] = mapped_column(Text, default="")

    case: Mapped[AuditCase] = relationship()
    question: Mapped[AuditQuestion] = relationship()
    grade_option: Mapped[GradeOption | None] = relationship()


class AuditLink(Base):
    """A link to training or a resource, printed (clickable) on the learning brief."""

    __tablename__ = "audit_link"

    audit_id: Mapped[int] = mapped_column(ForeignKey("audit.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(String(300))
    url: Mapped[str] = mapped_column(String(1000))
    position: Mapped[int] = mapped_column(Integer, default=0)

    audit: Mapped[Audit] = relationship(back_populates="links")


class MergeConflict(Base):
    """An answer changed both here and in an auditor's return since the package was issued."""

    __tablename__ = "merge_conflict"

    audit_id: Mapped[int] = mapped_column(ForeignKey("audit.id", ondelete="CASCADE"), index=True)
    table_name: Mapped[str] = mapped_column(String(60))
    record_uuid: Mapped[str] = mapped_column(String(36), index=True)
    local_json: Mapped[str] = mapped_column(Text)
    incoming_json: Mapped[str] = mapped_column(Text)
    incoming_version: Mapped[int] = mapped_column(Integer, default=0)  # the auditor's revision of the answer
    resolved: Mapped[bool] = mapped_column(Boolean, default=False)
    resolution: Mapped[str] = mapped_column(String(20), default="")  # "local" or "incoming"
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
