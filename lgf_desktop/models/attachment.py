"""Files that belong to the database: the partnership's logo and any other attachment, kept as bytes
in the database itself (not as a path on one machine), so every copy of the database and every
person on a shared one has them."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, Integer, LargeBinary, String
from sqlalchemy.orm import Mapped, deferred, mapped_column

from .base import Base, utcnow


class Attachment(Base):
    """One file's bytes, its name when it was added, media type, size and checksum."""

    __tablename__ = "attachment"
    __history_ignore__ = Base.__history_ignore__ | {"data"}

    name: Mapped[str] = mapped_column(String(300))  # the file's name when added, for the person
    media_type: Mapped[str] = mapped_column(String(100))  # image/png, image/jpeg, …
    size: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64), index=True)  # the same file is kept once
    # Deferred: loading a partnership (every screen's title) must not read a 2 MB picture.
    data: Mapped[bytes] = deferred(mapped_column(LargeBinary, nullable=False))
    added_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
