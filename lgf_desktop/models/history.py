"""The change history and the app's settings table."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, utcnow


class ChangeLog(Base):
    """One changed field of one record (or one inserted/deleted record), with who and when."""

    __tablename__ = "change_log"
    __audited__ = False

    at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, index=True)
    who: Mapped[str] = mapped_column(String(200))  # the person's name ("Your name"), else their account
    login: Mapped[str] = mapped_column(String(200), default="")  # account@machine ('' before 0009)
    action: Mapped[str] = mapped_column(String(10))  # insert / update / delete
    table_name: Mapped[str] = mapped_column(String(60))
    record_uuid: Mapped[str] = mapped_column(String(36), index=True)
    record_label: Mapped[str] = mapped_column(String(200), default="")
    field: Mapped[str] = mapped_column(String(60), default="")
    old_value: Mapped[str | None] = mapped_column(Text)
    new_value: Mapped[str | None] = mapped_column(Text)


class Setting(Base):
    __tablename__ = "setting"
    __audited__ = False

    key: Mapped[str] = mapped_column(String(100), unique=True)
    value: Mapped[str] = mapped_column(Text, default="")
