"""Telling, with the SQLite driver alone (no SQLAlchemy) and without writing a byte, whether a file
is an LGF database this version can open — cheap enough to run before the window appears.

The known schema revisions come from ``storage/revisions.py`` (read from the migration files).
"""

from __future__ import annotations

from pathlib import Path

from .connections import (  # noqa: F401  (re-exported)
    BUSY_TIMEOUT_MS, DATABASE_ERRORS, SQLITE_MAGIC, PassphraseNeeded, connect, is_encrypted, read_start,
)
from ...errors import UserError
from ..revisions import known_revisions, lgf_tables, newer_version, schema_head  # noqa: F401  (re-exported)

# Written into the SQLite header (PRAGMA application_id) so an LGF file is known without opening it.
APPLICATION_ID = 0x4C474644  # "LGFD"


def read_rows(path: Path, sql: str, passphrase: str | None = None) -> list[tuple]:
    """Rows of one query on ``path``, read without changing what it holds.

    The file is opened read-only. The one exception is a hot journal (a writer in rollback mode died
    mid-transaction): SQLite must roll it back before anyone may read, which a read-only connection
    cannot do, so a plain connection is opened once to let SQLite restore the last committed state.
    """
    for attempt in ("ro", "recover"):
        conn = None
        try:
            # An encrypted file is read once already while connecting (to check its key): a hot
            # journal can stop that first read too.
            conn = connect(path, passphrase, read_only=attempt == "ro")
            return conn.execute(sql).fetchall()
        except DATABASE_ERRORS as exc:
            if attempt == "recover" or not _needs_rollback(exc):
                raise
        finally:
            if conn is not None:
                conn.close()
    raise AssertionError("unreachable")


def _needs_rollback(exc: BaseException) -> bool:
    """A read-only reader met a hot journal. SQLCipher's driver names only the primary code
    (SQLITE_READONLY) where Python's names the extended one; a read-only reader that only reads
    meets that code only when SQLite must first roll a journal back."""
    return getattr(exc, "sqlite_errorname", "") in ("SQLITE_READONLY_ROLLBACK", "SQLITE_READONLY")


def stored_revision(path: Path, passphrase: str | None = None) -> str | None:
    """The schema revision of an existing LGF file, read without writing to it."""
    try:
        rows = read_rows(path, "SELECT version_num FROM alembic_version", passphrase)
    except DATABASE_ERRORS as exc:
        from ..faults import describe_fault

        sentence = describe_fault(exc, path)  # damaged, read-only folder, locked…
        raise UserError(sentence or f"{path} could not be read as an LGF Desktop database ({exc}).") from exc
    return rows[0][0] if rows else None


def _half_made(path: Path, passphrase: str | None = None) -> bool:
    """True for a file whose creation an older version did not finish (it built tables one by one and
    wrote the application id last): nothing but LGF tables, none holding a row. Nobody can have
    typed anything into it, so it is made again rather than refused for ever."""
    try:
        tables = [row[0] for row in read_rows(path, "SELECT name FROM sqlite_master WHERE type = 'table'", passphrase)]
        if not {t for t in tables if not t.startswith("sqlite_")} <= lgf_tables():
            return False
        return not any(read_rows(path, f'SELECT 1 FROM "{table}" LIMIT 1', passphrase) for table in tables
                       if not table.startswith("sqlite_"))
    except DATABASE_ERRORS:
        return False


def check_openable(path: Path, passphrase: str | None = None) -> bool:
    """Refuse, without writing a byte, anything that is not an LGF database this version can open.

    Returns True when the file is new, empty or half-made (to be created), False for an existing
    LGF database. An encrypted file is read with ``passphrase`` (``PassphraseNeeded`` without one,
    ``WrongPassphrase`` when it does not open the file).
    """
    path = Path(path)
    if not path.exists() or path.stat().st_size == 0:
        return True
    if path.is_dir():
        raise UserError(f"{path} is a folder, not a database file.")
    try:
        header = read_start(path, 100)
    except OSError as exc:
        raise UserError(f"{path} cannot be read: {exc.strerror}.") from exc
    if not header.startswith(SQLITE_MAGIC):
        if not is_encrypted(path):
            raise UserError(f"{path} is not an LGF Desktop database: it is not a SQLite file at all.")
        if passphrase is None:
            raise PassphraseNeeded(f"{path} is encrypted: its passphrase is needed to open it.")
        # The header is encrypted too: ask SQLite, through the key, for what it holds.
        application_id = read_rows(path, "PRAGMA application_id", passphrase)[0][0]
    else:
        application_id = int.from_bytes(header[68:72], "big") if len(header) >= 100 else 0
    if application_id != APPLICATION_ID:
        if _half_made(path, passphrase):
            return True
        raise UserError(f"{path} is a SQLite database of another program, not an LGF Desktop database.")
    revision = stored_revision(path, passphrase)
    if revision is None and _half_made(path, passphrase):
        return True
    if revision is not None and revision not in known_revisions():
        raise UserError(newer_version(str(path), revision))
    return False
