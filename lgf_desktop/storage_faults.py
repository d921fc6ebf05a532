"""Why a write to the database failed, in one plain sentence: the environment's faults (read-only
file, full disk, locked database, file gone) told apart from bugs.

``fault_sentence(exc)`` reads only the error's kind and SQLite's own message, never the statement
or its parameters (they can hold case text), so the sentence is safe to show and to log.
"""

from __future__ import annotations

import errno
import sqlite3

from .errors import UserError

READ_ONLY = "the database file is read-only"
DISK_FULL = "the disk is full"
LOCKED = "the database is locked by another program"
GONE = "the database file is missing or its folder is gone"
UNREADABLE = "the database file cannot be read or written"

_MESSAGES = (  # SQLite's messages (sqlite3_errstr), lower case, and what they mean for a person
    ("readonly", READ_ONLY),
    ("read-only", READ_ONLY),
    ("attempt to write a readonly database", READ_ONLY),
    ("database or disk is full", DISK_FULL),
    ("disk i/o error", UNREADABLE),
    ("database is locked", LOCKED),
    ("database table is locked", LOCKED),
    ("unable to open database file", GONE),
    ("no such table", GONE),
    ("file is not a database", UNREADABLE),
)

_ERRNOS = {
    errno.EROFS: READ_ONLY,
    errno.EACCES: READ_ONLY,
    errno.EPERM: READ_ONLY,
    errno.ENOSPC: DISK_FULL,
    errno.EDQUOT: DISK_FULL,
    errno.ENOENT: GONE,
    errno.ENOTDIR: GONE,
    errno.EIO: UNREADABLE,
}


def _sqlite_error(exc: BaseException) -> BaseException | None:
    """The DB-API error under a SQLAlchemy one (``.orig``), or the error itself."""
    seen: set[int] = set()
    while exc is not None and id(exc) not in seen:
        seen.add(id(exc))
        if isinstance(exc, (sqlite3.Error, OSError)):
            return exc
        exc = getattr(exc, "orig", None) or exc.__cause__ or exc.__context__
    return None


def fault_cause(exc: BaseException) -> str | None:
    """The environment's fault behind ``exc`` in a few words, or None when it is not one (a bug)."""
    inner = _sqlite_error(exc)
    if isinstance(inner, OSError):
        return _ERRNOS.get(inner.errno or 0, UNREADABLE)
    if isinstance(inner, sqlite3.Error):
        # Only SQLite's own message (the first line of str(), which never holds parameters).
        message = str(inner.args[0] if inner.args else "").splitlines()[0].lower() if inner.args else ""
        for needle, cause in _MESSAGES:
            if needle in message:
                return cause
        if isinstance(inner, sqlite3.OperationalError):
            return UNREADABLE
    return None


def fault_sentence(exc: BaseException, what: str = "The text") -> str:
    """One sentence for a failed save: the user's own refusal as it is, an environment's fault with
    its cause, anything else as a bug named only by its kind."""
    if isinstance(exc, UserError):
        return str(exc)
    cause = fault_cause(exc) or f"an unexpected {type(exc).__name__}"
    return f"Not saved: {cause}. {what} stays on screen and is tried again every few seconds."
