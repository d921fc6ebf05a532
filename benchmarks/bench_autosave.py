"""The workshop's autosave: the time to save one response (one short transaction, queued for the
one writer exactly as the editor's autosave does it, from the call until the commit returned) in a
database of 10 rounds x 15 reviews, as p50 and p99 over a few hundred saves, beside a bare
``sqlite3`` insert-and-commit of the same text with the same pragmas; and how long the caller (the
UI thread) is held by queueing one save.
Each save carries the version check (``expected_version``) and keeps earlier texts as the editor's do.

The bare insert runs right after each autosave, on a file in the same folder, so both are measured
under the same disk and processor conditions: a virtual machine's fsync time drifts by a factor of
two over a minute, which made a ratio of two loops run one after the other swing between 2.7 and 4.2
on an unchanged build. The two loops run back to back are printed as well, for comparison.

Run alone with ``python -m benchmarks.bench_autosave`` or with the others: ``python -m benchmarks autosave``.
"""

from __future__ import annotations

import random
import sqlite3
import tempfile
import time
from pathlib import Path

from benchmarks.figures import figure, median, percentile
from lgf_desktop.db import BUSY_TIMEOUT_MS, Database
from lgf_desktop.models import Organisation, Partnership, Response, Review
from lgf_desktop.services.review.responses import set_response
from lgf_desktop.services.review.rounds import create_round
from lgf_desktop.services.review.workshop import save_response

ROUNDS, REVIEWS, SAVES = 10, 15, 300
SENTENCE = "The panel heard that every new starter completes safeguarding induction within three months. "


def make_database(path: Path) -> Database:
    """10 rounds x 15 reviews, every question answered (uses the shell's generator when present)."""
    try:
        from benchmarks.generate import make_large_database  # written by the app-shell engineer
    except ImportError:
        make_large_database = None
    if make_large_database is not None:
        try:
            make_large_database(path, rounds=ROUNDS, reviews_per_round=REVIEWS)
            return Database.open(path)
        except TypeError:
            path.unlink(missing_ok=True)
    db = Database.open(path)
    with db.session() as session:
        session.add(Partnership(name="Benchmark Safeguarding Partnership"))
        session.flush()
        orgs = [Organisation(name=f"Organisation {n}") for n in range(REVIEWS)]
        session.add_all(orgs)
        for r in range(ROUNDS):
            round_ = create_round(session, f"{2015 + r}-{16 + r}")
            session.flush()
            for n, org in enumerate(orgs):
                review = Review(round=round_, organisation=org, status="held", position=n)
                session.add(review)
                session.flush()
                for question in round_.questions:
                    set_response(session, review, question, SENTENCE * 4)
    return db


class BareSqlite:
    """The baseline: one insert of the text and a commit on a plain ``sqlite3`` connection."""

    def __init__(self, path: Path) -> None:
        self.conn = sqlite3.connect(path, isolation_level=None)
        for pragma in (f"busy_timeout = {BUSY_TIMEOUT_MS}", "foreign_keys = ON", "journal_mode = WAL",
                       "synchronous = FULL"):
            self.conn.execute(f"PRAGMA {pragma}")
        self.conn.execute("CREATE TABLE note (id INTEGER PRIMARY KEY, text TEXT NOT NULL)")
        self.times: list[float] = []

    def save(self, text: str) -> None:
        start = time.perf_counter()
        self.conn.execute("BEGIN")
        self.conn.execute("INSERT INTO note (text) VALUES (?)", (text,))
        self.conn.execute("COMMIT")
        self.times.append(time.perf_counter() - start)

    def close(self) -> None:
        self.conn.close()


def planned_saves(db: Database, count: int = SAVES) -> list[tuple[int, int, str]]:
    """A chair typing into a few questions in turn: the text grows a little between saves."""
    with db.session() as session:
        targets = sorted((r.review_id, r.question_id) for r in session.query(Response).all())
    picked = random.Random(7).sample(targets, 20)
    saves = []
    for n in range(count):
        review_id, question_id = picked[n % len(picked)]
        saves.append((review_id, question_id, SENTENCE * (4 + n // len(picked)) + f"({n})"))
    return saves


class AutosaveRun:
    """Saves queued for ``db``'s one writer as the workshop's autosave does, each naming the version
    its editor loaded; ``times`` until the commit returned, ``queueing`` the caller held."""

    def __init__(self, db: Database) -> None:
        self.db = db
        with db.session() as session:
            self.versions = {(r.review_id, r.question_id): r.version for r in session.query(Response).all()}
        self.times: list[float] = []
        self.queueing: list[float] = []

    def _save(self, session, review_id: int, question_id: int, text: str) -> None:
        self.versions[review_id, question_id] = save_response(session, review_id, question_id, text,
                                                              self.versions[review_id, question_id])

    def save(self, review_id: int, question_id: int, text: str) -> None:
        start = time.perf_counter()
        future = self.db.write(lambda session: self._save(session, review_id, question_id, text))
        self.queueing.append(time.perf_counter() - start)
        future.result()
        self.times.append(time.perf_counter() - start)


def run() -> list[str]:
    with tempfile.TemporaryDirectory(dir=Path.home() if Path.home().exists() else None) as folder:
        db = make_database(Path(folder) / "large.sqlite3")
        saves = planned_saves(db)
        autosave, bare = AutosaveRun(db), BareSqlite(Path(folder) / "bare.sqlite3")
        for review_id, question_id, text in saves:  # side by side: see the module's docstring
            autosave.save(review_id, question_id, text)
            bare.save(text)
        # The same again as two loops one after the other, as this benchmark measured it before.
        apart, bare_apart = AutosaveRun(db), BareSqlite(Path(folder) / "bare-apart.sqlite3")
        for review_id, question_id, text in saves:
            apart.save(review_id, question_id, text + " (again)")
        for _, _, text in saves:
            bare_apart.save(text)
        db.close()
        bare.close()
        bare_apart.close()
    times, queueing = autosave.times, autosave.queueing
    p50, p99 = median(times) * 1000, percentile(times, 99) * 1000
    bare50, bare99 = median(bare.times) * 1000, percentile(bare.times, 99) * 1000
    return [
        figure("autosave p50", p50, "ms", "-"),
        figure("autosave p99", p99, "ms", "< 20 ms"),
        figure("bare sqlite3 insert+commit p50", bare50, "ms", "-"),
        figure("bare sqlite3 insert+commit p99", bare99, "ms", "-"),
        figure("autosave / bare ratio (p50)", p50 / bare50, "x", "< 3"),
        figure("  the same as two loops one after the other (p50)", median(apart.times) / median(bare_apart.times),
               "x", "-"),
        figure("autosave: caller held while queueing (p99)", percentile(queueing, 99) * 1000, "ms", "< 1 ms"),
    ]


if __name__ == "__main__":
    for line in run():
        print(line)
