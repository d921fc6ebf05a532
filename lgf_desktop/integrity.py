"""``lgf check`` and the GUI's integrity check: SQLite's own checks, the schema version, counts,
and the domain rules a database should keep (one chair per round, dated held reviews)."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import func, select, text

from .db import Database, head_revision
from .models import Audit, ChangeLog, Organisation, Person, Recommendation, Response, Review, Round
from .services.rounds import review_problems, round_problems

COUNTED = (
    ("rounds", Round), ("organisations", Organisation), ("people", Person), ("reviews", Review),
    ("responses", Response), ("recommendations", Recommendation), ("audits", Audit), ("history entries", ChangeLog),
)


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
        out = [f"Database: {self.path}", f"Schema version: {self.schema}"]
        out += [f"{name.capitalize()}: {count}" for name, count in self.counts.items()]
        out += [f"Warning: {w}" for w in self.warnings]
        out += [f"Error: {e}" for e in self.errors]
        out.append("All is well." if self.ok else f"{len(self.errors)} problem(s) found.")
        return out


def run_checks(db: Database) -> CheckReport:
    report = CheckReport(path=str(db.path))
    with db.session() as session:
        result = [row[0] for row in session.execute(text("PRAGMA integrity_check")).all()]
        if result != ["ok"]:
            report.errors += [f"SQLite integrity: {line}" for line in result[:20]]
        broken = session.execute(text("PRAGMA foreign_key_check")).all()
        if broken:
            report.errors.append(f"{len(broken)} rows point at records that no longer exist.")
        report.schema = session.execute(text("SELECT version_num FROM alembic_version")).scalar() or "none"
        if report.schema != head_revision():
            report.errors.append(f"Schema is {report.schema}, this app expects {head_revision()}.")
        for name, model in COUNTED:
            report.counts[name] = session.scalar(select(func.count()).select_from(model)) or 0
        for round_ in session.scalars(select(Round)):
            report.warnings += [f"Round {round_.label}: {p}" for p in round_problems(round_)]
            for review in round_.reviews:
                report.warnings += [f"Round {round_.label}, {review.history_label()}: {p}" for p in review_problems(review)]
    return report
