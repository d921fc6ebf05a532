"""Recommendations from every source, and their follow-up to completion."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Boolean, Date, DateTime, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base, VersionedMixin, utcnow
from .people import Organisation, Person
from .review import Review
from .round import Question, Round

RECOMMENDATION_STATUSES = ("not started", "in progress", "complete", "closed - not achieved")
OPEN_STATUSES = ("not started", "in progress")
# Shipped source kinds; the table is data and a partnership can add its own.
DEFAULT_SOURCE_KINDS = (
    "Section 11",
    "Multi-agency audit",
    "Child safeguarding practice review",
    "Rapid review",
    "Inspection",
    "Single-agency audit",
    "Self-assessment",
)


class SourceKind(Base):
    __tablename__ = "source_kind"

    name: Mapped[str] = mapped_column(String(100), unique=True)
    position: Mapped[int] = mapped_column(Integer, default=0)


class Recommendation(VersionedMixin, Base):
    __tablename__ = "recommendation"
    __history_ignore__ = Base.__history_ignore__ | {"version"}

    source_kind_id: Mapped[int | None] = mapped_column(ForeignKey("source_kind.id"), index=True)
    # Free-text reference for sources outside the app ("CSPR Child Q, action 3"); Section 11 and
    # audit references are derived from round/review/audit and their position.
    reference: Mapped[str] = mapped_column(String(300), default="")
    round_id: Mapped[int | None] = mapped_column(ForeignKey("round.id", ondelete="CASCADE"), index=True)
    review_id: Mapped[int | None] = mapped_column(ForeignKey("review.id", ondelete="CASCADE"), index=True)
    question_id: Mapped[int | None] = mapped_column(ForeignKey("question.id", ondelete="SET NULL"), index=True)
    audit_id: Mapped[int | None] = mapped_column(ForeignKey("audit.id", ondelete="CASCADE"), index=True)
    # Responsible organisation; None with is_partnership for the partnership's own recommendations.
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisation.id"), index=True)
    is_partnership: Mapped[bool] = mapped_column(Boolean, default=False)
    text: Mapped[str] = mapped_column(Text)
    # The optional second wording: the recommendation in full for the report's recommendations table
    # (and the tracker), while ``text`` is the brief wording agreed in the workshop and printed in
    # the review's table. Empty: the one wording serves both.
    full_text: Mapped[str] = mapped_column(Text, default="", server_default="")
    position: Mapped[int] = mapped_column(Integer, default=0)

    lead_person_id: Mapped[int | None] = mapped_column(ForeignKey("person.id", ondelete="SET NULL"))
    due_date: Mapped[date | None] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(40), default="not started")
    evidence_of_impact: Mapped[str] = mapped_column(Text, default="")
    no_evidence_reason: Mapped[str] = mapped_column(Text, default="")
    closed_on: Mapped[date | None] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    source_kind: Mapped[SourceKind | None] = relationship()
    round: Mapped[Round | None] = relationship()
    review: Mapped[Review | None] = relationship()
    question: Mapped[Question | None] = relationship()
    audit: Mapped["Audit | None"] = relationship(back_populates="recommendations")  # noqa: F821
    organisation: Mapped[Organisation | None] = relationship()
    lead_person: Mapped[Person | None] = relationship()
    progress_notes: Mapped[list[ProgressNote]] = relationship(
        back_populates="recommendation", order_by="ProgressNote.note_date", cascade="all, delete-orphan"
    )

    @property
    def table_text(self) -> str:
        """The wording of the recommendations table: the full one when given."""
        return self.full_text.strip() or self.text

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES


class ProgressNote(VersionedMixin, Base):
    __tablename__ = "progress_note"
    __history_ignore__ = Base.__history_ignore__ | {"version"}
    # The tracker asks for each recommendation's note count and latest note in one grouped query.
    __table_args__ = (Index("ix_progress_note_recommendation_date", "recommendation_id", "note_date", "id"),)

    recommendation_id: Mapped[int] = mapped_column(ForeignKey("recommendation.id", ondelete="CASCADE"), index=True)
    note_date: Mapped[date] = mapped_column(Date)
    author: Mapped[str] = mapped_column(String(200), default="")
    text: Mapped[str] = mapped_column(Text)

    recommendation: Mapped[Recommendation] = relationship(back_populates="progress_notes")
