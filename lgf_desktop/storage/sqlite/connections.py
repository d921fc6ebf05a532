"""Driver-level connections to an LGF database file, plain SQLite or encrypted with SQLCipher: the one
place that knows the difference (the engine, backups, the schema check, the data watcher and the
conversions all connect through ``connect``).

Which kind a file is follows from the file itself: an existing file that starts with SQLite's header
is plain; an existing file without it is taken to be encrypted and needs its passphrase; a new or
empty file is made encrypted exactly when a passphrase is given. A passphrase is only ever held in
memory for the sitting (by the open ``Database``), never written anywhere.

The file's first bytes (SQLite's header, or SQLCipher's salt) are never read with a descriptor opened
and closed while SQLite has the file open in this process: POSIX drops every lock a process holds on
a file when it closes any descriptor of that file, so such a read would silently take SQLite's locks
away; another program (the ``lgf`` command, a second window) closing the file would then believe it
was the last one, checkpoint and delete the write-ahead log under us, and every later commit of
ours would be lost (https://www.sqlite.org/howtocorrupt.html, section 2.2). Each connection made here
is counted against the file, and while any is open the file's bytes are read through one descriptor
kept open for them (``read_start``), closed only after the last connection.

SQLCipher derives the page key from the passphrase with 256,000 rounds of PBKDF2 (about a second on
a slow laptop) on every connection it opens. The derivation is done here once per passphrase and
file (SQLCipher's own parameters, its salt being the file's first 16 bytes) and handed to SQLCipher
as a raw key, so the writer, the readers and the backups do not each pay that second.
"""

from __future__ import annotations

import os
import sqlite3
import threading
import weakref
from functools import lru_cache
from pathlib import Path
from typing import Any

from sqlcipher3 import dbapi2 as sqlcipher

from ...errors import UserError

SQLITE_MAGIC = b"SQLite format 3\x00"
BUSY_TIMEOUT_MS = 5000

# Exceptions of either driver, for ``except`` clauses in the storage modules.
ERRORS: tuple[type[Exception], ...] = (sqlite3.Error, sqlcipher.Error)
DATABASE_ERRORS: tuple[type[Exception], ...] = (sqlite3.DatabaseError, sqlcipher.DatabaseError)
OPERATIONAL_ERRORS: tuple[type[Exception], ...] = (sqlite3.OperationalError, sqlcipher.OperationalError)

# SQLCipher 4's defaults (what a file made by ``PRAGMA key = 'passphrase'`` uses).
_KDF_ROUNDS, _SALT_BYTES, _KEY_BYTES = 256_000, 16, 32


class PassphraseNeeded(UserError):
    """The file is encrypted and no passphrase was given."""


class WrongPassphrase(UserError):
    """The passphrase given does not open the file."""


class _OpenFile:
    """A database file this process has connections to: how many, and the descriptor its bytes are
    read through meanwhile."""

    def __init__(self, fd: int) -> None:
        self.fd = fd
        self.connections = 0


_open_files: dict[tuple[int, int], _OpenFile] = {}
_open_files_lock = threading.Lock()


def file_id(path: Path) -> tuple[int, int] | None:
    """Which file ``path`` is now (device and inode), None when there is none."""
    try:
        info = os.stat(path)
    except OSError:
        return None
    return (info.st_dev, info.st_ino)


def read_start(path: Path, size: int) -> bytes:
    """The first ``size`` bytes of ``path`` (fewer for a shorter file, none for a missing one), read
    without ever closing a descriptor of a file SQLite has open here (see the module's notes).
    Raises OSError when the file cannot be read."""
    with _open_files_lock:
        held = _open_files.get(file_id(path))
        if held is not None:
            if hasattr(os, "pread"):
                return os.pread(held.fd, size, 0)
            os.lseek(held.fd, 0, os.SEEK_SET)  # Windows has no pread; the lock keeps the position ours
            return os.read(held.fd, size)
        with Path(path).open("rb") as fh:
            return fh.read(size)


def _hold(path: Path) -> tuple[int, int] | None:
    """Count one more connection to ``path`` (before it is made, so no read closes a descriptor
    meanwhile); the key to release it with, or None when the file does not exist yet."""
    with _open_files_lock:
        key = file_id(path)
        if key is None:
            return None
        held = _open_files.get(key)
        if held is None:
            held = _open_files[key] = _OpenFile(os.open(path, os.O_RDONLY | getattr(os, "O_BINARY", 0)))
        held.connections += 1
        return key


def _release(key: tuple[int, int] | None) -> None:
    if key is None:
        return
    with _open_files_lock:
        held = _open_files.get(key)
        if held is None:
            return
        held.connections -= 1
        if held.connections <= 0:  # no SQLite connection of ours is left: closing drops no lock
            del _open_files[key]
            os.close(held.fd)


def _counted(conn: Any, key: tuple[int, int] | None) -> Any:
    """``conn`` released from the count when it is closed, or when it is collected unclosed."""
    if key is None:
        return conn
    release = weakref.finalize(conn, _release, key)
    conn.close_hook = release  # called by the connection classes' close()
    return conn


class _Counted:
    """A driver connection that leaves the count when closed (``_counted``)."""

    close_hook: Any = None

    def close(self) -> None:
        super().close()  # type: ignore[misc]
        if self.close_hook is not None:
            self.close_hook()


class _SqliteConnection(_Counted, sqlite3.Connection):
    pass


class _SqlcipherConnection(_Counted, sqlcipher.Connection):
    pass


def is_plain(path: Path) -> bool:
    """True when ``path`` starts with SQLite's header (readable without a passphrase)."""
    try:
        return read_start(path, len(SQLITE_MAGIC)) == SQLITE_MAGIC
    except OSError:
        return False


def is_encrypted(path: Path) -> bool:
    """True for an existing, non-empty file without SQLite's header that could be an encrypted
    database: SQLCipher writes whole pages, so its size is a multiple of 512 bytes. (A file that
    is not a database at all but happens to fit is told apart only by trying a passphrase.)"""
    path = Path(path)
    try:
        size = path.stat().st_size
    except OSError:
        return False
    return path.is_file() and size >= 1024 and size % 512 == 0 and not is_plain(path)


def _is_new(path: Path) -> bool:
    try:
        return Path(path).stat().st_size == 0
    except OSError:
        return True


@lru_cache(maxsize=8)
def _raw_key(passphrase: str, salt: bytes) -> str:
    import hashlib  # only for encrypted files: a plain file's window shows without it

    key = hashlib.pbkdf2_hmac("sha512", passphrase.encode("utf-8"), salt, _KDF_ROUNDS, _KEY_BYTES)
    return f"x'{key.hex()}{salt.hex()}'"


def journal_key(path: Path, passphrase: str) -> bytes:
    """The key sealing the recovery journal beside an encrypted ``path``: one-way from the file's
    own key (knowing it tells nothing of the database key)."""
    import hashlib

    salt = _salt(path) or b""
    return hashlib.sha256(b"lgf-journal\0" + _raw_key(passphrase, salt).encode()).digest()


def _salt(path: Path) -> bytes | None:
    try:
        salt = read_start(path, _SALT_BYTES)
    except OSError:
        return None
    return salt if len(salt) == _SALT_BYTES else None


def key_statement(path: Path, passphrase: str, salt_from: Path | None = None) -> str:
    """The ``PRAGMA key`` for ``path``: the raw key when the file exists (derived once); for a new
    file, the raw key of ``salt_from`` (a copy of a database shares its salt, so making a backup costs
    no derivation), else the passphrase itself (SQLCipher then makes a salt)."""
    if "\x00" in passphrase:
        raise UserError("A passphrase cannot contain a NUL character.")
    salt = (_salt(salt_from) if salt_from is not None and not is_plain(salt_from) else None) if _is_new(path) \
        else _salt(path)
    if salt is None:
        return "PRAGMA key = '" + passphrase.replace("'", "''") + "'"
    return f'PRAGMA key = "{_raw_key(passphrase, salt)}"'


def _uri(path: Path, read_only: bool) -> str:
    return f"{Path(path).resolve().as_uri()}?mode=ro" if read_only else str(path)


def connect(path: Path, passphrase: str | None = None, *, read_only: bool = False, salt_from: Path | None = None,
            **kwargs: Any):
    """A DB-API connection to ``path`` (``kwargs`` go to the driver's ``connect``); a new encrypted
    file takes the salt of ``salt_from`` when given.

    Raises ``PassphraseNeeded`` for an encrypted file opened without a passphrase and
    ``WrongPassphrase`` when the passphrase does not open it; neither writes a byte.
    """
    path = Path(path)
    kwargs.setdefault("timeout", BUSY_TIMEOUT_MS / 1000)
    key = _hold(path)
    try:
        encrypted = is_encrypted(path) or (passphrase is not None and _is_new(path))
        if encrypted and passphrase is None:
            raise PassphraseNeeded(f"{path} is encrypted: its passphrase is needed to open it.")
        driver, factory = (sqlcipher, _SqlcipherConnection) if encrypted else (sqlite3, _SqliteConnection)
        conn = driver.connect(_uri(path, read_only), uri=read_only, factory=factory, **kwargs)
    except BaseException:
        _release(key)
        raise
    if key is None:  # a new file: it exists now
        key = _hold(path)
    conn = _counted(conn, key)
    if not encrypted:
        return conn
    try:
        conn.execute("PRAGMA cipher_log_level = NONE")  # a wrong key would otherwise print to stderr
        conn.execute(key_statement(path, passphrase, salt_from))
        if not _is_new(path):
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except sqlcipher.DatabaseError as exc:
        conn.close()
        if getattr(exc, "sqlite_errorname", "") == "SQLITE_NOTADB" or "not a database" in str(exc):
            raise WrongPassphrase(f"That passphrase does not open {path} (or the file is not an LGF Desktop "
                                  "database); nothing was opened or changed.") from None
        raise
    except BaseException:
        conn.close()
        raise
    return conn


def driver_module(path: Path, passphrase: str | None):
    """The DB-API module behind ``connect(path, passphrase)`` (SQLAlchemy wraps its exceptions)."""
    return sqlcipher if is_encrypted(path) or (passphrase is not None and _is_new(path)) else sqlite3


def export(source: Path, source_passphrase: str | None, target: Path, target_passphrase: str | None) -> None:
    """Copy every table of ``source`` into the new, empty file ``target``, encrypted with
    ``target_passphrase`` (plain when None) — SQLCipher's ``sqlcipher_export``, the one way to change
    a file's encryption. The application id and user version are carried over by hand (the export
    copies schema and rows only)."""
    source, target = Path(source), Path(target)
    if not _is_new(target):
        raise ValueError("export needs a new, empty target file")
    # Not read-only: an attached file takes the main file's open flags, and the target must be written.
    key = _hold(source)
    try:
        conn = sqlcipher.connect(str(source), timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None,
                                 factory=_SqlcipherConnection)
    except BaseException:
        _release(key)
        raise
    conn = _counted(conn, key)
    try:
        conn.execute("PRAGMA cipher_log_level = NONE")
        if not is_plain(source):
            if source_passphrase is None:
                raise PassphraseNeeded(f"{source} is encrypted: its passphrase is needed to open it.")
            conn.execute(key_statement(source, source_passphrase))
        application_id = conn.execute("PRAGMA main.application_id").fetchone()[0]
        user_version = conn.execute("PRAGMA main.user_version").fetchone()[0]
        conn.execute("ATTACH DATABASE ? AS target KEY ?", (str(target), target_passphrase or ""))
        conn.execute("SELECT sqlcipher_export('target')")
        conn.execute(f"PRAGMA target.application_id = {int(application_id)}")
        conn.execute(f"PRAGMA target.user_version = {int(user_version)}")
        conn.execute("DETACH DATABASE target")
    finally:
        conn.close()


def table_counts(path: Path, passphrase: str | None) -> dict[str, int]:
    """Rows per table of ``path``: what a converted copy must hold too."""
    conn = connect(path, passphrase, read_only=True)
    try:
        tables = [row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        return {t: conn.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for t in tables}
    finally:
        conn.close()
