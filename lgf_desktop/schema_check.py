"""Telling, with the standard ``sqlite3`` module alone and without writing a byte, whether a file
is an LGF database this version can open — cheap enough to run before the window appears.

The known schema revisions are read from the migration files themselves (their ``revision`` and
``down_revision`` lines), so there is no constant to keep in step; a test checks the result against
Alembic's own view.
"""

from __future__ import annotations

import re
import sqlite3
from functools import lru_cache
from pathlib import Path

from .errors import UserError

# Written into the SQLite header (PRAGMA application_id) so an LGF file is known without opening it.
APPLICATION_ID = 0x4C474644  # "LGFD"
SQLITE_MAGIC = b"SQLite format 3\x00"
BUSY_TIMEOUT_MS = 5000
VERSIONS = Path(__file__).resolve().parent / "migrations" / "versions"
_REVISION = re.compile(r"^(down_revision|revision)\s*(?::[^=]*)?=\s*(.+)$", re.MULTILINE)


@lru_cache(maxsize=1)
def _revisions() -> tuple[frozenset[str], str]:
    """(every revision, the head) from the migration files."""
    revisions: set[str] = set()
    parents: set[str] = set()
    for script in VERSIONS.glob("*.py"):
        for key, value in _REVISION.findall(script.read_text(encoding="utf-8")):
            names = set(re.findall(r"['\"]([^'\"]+)['\"]", value))
            (revisions if key == "revision" else parents).update(names)
    heads = revisions - parents
    return frozenset(revisions), (min(heads) if len(heads) == 1 else "")


def known_revisions() -> set[str]:
    return set(_revisions()[0])


def schema_head() -> str:
    """The newest schema revision this version of the app writes."""
    return _revisions()[1]


def stored_revision(path: Path) -> str | None:
    """The schema revision of an existing LGF file, read without writing to it."""
    uri = f"{path.resolve().as_uri()}?mode=ro"
    try:
        conn = sqlite3.connect(uri, uri=True, timeout=BUSY_TIMEOUT_MS / 1000)
        try:
            row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        raise UserError(f"{path} could not be read as an LGF Desktop database ({exc}).") from exc
    return row[0] if row else None


def check_openable(path: Path) -> bool:
    """Refuse, without writing a byte, anything that is not an LGF database this version can open.

    Returns True when the file is new or empty (to be created), False for an existing LGF database.
    """
    path = Path(path)
    if not path.exists() or path.stat().st_size == 0:
        return True
    if path.is_dir():
        raise UserError(f"{path} is a folder, not a database file.")
    try:
        with path.open("rb") as fh:
            header = fh.read(100)
    except OSError as exc:
        raise UserError(f"{path} cannot be read: {exc.strerror}.") from exc
    if not header.startswith(SQLITE_MAGIC):
        raise UserError(f"{path} is not an LGF Desktop database: it is not a SQLite file at all.")
    if len(header) < 100 or int.from_bytes(header[68:72], "big") != APPLICATION_ID:
        raise UserError(f"{path} is a SQLite database of another program, not an LGF Desktop database.")
    revision = stored_revision(path)
    if revision is not None and revision not in known_revisions():
        raise UserError(
            f"{path} was written by a newer version of LGF Desktop (schema {revision}); "
            "update the app to open it."
        )
    return False
