"""A round (one year's Section 11 exercise), its question template and its panel."""

from __future__ import annotations

import json
from datetime import date, datetime

from sqlalchemy import Boolean, CheckConstraint, Date, DateTime, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base, VersionedMixin
from .people import Partnership, Person

PANEL_ROLES = ("chair", "member")
DEFAULT_DECLINED_TEXT = "This review did not take place. {organisation} did not engage with the Section 11 process."
DEFAULT_PARTNERSHIP_HEADING = "Additional Recommendations for Children's Partnership"


class Round(VersionedMixin, Base):
    __tablename__ = "round"
    __history_ignore__ = Base.__history_ignore__ | {"version"}
    __table_args__ = (
        CheckConstraint("cycle_year BETWEEN 1 AND 3", name="cycle_year"),
        UniqueConstraint("partnership_id", "label", name="uq_round_partnership_label"),
    )

    partnership_id: Mapped[int] = mapped_column(ForeignKey("partnership.id"), index=True)
    label: Mapped[str] = mapped_column(String(40))
    cycle_year: Mapped[int] = mapped_column(Integer, default=2)
    kind: Mapped[str] = mapped_column(String(40), default="peer review")
    # First day of the month the report is dated (the report prints "March 2022").
    report_month: Mapped[date | None] = mapped_column(Date)
    background_text: Mapped[str] = mapped_column(Text, default="")
    methodology_intro: Mapped[str] = mapped_column(Text, default="")
    conclusion_text: Mapped[str] = mapped_column(Text, default="")
    # Cover paragraph of the question template sent to organisations in advance.
    template_cover_text: Mapped[str] = mapped_column(Text, default="")
    workshop_minutes: Mapped[int] = mapped_column(Integer, default=90)
    # The declined-review paragraph's opening and the heading of the partnership's own recommendations
    # (placeholders such as {organisation} and {partnership} are filled when the report is written).
    declined_text: Mapped[str] = mapped_column(Text, default=DEFAULT_DECLINED_TEXT, server_default="")
    partnership_recommendations_heading: Mapped[str] = mapped_column(
        Text, default=DEFAULT_PARTNERSHIP_HEADING, server_default="")
    # A round imported from another partnership's exchange file (regional collation): kept whole as
    # that partnership sent it, so nothing here may change it (``services.region.read_only``); a
    # newer file from the same partnership replaces it. ``exported_at`` is when that file was made.
    read_only: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")
    exported_at: Mapped[datetime | None] = mapped_column(DateTime)
    imported_at: Mapped[datetime | None] = mapped_column(DateTime)

    partnership: Mapped[Partnership] = relationship()
    themes: Mapped[list[Theme]] = relationship(
        back_populates="round", order_by="Theme.position", cascade="all, delete-orphan"
    )
    panel: Mapped[list[PanelMember]] = relationship(
        back_populates="round", order_by="PanelMember.position", cascade="all, delete-orphan"
    )
    appendices: Mapped[list[ReportAppendix]] = relationship(
        back_populates="round", order_by="ReportAppendix.position", cascade="all, delete-orphan"
    )
    reviews: Mapped[list["Review"]] = relationship(  # noqa: F821
        back_populates="round", order_by="Review.position", cascade="all, delete-orphan"
    )

    @property
    def chair(self) -> PanelMember | None:
        chairs = [m for m in self.panel if m.role == "chair"]
        return chairs[0] if len(chairs) == 1 else None

    @property
    def questions(self) -> list[Question]:
        return [q for t in self.themes for q in t.questions]


class Theme(Base):
    __tablename__ = "theme"

    round_id: Mapped[int] = mapped_column(ForeignKey("round.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    position: Mapped[int] = mapped_column(Integer, default=0)

    round: Mapped[Round] = relationship(back_populates="themes")
    questions: Mapped[list[Question]] = relationship(
        back_populates="theme", order_by="Question.position", cascade="all, delete-orphan"
    )


class Question(Base):
    __tablename__ = "question"

    theme_id: Mapped[int] = mapped_column(ForeignKey("theme.id", ondelete="CASCADE"), index=True)
    text: Mapped[str] = mapped_column(Text)
    # JSON list of sub-prompts (e.g. the bullets of what to cover); '[]' when none.
    sub_prompts_json: Mapped[str] = mapped_column(Text, default="[]")
    position: Mapped[int] = mapped_column(Integer, default=0)

    theme: Mapped[Theme] = relationship(back_populates="questions")

    @property
    def sub_prompts(self) -> list[str]:
        return list(json.loads(self.sub_prompts_json or "[]"))

    @sub_prompts.setter
    def sub_prompts(self, prompts: list[str]) -> None:
        self.sub_prompts_json = json.dumps([p for p in prompts if p.strip()], ensure_ascii=False)


class PanelMember(Base):
    __tablename__ = "panel_member"
    __table_args__ = (UniqueConstraint("round_id", "person_id", name="uq_panel_member_round_person"),)

    round_id: Mapped[int] = mapped_column(ForeignKey("round.id", ondelete="CASCADE"), index=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"), index=True)
    role: Mapped[str] = mapped_column(String(20), default="member")
    position: Mapped[int] = mapped_column(Integer, default=0)

    round: Mapped[Round] = relationship(back_populates="panel")
    person: Mapped[Person] = relationship()

    def history_label(self) -> str:
        return self.person.name if self.person else super().history_label()


APPENDIX_KINDS = ("text", "question template")


class ReportAppendix(VersionedMixin, Base):
    """One numbered appendix of the round's report, in order: a text of the round's own (title and
    body), or the place of the question template among them. A round with none has the question
    template alone, as Appendix 1; the Methodology names its number ("Appendix 2")."""

    __tablename__ = "report_appendix"
    __history_ignore__ = Base.__history_ignore__ | {"version"}

    round_id: Mapped[int] = mapped_column(ForeignKey("round.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(20), default="text")
    title: Mapped[str] = mapped_column(String(200), default="")
    text: Mapped[str] = mapped_column(Text, default="")
    position: Mapped[int] = mapped_column(Integer, default=0)

    round: Mapped[Round] = relationship(back_populates="appendices")
