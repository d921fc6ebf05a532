"""Recurring recommendations across organisations, as the regional lead grouped them for one
regional round (the round's label: every partnership's round of that label is in the report).
A member names its recommendation by uuid, so a newer return from a partnership (recommendations
renumbered) keeps the group."""

from __future__ import annotations

from sqlalchemy import ForeignKey, Integer, String
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
