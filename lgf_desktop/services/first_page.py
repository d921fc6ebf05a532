"""The navigator and the first page, read with the SQLite driver alone, before SQLAlchemy is imported.

The window is usable once its navigator and the newest round's page are filled. Importing SQLAlchemy
and the models and configuring the mappers costs about three times a bare Qt window's whole start,
so for a plain file of exactly the schema this version writes, the few rows those show are read here
with plain SQL, and the database layer loads on a worker once the window is usable.

This is not a second way of opening a file. Anything unexpected — another application id, another
schema revision (an upgrade is needed, or the file is newer), a new or half-made file, a lock, a hot
journal, damage — gives ``None``, and the app takes its one opening path (``Database.open``), which
refuses, recovers, creates or upgrades as it always has. Encrypted files always take that path: deriving
their key takes about a second, which dwarfs what this saves.

What it returns is what the ORM listing returns (``listing.rounds``, ``listing.reviews_of_round``,
``rounds.round_problems``, the round's fields); ``tests/test_first_page.py`` compares them row for row.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from ..storage.sqlite import connections
from ..storage.sqlite.schema_check import APPLICATION_ID
from .review.report_texts import ROUND_TEXTS
from .review.round_rules import problems_of, review_label

# The newest migration (lgf_desktop/migrations/versions): a file at any other revision takes the full
# path. tests/test_first_page.py checks it against Alembic's head, so a new migration fails the test
# until this is raised with it (and the queries below are checked against the new schema).
SCHEMA_HEAD = "0013"


@dataclass(frozen=True)
class RoundShown:
    """A round as its page shows it first: its details tab, its texts and its problems."""

    id: int
    label: str
    kind: str
    cycle_year: int
    report_month: date | None
    workshop_minutes: int
    version: int
    texts: Mapping[str, str]  # each of the report's texts (``report_texts.ROUND_TEXTS``) by field
    problems: tuple[str, ...]


@dataclass(frozen=True)
class FirstPage:
    """What the window shows first: every round (id, label) in the navigator's order, the newest
    round's reviews (id, label) in report order, and the newest round itself (None: no round yet)."""

    rounds: tuple[tuple[int, str], ...]
    reviews: tuple[tuple[int, str], ...]
    newest: RoundShown | None


def read_first_page(path: Path) -> FirstPage | None:
    """The first page of the plain LGF file ``path`` at schema ``SCHEMA_HEAD``, read in one snapshot
    without writing a byte and without waiting for a lock; None whenever the full path must decide."""
    path = Path(path)
    if not connections.is_plain(path):
        return None  # new, empty, encrypted or foreign: Database.open says which
    try:
        conn = connections.connect(path, None, read_only=True, timeout=0)
    except connections.ERRORS:
        return None
    try:
        conn.execute("BEGIN")  # one snapshot: a commit elsewhere cannot fall between two queries
        if conn.execute("PRAGMA application_id").fetchone()[0] != APPLICATION_ID:
            return None
        if conn.execute("SELECT version_num FROM alembic_version").fetchall() != [(SCHEMA_HEAD,)]:
            return None
        if conn.execute("SELECT count(*) FROM partnership").fetchone()[0] > 1:
            return None  # a regional database: its navigator groups rounds by partnership, as the full path does
        return _read(conn)
    except connections.ERRORS:
        return None
    finally:
        conn.close()


def _read(conn) -> FirstPage:
    rounds = tuple(conn.execute("SELECT id, label FROM round ORDER BY label, id").fetchall())
    if not rounds:
        return FirstPage(rounds=(), reviews=(), newest=None)
    newest_id = rounds[-1][0]  # the navigator opens on the last round it lists
    reviews = tuple(
        (review_id, review_label(short or name, status, _date(when)))
        for review_id, short, name, status, when in conn.execute(
            "SELECT review.id, organisation.short_name, organisation.name, review.status, review.review_date "
            "FROM review JOIN organisation ON review.organisation_id = organisation.id "
            "WHERE review.round_id = ? ORDER BY review.position, review.id", (newest_id,)))
    return FirstPage(rounds=rounds, reviews=reviews, newest=read_round(conn, newest_id))


def read_round(conn, round_id: int) -> RoundShown:
    """One round as its page shows it first, on an open driver connection."""
    texts = tuple(ROUND_TEXTS)
    row = conn.execute(
        f"SELECT label, kind, cycle_year, report_month, workshop_minutes, version, {', '.join(texts)} "
        "FROM round WHERE id = ?", (round_id,)).fetchone()
    label, kind, cycle_year, report_month, minutes, version = row[:6]
    chairs = conn.execute("SELECT count(*) FROM panel_member WHERE round_id = ? AND role = 'chair'",
                          (round_id,)).fetchone()[0]
    themes = conn.execute(
        "SELECT theme.title, count(question.id) FROM theme LEFT JOIN question ON question.theme_id = theme.id "
        "WHERE theme.round_id = ? GROUP BY theme.id ORDER BY theme.position, theme.id", (round_id,)).fetchall()
    return RoundShown(id=round_id, label=label, kind=kind, cycle_year=cycle_year, report_month=_date(report_month),
                      workshop_minutes=minutes, version=version, texts=dict(zip(texts, row[6:], strict=True)),
                      problems=tuple(problems_of(chairs, themes)))


def _date(stored: str | None) -> date | None:
    # SQLAlchemy's Date on SQLite stores ISO text (2022-02-03).
    return date.fromisoformat(stored) if stored else None
