"""Refusing a save made from a screen that loaded an older version of the record (no Qt).

A screen remembers the ``version`` of each record it shows and passes it with its save as
``expected_version``; if the record has moved on since (another window, the CLI, an import), the
save raises ``StaleEdit`` carrying what the database now holds, and nothing is written. The screen
then refreshes quietly (nothing typed since) or keeps both texts and lets the person choose.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..errors import StaleEdit
from ..models import ChangeLog, ExchangeImport

# An import's rows are changed within moments of its ExchangeImport row being added.
_IMPORT_WINDOW = timedelta(minutes=1)
_WHO_IMPORTED = {
    "audit-return": "the auditor's return from {author}",
    "audit-package": "the audit package from {author}",
    "review-notes": "the panel member's notes from {author}",
    "round": "the round from {author}",
}


def _local(at: datetime) -> datetime:
    return at.replace(tzinfo=timezone.utc).astimezone()


def last_change(session: Session, record_uuid: str) -> str:
    """Who changed a record last and when, in words ("by Sam Lee at 14:03"); '' when unknown."""
    entry = session.execute(select(ChangeLog.who, ChangeLog.at).where(ChangeLog.record_uuid == record_uuid)
                            .order_by(ChangeLog.id.desc()).limit(1)).first()
    if entry is None:
        return ""
    imported = session.execute(
        select(ExchangeImport.kind, ExchangeImport.author, ExchangeImport.imported_at)
        .where(ExchangeImport.imported_at <= entry.at + timedelta(seconds=1),
               ExchangeImport.imported_at >= entry.at - _IMPORT_WINDOW)
        .order_by(ExchangeImport.id.desc()).limit(1)).first()
    if imported is not None and imported.kind in _WHO_IMPORTED:
        source = _WHO_IMPORTED[imported.kind].format(author=imported.author or "someone")
        return f"by {source} imported at {_local(imported.imported_at):%H:%M}"
    return f"by {entry.who} at {_local(entry.at):%H:%M}" if entry.who else f"at {_local(entry.at):%H:%M}"


def refuse_if_stale(session: Session, record: object, expected_version: int | None, what: str,
                    current_text: str | None = None) -> None:
    """Raise ``StaleEdit`` when ``record`` is no longer at ``expected_version`` (None: no check)."""
    if expected_version is None or record.version == expected_version:
        return
    raise stale_edit(session, record.uuid, what, record.version, current_text)


def stale_edit(session: Session, record_uuid: str, what: str, version: int, current_text: str | None) -> StaleEdit:
    how = last_change(session, record_uuid)
    return StaleEdit(f"This {what} was changed elsewhere{f' ({how})' if how else ''} since you opened it.",
                     current_text=current_text, current_version=version)
