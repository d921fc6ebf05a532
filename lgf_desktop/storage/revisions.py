"""The schema revisions this version of the app knows, read from the migration files themselves (their
``revision`` and ``down_revision`` lines) without importing Alembic, so there is no constant to keep
in step; a test checks the result against Alembic's own view. Both backends refuse a database whose
revision is not among them (made by a newer version)."""

from __future__ import annotations

import re
from functools import lru_cache

from ..paths import MIGRATIONS

VERSIONS = MIGRATIONS / "versions"
_REVISION = re.compile(r"^(down_revision|revision)\s*(?::[^=]*)?=\s*(.+)$", re.MULTILINE)
_TABLE = re.compile(r"create_table\(\s*['\"](\w+)['\"]")


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


@lru_cache(maxsize=1)
def lgf_tables() -> frozenset[str]:
    """Every table any migration creates, plus Alembic's own."""
    names = {"alembic_version"}
    for script in VERSIONS.glob("*.py"):
        names.update(_TABLE.findall(script.read_text(encoding="utf-8")))
    return frozenset(names)


def newer_version(where: str, revision: str) -> str:
    """The one sentence for a database made by a newer version of the app (either backend)."""
    return f"{where} was written by a newer version of LGF Desktop (schema {revision}); update the app to open it."
