"""Telling a fault of the environment (read-only file or folder, full disk, locked or damaged
database, vanished file; for a server: unreachable, login refused, permission missing, connection
lost — ``postgresql/faults.py``) from a bug, and saying it in one sentence that names the cause.

Qt-free: the CLI, the GUI's error channel, the autosave and ``Database.open`` all ask
``describe_fault``. ``None`` means the exception is not the environment's fault (a bug).
"""

from __future__ import annotations

import errno
import os
import shutil
from pathlib import Path

from .postgresql import faults as server_faults
from .sqlite.connections import DATABASE_ERRORS, ERRORS as SQLITE_ERRORS

# Exceptions of either driver. psycopg's are told by their module (``server_faults.is_server_error``),
# so that a laptop working on a file never imports the server's driver.
ERRORS: tuple[type[Exception], ...] = SQLITE_ERRORS

# SQLite's primary result codes (the low byte of the extended code).
_READONLY, _BUSY, _LOCKED, _IOERR, _CORRUPT, _FULL, _CANTOPEN, _NOTADB = 8, 5, 6, 10, 11, 13, 14, 26


def _causes(exc: BaseException):
    seen: set[int] = set()
    while exc is not None and id(exc) not in seen:
        seen.add(id(exc))
        yield exc
        orig = getattr(exc, "orig", None)  # SQLAlchemy's DBAPIError wraps the driver's exception
        exc = orig if isinstance(orig, BaseException) else (exc.__cause__ or exc.__context__)


def _not_writable(path: Path, *, database: bool = True, reason: str = "") -> str:
    """Which of the file and its folder cannot be written (say which)."""
    if path.exists() and not os.access(path, os.W_OK):
        return f"{path} is read-only, so nothing could be saved; make the file writable or use a copy."
    if database and not os.access(path.parent, os.W_OK):
        return (f"The folder {path.parent} is read-only, and SQLite must write its journal files beside "
                f"{path.name} (even to read it), so nothing was read or changed; move the database to a "
                "folder you can write to.")
    if not path.exists() or not os.access(path.parent, os.W_OK):
        because = f" ({reason})" if reason else ""
        return f"The folder {path.parent} cannot be written to{because}; nothing was saved."
    return f"{path} could not be written to (the disk or file system refused); nothing was saved."


def _nearly_full(path: Path) -> bool:
    try:
        return shutil.disk_usage(path.parent).free < 1024 * 1024
    except OSError:
        return False


def describe_fault(exc: BaseException, path) -> str | None:
    """One sentence for an environment fault behind ``exc`` concerning ``path`` (a file path, or the
    database's ``storage.Location``), or None for a bug."""
    where = getattr(path, "display", None)  # a Location: a server's URL, or a file's path
    if where is not None:
        path = path.path
    path = Path(path) if path is not None else Path("the database")
    for cause in _causes(exc):
        if server_faults.is_server_error(cause):
            return server_faults.describe(cause, where or "the database server")
        if isinstance(cause, SQLITE_ERRORS):
            code = (getattr(cause, "sqlite_errorcode", 0) or 0) & 0xFF
            text = str(cause).lower()
            if code == _READONLY or "readonly database" in text:
                return _not_writable(path)
            if code == _FULL or "disk is full" in text:
                return f"The disk holding {path} is full, so nothing was saved; free some space and try again."
            if code in (_BUSY, _LOCKED) or "database is locked" in text:
                return (f"{path} is locked by another program that is writing to it; nothing was changed. "
                        "Try again in a moment, or close the other program.")
            if code in (_CORRUPT, _NOTADB) or "malformed" in text or "not a database" in text:
                return (f"{path} is damaged ({cause}); nothing was changed. Run `lgf check` for details, or "
                        "restore a backup.")
            if code == _CANTOPEN or "unable to open" in text:
                if not path.exists():
                    return f"{path} is no longer there (moved or deleted?); nothing was changed."
                return _not_writable(path)
            if code == _IOERR or "disk i/o error" in text:
                if not path.exists():
                    return f"{path} is no longer there (moved or deleted?); nothing more could be saved."
                if _nearly_full(path):  # growing the -wal or -shm on a full disk reads as an I/O error
                    return f"The disk holding {path} is full, so nothing was saved; free some space and try again."
                return f"{path} could not be read or written (a disk or file system error); nothing was changed."
        elif isinstance(cause, OSError):
            target = Path(cause.filename) if cause.filename else path
            if cause.errno == errno.ENOSPC or cause.errno == getattr(errno, "EDQUOT", -1):
                return f"The disk holding {target} is full, so nothing was saved; free some space and try again."
            if cause.errno in (errno.EROFS, errno.EACCES, errno.EPERM):
                return _not_writable(target, database=False, reason=cause.strerror or "")
            if cause.errno == errno.ENOENT:
                return f"{target} is no longer there (moved or deleted?); nothing was changed."
            if cause.errno == errno.EIO:
                return f"{target} could not be read or written (a disk error); nothing was changed."
    return None


def is_damage(exc: BaseException) -> bool:
    """True when SQLite found the file itself damaged (or not a database at all) behind ``exc``."""
    for cause in _causes(exc):
        if isinstance(cause, DATABASE_ERRORS):
            code = (getattr(cause, "sqlite_errorcode", 0) or 0) & 0xFF
            text = str(cause).lower()
            if code in (_CORRUPT, _NOTADB) or "malformed" in text or "not a database" in text:
                return True
    return False


def fault_sentence(exc: BaseException, what: str = "Your text", path: str | os.PathLike[str] | None = None) -> str:
    """The autosave's sentence for a failed save: ``describe_fault``'s cause (a refusal of the
    person's own, a ``UserError``, as it is), then that the text is kept and tried again. Never the
    statement or its parameters."""
    from ..errors import UserError

    if isinstance(exc, UserError):
        return str(exc)
    cause = describe_fault(exc, path) or f"Not saved (an unexpected {type(exc).__name__})."
    return f"{cause} {what} stays on screen and is tried again every few seconds."
