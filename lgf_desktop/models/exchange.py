"""Records of exchange files brought in, and panel members' notes waiting to be merged."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base, utcnow
from .review import Review
from .round import Question

NOTE_STATUSES = ("pending", "merged", "dismissed")


class ExchangeImport(Base):
    """One exchange file imported; its SHA-256 makes a second import of the same file a no-op."""

    __tablename__ = "exchange_import"
    __audited__ = False

    sha256: Mapped[str] = mapped_column(String(64), unique=True)
    kind: Mapped[str] = mapped_column(String(40))
    package_uuid: Mapped[str] = mapped_column(String(36), default="")
    author: Mapped[str] = mapped_column(String(200), default="")
    summary: Mapped[str] = mapped_column(Text, default="")
    imported_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class NoteContribution(Base):
    """A panel member's notes on one question of a review, imported for the chair to merge."""

    __tablename__ = "note_contribution"

    review_id: Mapped[int] = mapped_column(ForeignKey("review.id", ondelete="CASCADE"), index=True)
    question_id: Mapped[int | None] = mapped_column(ForeignKey("question.id", ondelete="SET NULL"), index=True)
    author: Mapped[str] = mapped_column(String(200))
    text: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(20), default="pending")
    import_id: Mapped[int | None] = mapped_column(ForeignKey("exchange_import.id", ondelete="SET NULL"))
    # The note's identity across exports (the same member's notes on the same question), and when the
    # member last changed it: the same notes imported again add nothing, later ones replace pending ones.
    note_uuid: Mapped[str] = mapped_column(String(36), default="", server_default="", index=True)
    written_at: Mapped[datetime | None] = mapped_column(DateTime)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    review: Mapped[Review] = relationship()
    question: Mapped[Question | None] = relationship()
