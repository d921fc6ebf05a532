"""Hearing another client's change: from the moment a second client's commit returns until this
client's change feed calls back (what wakes the screens' refresh), p50 and p99 over 100 commits, on a
SQLite file (``PRAGMA data_version`` read every 250 ms on the feed's thread) and on a PostgreSQL
server over its Unix socket (LISTEN/NOTIFY, when PostgreSQL is installed). Baseline, measured in the
same run: the bare commit of the same save, which is what the other client waits for anyway.
The target is the issue's: other clients refresh within a second.

Run alone with ``python -m benchmarks.bench_change_feed`` or with the others: ``python -m benchmarks change_feed``.
"""

from __future__ import annotations

import tempfile
import threading
import time
from pathlib import Path

from sqlalchemy import select

from benchmarks.figures import figure, median, percentile
from lgf_desktop.db import Database
from lgf_desktop.models import Response
from lgf_desktop.services.demo import load_demo
from lgf_desktop.services.review.workshop import save_response
from lgf_desktop.storage.change_feed import open_feed

COMMITS = 100


def _measure(location: str) -> tuple[list[float], list[float]]:
    """(seconds from the other's commit to this feed's call, seconds the commit took)."""
    db = Database.open(location)
    with db.session() as session:
        load_demo(session)
    with db.read() as session:
        response = session.scalars(select(Response).where(Response.text != "")).first()
        review_id, question_id, text = response.review_id, response.question_id, response.text
    other = Database.open(location)
    heard = threading.Event()
    feed = open_feed(db, heard.set)
    delays, commits = [], []
    try:
        for n in range(COMMITS):
            heard.clear()
            started = time.perf_counter()
            with other.session() as session:
                save_response(session, review_id, question_id, f"{text} ({n})")
            committed = time.perf_counter()
            assert heard.wait(5), "a commit was not heard"
            delays.append(time.perf_counter() - committed)
            commits.append(committed - started)
            feed.changed()
            time.sleep(0.05)  # a colleague's autosave comes at most every second; not a flood
    finally:
        feed.stop()
        other.close()
        db.close()
    return delays, commits


def _figures(name: str, delays: list[float], commits: list[float]) -> list[str]:
    return [figure(f"{name}: other client's change heard, p50", median(delays) * 1000, "ms", "< 1000 ms"),
            figure(f"{name}: other client's change heard, p99", percentile(delays, 99) * 1000, "ms", "< 1000 ms"),
            figure(f"{name}: baseline, the other client's commit itself, p50", median(commits) * 1000, "ms", "—")]


def run() -> list[str]:
    lines = []
    with tempfile.TemporaryDirectory() as folder:
        lines += _figures("SQLite file", *_measure(str(Path(folder) / "feed.sqlite3")))
    try:
        from tests.pg_cluster import Cluster, find_binaries
    except ImportError:
        return lines
    if find_binaries() is None:
        return lines + ["PostgreSQL: not installed here, not measured"]
    cluster = Cluster().start()
    try:
        cluster.admin("CREATE DATABASE feed")
        lines += _figures("PostgreSQL (Unix socket)", *_measure(cluster.url("feed")))
    finally:
        cluster.stop()
    return lines


if __name__ == "__main__":
    for line in run():
        print(line)
