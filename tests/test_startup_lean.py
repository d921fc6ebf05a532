"""Start-up stays lean the ways a developer would make it heavy, checked without timing anything: on a
plain file the window becomes usable (navigator and first page filled) before SQLAlchemy is even
imported, then takes the open database over without importing Alembic or the export libraries; and
the first page reads a round in a handful of queries however many reviews it has."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from sqlalchemy import event
from sqlalchemy.engine import Engine

from lgf_desktop.db import Database
from lgf_desktop.ui.main_window import MainWindow

# Imported only when their feature is used: a module-level import of any of these anywhere on the
# start-up path costs every user a slower start.
HEAVY = ("alembic", "docx", "reportlab", "openpyxl", "pyrage", "lgf_desktop.exports", "lgf_desktop.importing",
         "lgf_desktop.ui.workshop.window", "lgf_desktop.ui.audit.page", "lgf_desktop.ui.tracker.screen")

# Loaded on the worker once the window is usable (on a plain file): the database layer, and what only
# saving or an encrypted file needs.
AFTER_USABLE = ("sqlalchemy", "lgf_desktop.db", "lgf_desktop.models", "lgf_desktop.services.listing",
                "concurrent.futures", "hashlib")

# The start is of a file, read plain before SQLAlchemy loads (a server's database has no such path).
pytestmark = pytest.mark.sqlite_only

START = """
import os, sys, threading
os.environ["LGF_STARTUP_PROBE"] = "1"  # quit as soon as the window has taken the open database over
from lgf_desktop.ui import app

usable = {}
ready = app._Probe.ready


def at_ready(probe):
    # The moment the window is usable: its navigator and first page filled, the event loop running.
    window = probe.parent()
    usable["modules"] = set(sys.modules)
    usable["navigator"] = [window.navigator.rounds_item.child(i).text(0)
                           for i in range(window.navigator.rounds_item.childCount())]
    usable["page"] = type(window.stack.currentWidget()).__name__
    ready(probe)


app._Probe.ready = at_ready
statements = []
real_open = app._open


def counted_open(path, passphrase, opened):
    # On the worker, as it starts importing the database layer: every statement from then on.
    from sqlalchemy import event
    from sqlalchemy.engine import Engine

    event.listen(Engine, "before_cursor_execute", lambda *args: statements.append(
        threading.current_thread() is threading.main_thread()))
    return real_open(path, passphrase, opened)


app._open = counted_open
code = app.main(["--db", sys.argv[1]])
names = sys.argv[2].split(",")
after_usable = sys.argv[3].split(",")
print("exit:", code)
print("sqlalchemy_when_usable:", "sqlalchemy" in usable["modules"])
print("loaded_before_usable:", ",".join(n for n in after_usable if n in usable["modules"]))
print("heavy_when_usable:", ",".join(n for n in names if n in usable["modules"]))
print("heavy:", ",".join(n for n in names if any(m == n or m.startswith(n + ".") for m in sys.modules)))
print("navigator:", "|".join(usable["navigator"]))
print("page:", usable["page"])
print("statements_ui:", statements.count(True))
print("statements_worker:", statements.count(False))
"""


def _start(path: Path, tmp_path: Path) -> dict[str, str]:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", HOME=str(tmp_path), XDG_CONFIG_HOME=str(tmp_path / "config"),
               XDG_DATA_HOME=str(tmp_path / "data"))
    result = subprocess.run([sys.executable, "-c", START, str(path), ",".join(HEAVY), ",".join(AFTER_USABLE)], env=env,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    lines = {key: value.strip() for key, value in (line.split(":", 1) for line in result.stdout.splitlines()
                                                   if ":" in line and " " not in line.split(":")[0])}
    assert "ready" in result.stdout and "loaded" in result.stdout and lines["exit"] == "0", result.stdout
    return lines


@pytest.mark.sqlite_only  # the subprocess opens the file (a server's database is the same above the boundary)
def test_the_window_is_usable_before_sqlalchemy_is_imported(demo_db: Database, tmp_path: Path) -> None:
    path = demo_db.path
    demo_db.close()
    lines = _start(path, tmp_path)
    # Usable: the navigator lists the rounds and the newest round's page is filled, read plain.
    assert lines["navigator"] == "2020-21|2021-22" and lines["page"] == "RoundPage"
    assert lines["sqlalchemy_when_usable"] == "False"
    assert lines["loaded_before_usable"] == ""
    assert lines["heavy_when_usable"] == ""
    # Then the database layer loads and the window takes it over, still without these.
    assert lines["heavy"] == "", f"imported while the window started: {lines['heavy']}"
    # The demo's newest round: navigator and its page in about ten statements on the UI thread (81
    # before they were counted), as many on the worker (opening, and the same reads compiled there).
    assert int(lines["statements_ui"]) <= 15
    assert int(lines["statements_worker"]) <= 15


@contextmanager
def counted(db: Database) -> Iterator[list[str]]:
    statements: list[str] = []

    def count(conn, cursor, statement, parameters, context, executemany) -> None:
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        event.remove(db.engine, "before_cursor_execute", count)


@pytest.fixture(scope="module")
def big_round_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from benchmarks.generate import make_large_database

    return make_large_database(tmp_path_factory.mktemp("big-round") / "big.sqlite3", rounds=1, reviews_per_round=15)


def test_the_first_page_reads_a_round_of_fifteen_reviews_in_a_handful_of_queries(
        qtbot, big_round_template: Path, tmp_path: Path) -> None:
    path = tmp_path / "big.sqlite3"
    path.write_bytes(big_round_template.read_bytes())
    db = Database.open(path)
    try:
        window = MainWindow(None, path=path)  # as the app does: on screen before the file is open
        qtbot.addWidget(window)
        window.show()
        with counted(db) as start:
            window.attach(db)
        page = window.stack.currentWidget()
        assert type(page).__name__ == "RoundPage" and page.details.label.text() == "2012-13"
        assert window.navigator.rounds_item.child(0).childCount() == 15
        assert len(start) <= 10, start
        for tab in (page.template, page.panel, page.reviews):
            with counted(db) as shown:
                page.tabs.setCurrentWidget(tab)  # each tab is read when first shown, a level at a time
            assert len(shown) <= 6, [s.split("FROM")[1][:60] for s in shown]
        assert page.reviews.model.rowCount() == 15
        assert all(row["responses"] > 0 for row in page.reviews.model.rows)
        assert page.panel.model.rowCount() == 6
        window.close()
    finally:
        db.close()
