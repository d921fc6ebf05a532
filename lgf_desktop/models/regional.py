"""What the regional lead adds to a regional round (its label: every partnership's round of that label
is in the report): recurring recommendations across organisations as the lead grouped them, the
lead's own texts, and the recommendations to the region. A group member names its recommendation by
uuid, so a newer return from a partnership (recommendations renumbered) keeps the group."""

from __future__ import annotations

from sqlalchemy import ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base


class RecurringGroup(Base):
    __tablename__ = "recurring_group"

    round_label: Mapped[str] = mapped_column(String(40), index=True)
    title: Mapped[str] = mapped_column(String(300))
    position: Mapped[int] = mapped_column(Integer, default=0)

    members: Mapped[list[RecurringGroupMember]] = relationship(
        back_populates="group", order_by="RecurringGroupMember.position", cascade="all, delete-orphan")


class RecurringGroupMember(Base):
    __tablename__ = "recurring_group_member"

    group_id: Mapped[int] = mapped_column(ForeignKey("recurring_group.id", ondelete="CASCADE"), index=True)
    recommendation_uuid: Mapped[str] = mapped_column(String(80))
    position: Mapped[int] = mapped_column(Integer, default=0)

    group: Mapped[RecurringGroup] = relationship(back_populates="members")


class RegionalText(Base):
    __tablename__ = "regional_text"

    round_label: Mapped[str] = mapped_column(String(40), unique=True)
    methodology_intro: Mapped[str] = mapped_column(Text, default="")
    conclusion: Mapped[str] = mapped_column(Text, default="")


class RegionalRecommendation(Base):
    __tablename__ = "regional_recommendation"

    round_label: Mapped[str] = mapped_column(String(40), index=True)
    text: Mapped[str] = mapped_column(Text)
    position: Mapped[int] = mapped_column(Integer, default=0)
