"""The source kinds of recommendations (data, not code)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from ...models import DEFAULT_SOURCE_KINDS, SourceKind


def ensure_source_kinds(session: Session) -> None:
    existing = set(session.scalars(select(SourceKind.name)))
    for position, name in enumerate(DEFAULT_SOURCE_KINDS):
        if name not in existing:
            session.add(SourceKind(name=name, position=position))
    session.flush()
