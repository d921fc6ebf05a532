"""Earlier versions of each response: kept as it is edited, listed and restored (no Qt; shown side by
side with ``services.differences``).

While a response is edited its text is kept at least once a minute (the text as it stood when a
save came more than a minute after the last kept one) and always as it was before a large deletion
(more than 200 characters, or more than 30 % of the text, or all of it), so an answer emptied or cut
by accident can be brought back. Restoring is itself a change: the text being replaced is kept first,
so nothing is ever lost. ``keep_versions`` is the one path that writes this table; every save of a
response's text goes through it (``workshop.save_response``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Connection, insert, select
from sqlalchemy.orm import Session

from ...errors import UserError
from ...models import Response, ResponseVersion, new_uuid, utcnow
from ..stale import refuse_if_stale

KEEP_EVERY = timedelta(minutes=1)
LARGE_DELETION_CHARS = 200
LARGE_DELETION_SHARE = 0.30
# Below this, removing 30 % is a word or two of a short note: the minute's version covers it.
SMALL_DELETION_CHARS = 10

REASONS = {
    "typing": "while typing",
    "deletion": "before a large deletion",
    "restore": "before restoring an earlier version",
    "upgrade": "kept at upgrade",
}

# Built once: the autosave runs it on every kept version, and building a statement costs more than running it.
_versions = ResponseVersion.__table__
_KEEP = insert(_versions)


def is_large_deletion(old: str, new: str) -> bool:
    removed = len(old) - len(new)
    if removed <= 0 or not old:
        return False
    if not new.strip():
        return True
    return removed > LARGE_DELETION_CHARS or (removed > LARGE_DELETION_SHARE * len(old) and removed >= SMALL_DELETION_CHARS)


def _keep(connection: Connection, response_id: int, text: str, reason: str, author: str, now: datetime) -> None:
    connection.execute(_KEEP, {"uuid": new_uuid(), "response_id": response_id, "text": text, "saved_at": now,
                               "author": author, "reason": reason})


def keep_versions(connection: Connection, response_id: int, old: str, new: str, author: str,
                  kept_at: datetime | None, kept_holds_old: bool | None, now: datetime | None = None) -> None:
    """Called with a response's text before and after a save: keep ``old`` if the rules say so.
    ``kept_at`` and ``kept_holds_old`` say when the newest kept version was saved and whether it
    holds ``old`` (None, None: none kept yet), read with the response itself (``workshop.save_response``)."""
    if not old or old == new:
        return
    now = now or utcnow()
    if kept_holds_old:
        return  # already kept
    if is_large_deletion(old, new):
        _keep(connection, response_id, old, "deletion", author, now)
    elif kept_at is None or now - kept_at >= KEEP_EVERY:
        _keep(connection, response_id, old, "typing", author, now)


@dataclass(frozen=True)
class EarlierVersion:
    id: int
    saved_at: datetime  # UTC, as stored
    author: str
    reason: str
    text: str

    @property
    def reason_words(self) -> str:
        return REASONS.get(self.reason, self.reason)


def earlier_versions(session: Session, response_id: int) -> list[EarlierVersion]:
    """The kept versions of a response, newest first."""
    rows = session.execute(select(ResponseVersion).where(ResponseVersion.response_id == response_id)
                           .order_by(ResponseVersion.saved_at.desc(), ResponseVersion.id.desc())).scalars()
    return [EarlierVersion(r.id, r.saved_at, r.author, r.reason, r.text) for r in rows]


def restore_version(session: Session, response_id: int, version_id: int, expected_version: int | None) -> int:
    """Make an earlier text the response's text again, keeping the text it replaces; returns the
    response's new version. Refused (``StaleEdit``) if the response changed since it was shown."""
    response = session.get(Response, response_id)
    earlier = session.get(ResponseVersion, version_id)
    if response is None or earlier is None or earlier.response_id != response_id:
        raise UserError("That earlier version is no longer in the database.")
    refuse_if_stale(session, response, expected_version, "answer", response.text)
    if response.text == earlier.text:
        return response.version
    if response.text:
        _keep(session.connection(), response.id, response.text, "restore", session.info.get("user", ""), utcnow())
    response.text = earlier.text
    session.flush()
    return response.version
