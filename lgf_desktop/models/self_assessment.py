"""Year one of the Section 11 cycle: the standards of a self-assessment round, its rating scale, and
each organisation's return with one answer per standard.

Standards and the scale are copied into each round (like the question template), so editing next
cycle's standards never changes this cycle's record. A standard's ``key`` stays the same from cycle to
cycle: it is how an answer finds the organisation's answer to the same standard last time.
"""

from __future__ import annotations

import json
from datetime import date

from sqlalchemy import Boolean, Date, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base, VersionedMixin
from .people import Organisation
from .round import Round

RETURN_STATES = ("not yet", "partly", "returned")


class SelfAssessmentSetup(Base):
    """A self-assessment round's scale name and the version of its form (raised whenever the
    standards or the scale change, so a form sent out before the change is refused on import)."""

    __tablename__ = "self_assessment_setup"

    round_id: Mapped[int] = mapped_column(ForeignKey("round.id", ondelete="CASCADE"), unique=True)
    scale_name: Mapped[str] = mapped_column(String(100), default="")
    form_version: Mapped[int] = mapped_column(Integer, default=1)
    return_by: Mapped[date | None] = mapped_column(Date)

    round: Mapped[Round] = relationship()


class Standard(Base):
    __tablename__ = "standard"

    round_id: Mapped[int] = mapped_column(ForeignKey("round.id", ondelete="CASCADE"), index=True)
    key: Mapped[str] = mapped_column(String(60))
    title: Mapped[str] = mapped_column(String(200))
    wording: Mapped[str] = mapped_column(Text)
    guidance: Mapped[str] = mapped_column(Text, default="")
    position: Mapped[int] = mapped_column(Integer, default=0)

    round: Mapped[Round] = relationship()


class RatingOption(Base):
    """One choice of a round's rating scale; ``rank`` 1 is best. "Not applicable" has no rank and
    needs a reason; it is left out of the standards that apply."""

    __tablename__ = "rating_option"

    round_id: Mapped[int] = mapped_column(ForeignKey("round.id", ondelete="CASCADE"), index=True)
    label: Mapped[str] = mapped_column(String(60))
    colour: Mapped[str] = mapped_column(String(9), default="#bdbdbd")
    rank: Mapped[int] = mapped_column(Integer, default=0)
    not_applicable: Mapped[bool] = mapped_column(Boolean, default=False)
    position: Mapped[int] = mapped_column(Integer, default=0)


class SelfAssessmentReturn(VersionedMixin, Base):
    """An organisation asked to self-assess in a round, and what came back."""

    __tablename__ = "self_assessment_return"
    __history_ignore__ = Base.__history_ignore__ | {"version"}
    __table_args__ = (UniqueConstraint("round_id", "organisation_id", name="uq_self_assessment_return_round_org"),)

    round_id: Mapped[int] = mapped_column(ForeignKey("round.id", ondelete="CASCADE"), index=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"), index=True)
    state: Mapped[str] = mapped_column(String(20), default="not yet")
    returned_on: Mapped[date | None] = mapped_column(Date)
    # SHA-256 of the last workbook imported: the same file again changes nothing.
    file_sha256: Mapped[str] = mapped_column(String(64), default="")
    # JSON list of ISO dates the partnership chased the return.
    chased_json: Mapped[str] = mapped_column(Text, default="[]")

    round: Mapped[Round] = relationship()
    organisation: Mapped[Organisation] = relationship()
    answers: Mapped[list[SelfAssessmentAnswer]] = relationship(
        back_populates="return_", cascade="all, delete-orphan")

    @property
    def chased(self) -> list[date]:
        return [date.fromisoformat(d) for d in json.loads(self.chased_json or "[]")]

    def history_label(self) -> str:
        org = self.organisation.name if self.organisation else ""
        return f"Self-assessment return {org}"[:80]


class SelfAssessmentAnswer(VersionedMixin, Base):
    __tablename__ = "self_assessment_answer"
    __history_ignore__ = Base.__history_ignore__ | {"version"}
    __table_args__ = (UniqueConstraint("return_id", "standard_id", name="uq_self_assessment_answer_return_standard"),)

    return_id: Mapped[int] = mapped_column(ForeignKey("self_assessment_return.id", ondelete="CASCADE"), index=True)
    standard_id: Mapped[int] = mapped_column(ForeignKey("standard.id", ondelete="CASCADE"), index=True)
    rating: Mapped[str] = mapped_column(String(60), default="")
    not_applicable_reason: Mapped[str] = mapped_column(Text, default="")
    evidence: Mapped[str] = mapped_column(Text, default="")
    works_well: Mapped[str] = mapped_column(Text, default="")
    to_improve: Mapped[str] = mapped_column(Text, default="")
    actions: Mapped[str] = mapped_column(Text, default="")
    action_owner: Mapped[str] = mapped_column(String(200), default="")
    action_due: Mapped[date | None] = mapped_column(Date)
    # The round an answer was carried forward from ("" when the form had none), and whether the
    # organisation sent it back exactly as carried (confirmed unchanged).
    carried_from: Mapped[str] = mapped_column(String(40), default="")
    confirmed_unchanged: Mapped[bool] = mapped_column(Boolean, default=False)
    # The panel's challenge to the answer, and the rating it agreed after moderation.
    challenge: Mapped[str] = mapped_column(Text, default="")
    moderated_rating: Mapped[str] = mapped_column(String(60), default="")

    return_: Mapped[SelfAssessmentReturn] = relationship(back_populates="answers")
    standard: Mapped[Standard] = relationship()

    @property
    def agreed_rating(self) -> str:
        return self.moderated_rating or self.rating

    def history_label(self) -> str:
        return (self.standard.title if self.standard else "Self-assessment answer")[:80]
