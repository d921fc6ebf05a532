"""Declarative base and the identity every row carries: an integer key and a stable UUID."""

from __future__ import annotations

import uuid as uuid_module
from datetime import datetime, timezone

from sqlalchemy import Integer, MetaData, String
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

# Named constraints so Alembic batch migrations on SQLite can find them again.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def new_uuid() -> str:
    return str(uuid_module.uuid4())


def utcnow() -> datetime:
    return datetime.now(timezone.utc).replace(tzinfo=None)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)

    id: Mapped[int] = mapped_column(primary_key=True)
    # Stable identity that survives travel between machines (exchange files, regional collation).
    uuid: Mapped[str] = mapped_column(String(36), unique=True, default=new_uuid)

    # Tables whose changes are recorded in the change history (see lgf_desktop.history).
    __audited__: bool = True
    # Columns never worth a history row (derived or bookkeeping).
    __history_ignore__: frozenset[str] = frozenset({"id", "uuid"})
    # Records a screen edits carry ``version`` (see ``VersionedMixin``), raised on each change of a
    # column the history records, so a save from a screen holding an older version is refused.
    __versioned__: bool = False

    def history_label(self) -> str:
        """A short human name for this record, used by the change history."""
        for attr in ("name", "title", "label", "text", "pseudonym"):
            value = getattr(self, attr, None)
            if isinstance(value, str) and value:
                return value[:80]
        return f"{type(self).__name__} {self.id}"


class VersionedMixin:
    """A ``version`` that rises by one with every recorded change (``lgf_desktop.record_versions``);
    a save naming an older one is refused (``services.stale``) instead of overwriting."""

    __versioned__ = True

    version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")
