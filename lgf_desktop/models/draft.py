"""Text typed where a record is made only when the person says so: a new recommendation before
Enter, a progress note before "Add progress note". Kept in the database as it is typed (on the one
autosave), so it survives a crash and is shown again; no half-made record is created meanwhile, and
the draft goes when its record is made."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, utcnow


class Draft(Base):
    """The text typed so far in one place (``services.drafts`` names the places)."""

    __tablename__ = "draft"
    __audited__ = False  # not yet a record of anything: the record it becomes is recorded

    place: Mapped[str] = mapped_column(String(200), unique=True)
    text: Mapped[str] = mapped_column(Text, default="")
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)
