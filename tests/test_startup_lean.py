"""Start-up stays lean the ways a developer would make it heavy, checked without timing anything: the
window becomes usable (navigator and first page filled) without importing Alembic or the export
libraries, and the first page reads a round in a handful of queries however many reviews it has."""

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

START = """
import os, sys
from sqlalchemy import event
from sqlalchemy.engine import Engine

statements = []
event.listen(Engine, "before_cursor_execute", lambda *args: statements.append(args[2]))
os.environ["LGF_STARTUP_PROBE"] = "1"  # quit as soon as the window is usable
from lgf_desktop.ui.app import main

code = main(["--db", sys.argv[1]])
heavy = [name for name in sys.argv[2].split(",") if any(m == name or m.startswith(name + ".") for m in sys.modules)]
print("exit:", code)
print("heavy:", ",".join(heavy))
print("statements:", len(statements))
"""


@pytest.mark.sqlite_only  # the subprocess opens the file (a server's database is the same above the boundary)
def test_the_window_is_usable_without_alembic_or_the_export_libraries(demo_db: Database, tmp_path: Path) -> None:
    path = demo_db.path
    demo_db.close()
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", HOME=str(tmp_path), XDG_CONFIG_HOME=str(tmp_path / "config"),
               XDG_DATA_HOME=str(tmp_path / "data"))
    result = subprocess.run([sys.executable, "-c", START, str(path), ",".join(HEAVY)], env=env,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    lines = dict(line.split(":", 1) for line in result.stdout.splitlines() if ":" in line and " " not in line.split(":")[0])
    assert "ready" in result.stdout and lines["exit"].strip() == "0"
    assert lines["heavy"].strip() == "", f"imported before the window was usable: {lines['heavy'].strip()}"
    # The demo's newest round: navigator and its page in about ten statements (81 before they were counted).
    assert int(lines["statements"]) <= 15


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
