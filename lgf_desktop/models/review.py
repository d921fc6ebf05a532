"""A peer review (workshop) of one organisation: attendance, contacts, clock and responses."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Boolean, Date, DateTime, Float, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..dates import long_date
from .base import Base, VersionedMixin, utcnow
from .people import Organisation
from .round import PanelMember, Question, Round, Theme

REVIEW_STATUSES = ("planned", "held", "declined")
REPRESENTATIVE_KINDS = ("attended", "apologies")


class Review(VersionedMixin, Base):
    __tablename__ = "review"
    # The clock ticks while the workshop runs; its state is bookkeeping, not recorded work.
    __history_ignore__ = Base.__history_ignore__ | {
        "clock_running", "clock_resumed_at", "clock_elapsed_seconds", "current_question_id", "version",
    }

    round_id: Mapped[int] = mapped_column(ForeignKey("round.id", ondelete="CASCADE"), index=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"), index=True)
    review_date: Mapped[date | None] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(20), default="planned")
    overall_comment: Mapped[str] = mapped_column(Text, default="")
    # Order of the organisation's section in the report.
    position: Mapped[int] = mapped_column(Integer, default=0)

    # The workshop clock. Elapsed time = clock_elapsed_seconds (+ now - clock_resumed_at while running).
    duration_minutes: Mapped[int] = mapped_column(Integer, default=90)
    clock_running: Mapped[bool] = mapped_column(Boolean, default=False)
    clock_resumed_at: Mapped[datetime | None] = mapped_column(DateTime)
    clock_elapsed_seconds: Mapped[float] = mapped_column(Float, default=0.0)
    actual_start: Mapped[datetime | None] = mapped_column(DateTime)
    actual_end: Mapped[datetime | None] = mapped_column(DateTime)
    # Where the chair was, so a restarted workshop reopens on the same question.
    current_question_id: Mapped[int | None] = mapped_column(ForeignKey("question.id", ondelete="SET NULL"))

    round: Mapped[Round] = relationship(back_populates="reviews")
    organisation: Mapped[Organisation] = relationship()
    panel_present: Mapped[list[ReviewPanelPresence]] = relationship(
        back_populates="review", cascade="all, delete-orphan"
    )
    representatives: Mapped[list[Representative]] = relationship(
        back_populates="review", order_by="Representative.position", cascade="all, delete-orphan"
    )
    contact_attempts: Mapped[list[ContactAttempt]] = relationship(
        back_populates="review", order_by="ContactAttempt.contact_date", cascade="all, delete-orphan"
    )
    responses: Mapped[list[Response]] = relationship(back_populates="review", cascade="all, delete-orphan")
    theme_times: Mapped[list[ThemeTime]] = relationship(back_populates="review", cascade="all, delete-orphan")

    def history_label(self) -> str:
        return f"Peer review {self.organisation.display_name if self.organisation else self.id}"

    @property
    def attendees(self) -> list[Representative]:
        return [r for r in self.representatives if r.kind == "attended"]

    @property
    def apologies(self) -> list[Representative]:
        return [r for r in self.representatives if r.kind == "apologies"]

    def response_for(self, question: Question) -> Response | None:
        for response in self.responses:
            if response.question_id == question.id:
                return response
        return None


class ReviewPanelPresence(Base):
    """A panel member who was present at a review."""

    __tablename__ = "review_panel_presence"
    __table_args__ = (UniqueConstraint("review_id", "panel_member_id", name="uq_presence_review_member"),)

    review_id: Mapped[int] = mapped_column(ForeignKey("review.id", ondelete="CASCADE"), index=True)
    panel_member_id: Mapped[int] = mapped_column(ForeignKey("panel_member.id", ondelete="CASCADE"), index=True)

    review: Mapped[Review] = relationship(back_populates="panel_present")
    panel_member: Mapped[PanelMember] = relationship()

    def history_label(self) -> str:
        return f"Present: {self.panel_member.person.name}" if self.panel_member else super().history_label()


class Representative(VersionedMixin, Base):
    """Someone from the reviewed organisation: attended, or sent apologies."""

    __tablename__ = "representative"
    __history_ignore__ = Base.__history_ignore__ | {"version"}

    review_id: Mapped[int] = mapped_column(ForeignKey("review.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(200), default="")
    kind: Mapped[str] = mapped_column(String(20), default="attended")
    position: Mapped[int] = mapped_column(Integer, default=0)
    # A clause the report prints after the name: "although Anne had been part of the preparation for
    # the review", "who joined for the last half hour".
    note: Mapped[str] = mapped_column(Text, default="", server_default="")

    review: Mapped[Review] = relationship(back_populates="representatives")


class ContactAttempt(Base):
    """One attempt to engage an organisation that has not (yet) taken part."""

    __tablename__ = "contact_attempt"

    review_id: Mapped[int] = mapped_column(ForeignKey("review.id", ondelete="CASCADE"), index=True)
    contact_date: Mapped[date] = mapped_column(Date)
    channel: Mapped[str] = mapped_column(String(100), default="email")
    contact_name: Mapped[str] = mapped_column(String(200), default="")
    offered: Mapped[str] = mapped_column(Text, default="")
    response: Mapped[str] = mapped_column(Text, default="")

    review: Mapped[Review] = relationship(back_populates="contact_attempts")

    def history_label(self) -> str:
        return f"Contact on {long_date(self.contact_date)}" if self.contact_date else super().history_label()


class Response(VersionedMixin, Base):
    """The minutes for one question of one review.

    The question's text and theme are copied when the response is first written, so later edits to
    the round's template never change what a held review recorded.
    """

    __tablename__ = "response"
    __table_args__ = (UniqueConstraint("review_id", "question_id", name="uq_response_review_question"),)
    __history_ignore__ = Base.__history_ignore__ | {"updated_at", "version"}

    review_id: Mapped[int] = mapped_column(ForeignKey("review.id", ondelete="CASCADE"), index=True)
    question_id: Mapped[int | None] = mapped_column(ForeignKey("question.id", ondelete="SET NULL"), index=True)
    question_text: Mapped[str] = mapped_column(Text, default="")
    theme_title: Mapped[str] = mapped_column(String(200), default="")
    text: Mapped[str] = mapped_column(Text, default="")
    # One response covering several questions: this question was answered together with the one
    # above it in its theme, and the report merges their Responses cells into one.
    answered_above: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")
    # Left blank on purpose (not discussed): the report prints an empty cell, as the seed report
    # does, and no "No response was recorded." or warning as for one forgotten.
    not_discussed: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)

    review: Mapped[Review] = relationship(back_populates="responses")
    question: Mapped[Question | None] = relationship()

    def history_label(self) -> str:
        return f"Response: {self.question_text[:60]}"


class ResponseVersion(Base):
    """An earlier text of a response, kept so it can be compared and restored (at least one a minute
    while it is edited, and the text as it was before each large deletion)."""

    __tablename__ = "response_version"
    __table_args__ = (Index("ix_response_version_response_saved", "response_id", "saved_at", "id"),)
    __audited__ = False  # it is itself history

    response_id: Mapped[int] = mapped_column(ForeignKey("response.id", ondelete="CASCADE"))
    text: Mapped[str] = mapped_column(Text)
    saved_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    author: Mapped[str] = mapped_column(String(200), default="")
    reason: Mapped[str] = mapped_column(String(40), default="")


class ThemeTime(Base):
    """Per review and theme: the time budget (None = split by question count) and time spent."""

    __tablename__ = "theme_time"
    __table_args__ = (UniqueConstraint("review_id", "theme_id", name="uq_theme_time_review_theme"),)
    __audited__ = False  # ticks every few seconds while the clock runs; not recorded work

    review_id: Mapped[int] = mapped_column(ForeignKey("review.id", ondelete="CASCADE"), index=True)
    theme_id: Mapped[int] = mapped_column(ForeignKey("theme.id", ondelete="CASCADE"), index=True)
    budget_seconds: Mapped[int | None] = mapped_column(Integer)
    spent_seconds: Mapped[float] = mapped_column(Float, default=0.0)

    review: Mapped[Review] = relationship(back_populates="theme_times")
    theme: Mapped[Theme] = relationship()
