"""``lgf check``: SQLite's own checks, the schema version, counts, and the domain rules a database
should keep (one chair per round, dated held reviews) — read-only, and a damaged file is reported
(with what SQLite's ``integrity_check`` said), never a crash."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import func, select, text
from sqlalchemy.orm import selectinload

from .storage.sqlite.connections import DATABASE_ERRORS, read_start
from .db import Database
from .errors import UserError
from .models import Audit, ChangeLog, Organisation, Person, Recommendation, Response, Review, Round, Theme
from .storage import Location
from .storage.sqlite.schema_check import SQLITE_MAGIC, check_openable, read_rows, schema_head, stored_revision
from .services.review.rounds import review_problems, round_problems
from .storage.faults import describe_fault, is_damage

COUNTED = (
    ("rounds", Round), ("organisations", Organisation), ("people", Person), ("reviews", Review),
    ("responses", Response), ("recommendations", Recommendation), ("audits", Audit), ("history entries", ChangeLog),
)
SHOWN_PROBLEMS = 20


@dataclass
class CheckReport:
    path: str
    schema: str = ""
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.errors

    def lines(self) -> list[str]:
        out = [f"Database: {self.path}", f"Schema version: {self.schema or 'unknown'}"]
        out += [f"{name.capitalize()}: {count}" for name, count in self.counts.items()]
        out += [f"Warning: {w}" for w in self.warnings]
        out += [f"Error: {e}" for e in self.errors]
        out.append("All is well." if self.ok else f"{len(self.errors)} problem(s) found.")
        return out


def _damaged(path: Path, said: list[str]) -> str:
    more = f" (and {len(said) - SHOWN_PROBLEMS} more)" if len(said) > SHOWN_PROBLEMS else ""
    return (f"{path} is damaged: SQLite's integrity check says: " + "; ".join(said[:SHOWN_PROBLEMS]) + more
            + ". Nothing was changed; bring back a backup with `lgf restore`.")


def check_database(where: str | Path | Location, passphrase: str | None = None) -> CheckReport:
    """Check the LGF database at ``where`` (a file, or a server's database) without writing to it.

    Raises UserError only when there is nothing to check (no file, not SQLite, another program's,
    a newer version's); a damaged LGF file is a report with errors. A server checks its own pages:
    there, the schema and the records are checked.
    """
    location = Location.parse(where)
    if location.is_server:
        return _check_server(location)
    path = location.path
    report = CheckReport(path=str(path))
    if not path.is_file():
        raise UserError(f"There is no database file at {path}.")
    try:
        is_sqlite = read_start(path, len(SQLITE_MAGIC)) == SQLITE_MAGIC
        said = [str(row[0]) for row in read_rows(path, "PRAGMA integrity_check", passphrase)]
    except DATABASE_ERRORS as exc:
        if not is_sqlite:
            check_openable(path, passphrase)  # says what the file is instead
        sentence = None if is_damage(exc) else describe_fault(exc, path)
        if sentence:  # the file may be fine: it cannot be read here (read-only folder, locked)
            raise UserError(sentence) from exc
        report.errors.append(_damaged(path, [str(exc)]))
        return report
    if said != ["ok"]:
        report.errors.append(_damaged(path, said))
        return report
    check_openable(path, passphrase)
    report.schema = stored_revision(path, passphrase) or ""
    if report.schema != schema_head():
        report.errors.append(f"Schema is {report.schema or 'none'}, this app expects {schema_head()} "
                             "(opening it with the app or any other command upgrades it).")
        return report
    db = Database.open_read_only(path, passphrase)
    try:
        run_checks(db, report)
    finally:
        db.close()
    return report


def _check_server(location: Location) -> CheckReport:
    report = CheckReport(path=location.display)
    try:
        db = Database.open_read_only(location)
    except UserError:
        raise
    except Exception as exc:
        sentence = describe_fault(exc, location)
        if sentence is None:
            raise
        raise UserError(sentence) from exc
    try:
        with db.read() as session:
            report.schema = session.execute(text("SELECT version_num FROM alembic_version")).scalar() or ""
        if report.schema != schema_head():
            report.errors.append(f"Schema is {report.schema or 'none'}, this app expects {schema_head()} "
                                 "(opening it with the app or any other command upgrades it).")
            return report
        run_checks(db, report)
    finally:
        db.close()
    return report


def run_checks(db: Database, report: CheckReport | None = None) -> CheckReport:
    """The checks that read the database's records (the file is known to be intact)."""
    report = report or CheckReport(path=db.location.display)
    with db.session() as session:
        broken = db.backend.foreign_key_problems(session.connection())
        if broken:
            report.errors.append(f"{broken} rows point at records that no longer exist.")
        report.schema = session.execute(text("SELECT version_num FROM alembic_version")).scalar() or "none"
        for name, model in COUNTED:
            report.counts[name] = session.scalar(select(func.count()).select_from(model)) or 0
        # The same rules the screens show, with what they read loaded in a few queries, not one per round.
        rounds = session.scalars(select(Round).options(
            selectinload(Round.panel), selectinload(Round.themes).selectinload(Theme.questions),
            selectinload(Round.reviews).selectinload(Review.contact_attempts),
        )).all()
        for round_ in rounds:
            report.warnings += [f"Round {round_.label}: {p}" for p in round_problems(round_)]
            for review in round_.reviews:
                report.warnings += [f"Round {round_.label}, {review.history_label()}: {p}" for p in review_problems(review)]
    return report
