"""Team mode on a PostgreSQL server beside a SQLite file, on this machine (a throwaway cluster of its
own with PostgreSQL's durable defaults — fsync on, each commit waiting for its WAL — over a Unix
socket, as ``tests/pg_cluster.py`` starts it):

- the workshop's autosave (``bench_autosave``'s saves, queued for the one writer) p50/p99 on the
  10 rounds x 15 reviews database, on the server and on the file, interleaved in blocks so a busy
  machine weighs on both alike;
- the tracker opened on 5,000 recommendations and 20,000 notes (``bench_tracker``'s database), to its
  first rows, on both;
- 10 clients (separate processes, each its own connection and writer) autosaving at once for
  ``CLIENTS_SECONDS`` against one server, each into a response of its own: saves per second, p99, and
  that none was lost or reordered (each client's response ends on its last text, and its version rose
  by exactly one per save).

Run alone: ``python -m benchmarks.bench_postgresql`` (or ``python -m benchmarks postgresql``).
"""

from __future__ import annotations

import multiprocessing
import os
import tempfile
import time
from pathlib import Path

from benchmarks.figures import figure, median, percentile

CLIENTS = 10
CLIENTS_SECONDS = float(os.environ.get("LGF_BENCH_CLIENT_SECONDS", "60"))
BLOCK = 25


def _autosave(cluster, folder: Path) -> list[str]:
    from benchmarks.bench_autosave import AutosaveRun, make_database, planned_saves
    from lgf_desktop.copying import copy_database
    from lgf_desktop.db import Database

    file_db = make_database(folder / "large.sqlite3")
    file_db.close()
    cluster.admin("CREATE DATABASE autosave")
    copy_database(folder / "large.sqlite3", cluster.url("autosave"))
    on_file, on_server = Database.open(folder / "large.sqlite3"), Database.open(cluster.url("autosave"))
    saves = planned_saves(on_file)
    runs = {"file": AutosaveRun(on_file), "server": AutosaveRun(on_server)}
    for start in range(0, len(saves), BLOCK):
        for run in runs.values():
            for review_id, question_id, text in saves[start:start + BLOCK]:
                run.save(review_id, question_id, text)
    on_file.close()
    on_server.close()
    file_times, server_times = runs["file"].times, runs["server"].times
    return [
        figure("autosave p50 on PostgreSQL (Unix socket)", median(server_times) * 1000, "ms", "-"),
        figure("autosave p99 on PostgreSQL (Unix socket)", percentile(server_times, 99) * 1000, "ms", "< 20 ms"),
        figure("autosave p50 on SQLite (same run)", median(file_times) * 1000, "ms", "-"),
        figure("autosave p99 on SQLite (same run)", percentile(file_times, 99) * 1000, "ms", "< 20 ms"),
        figure("autosave p50 PostgreSQL / SQLite", median(server_times) / median(file_times), "x", "-"),
    ]


def _tracker(cluster, folder: Path) -> list[str]:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

    from benchmarks.bench_tracker import TODAY, build
    from lgf_desktop.copying import copy_database
    from lgf_desktop.db import Database
    from lgf_desktop.ui.tasks import wait_for_tasks
    from lgf_desktop.ui.tracker.screen import TrackerScreen

    app = QApplication.instance() or QApplication([])
    build(folder / "tracker.sqlite3").close()
    cluster.admin("CREATE DATABASE tracker")
    copy_database(folder / "tracker.sqlite3", cluster.url("tracker"))
    figures = []
    opened = {"SQLite": Database.open(folder / "tracker.sqlite3"), "PostgreSQL": Database.open(cluster.url("tracker"))}
    times: dict[str, list[float]] = {name: [] for name in opened}
    for _ in range(5):
        for name, db in opened.items():
            started = time.perf_counter()
            screen = TrackerScreen(db, today=TODAY)
            screen.resize(1366, 768)
            screen.show()
            while screen.model.rowCount() == 0:
                app.processEvents()
                wait_for_tasks(5)
            app.processEvents()
            times[name].append((time.perf_counter() - started) * 1000)
            assert screen.model.rowCount() >= 5000
            screen.close()
            screen.deleteLater()
            app.processEvents()
    for name, db in opened.items():
        db.close()
        figures.append(figure(f"tracker open to first rows, 5,000 recommendations, on {name}", median(times[name]),
                              "ms", "< 200 ms"))
    return figures


def _client(url: str, review_id: int, question_id: int, seconds: float, ready, go, results) -> None:
    from lgf_desktop.db import Database
    from lgf_desktop.models import Response
    from lgf_desktop.services.review.workshop import save_response

    db = Database.open(url)
    with db.read() as session:
        version = session.query(Response).filter_by(review_id=review_id, question_id=question_id).one().version
    first_version, times, n, text = version, [], 0, ""
    ready.put(question_id)
    go.wait()
    finish = time.time() + seconds
    while time.time() < finish:
        n += 1
        text = f"Client on question {question_id}: save number {n}."
        started = time.perf_counter()
        version = db.write(lambda session, text=text, version=version:
                           save_response(session, review_id, question_id, text, version)).result()
        times.append(time.perf_counter() - started)
    db.close()
    results.put((review_id, question_id, first_version, version, n, text, times))


def _clients(cluster) -> list[str]:
    from sqlalchemy import select

    from lgf_desktop.db import Database
    from lgf_desktop.models import Response

    url = cluster.url("autosave")
    db = Database.open(url)
    with db.read() as session:
        targets = session.execute(select(Response.review_id, Response.question_id).order_by(Response.id)
                                  .limit(CLIENTS)).all()
    db.close()
    context = multiprocessing.get_context("spawn")
    results, ready, go = context.Queue(), context.Queue(), context.Event()
    processes = [context.Process(target=_client, args=(url, r, q, CLIENTS_SECONDS, ready, go, results))
                 for r, q in targets]
    for process in processes:
        process.start()
    for _ in processes:  # every client connected, its imports done, before the clock starts
        ready.get(timeout=300)
    go.set()
    outcomes = [results.get(timeout=CLIENTS_SECONDS + 120) for _ in processes]
    for process in processes:
        process.join()
    db = Database.open(url)
    lost = 0
    with db.read() as session:
        for review_id, question_id, first, last, n, text, _ in outcomes:
            stored = session.execute(select(Response.text, Response.version).where(
                Response.review_id == review_id, Response.question_id == question_id)).one()
            if stored != (text, last) or last != first + n:
                lost += 1
    db.close()
    every = [t for *_, times in outcomes for t in times]
    saves = sum(o[4] for o in outcomes)
    return [
        figure(f"{CLIENTS} clients autosaving at once for {CLIENTS_SECONDS:.0f} s: saves per second",
               saves / CLIENTS_SECONDS, "saves/s", "-"),
        figure(f"{CLIENTS} clients autosaving at once: save p50", median(every) * 1000, "ms", "-"),
        figure(f"{CLIENTS} clients autosaving at once: save p99", percentile(every, 99) * 1000, "ms", "< 100 ms"),
        figure(f"{CLIENTS} clients autosaving at once: clients with a lost or reordered save", lost, "", "0"),
    ]


def run() -> list[str]:
    from tests.pg_cluster import Cluster, find_binaries

    if find_binaries() is None:
        return ["postgresql: skipped (PostgreSQL is not installed; .ci/run installs it)"]
    cluster = Cluster(durable=True).start()
    try:
        with tempfile.TemporaryDirectory(dir=Path.home() if Path.home().exists() else None) as folder:
            figures = _autosave(cluster, Path(folder))
            figures += _clients(cluster)
            figures += _tracker(cluster, Path(folder))
        return figures
    finally:
        cluster.stop()


if __name__ == "__main__":
    for line in run():
        print(line, flush=True)
