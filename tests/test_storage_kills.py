"""kill -9 at many points of a first creation and of an upgrade: the file is afterwards either
absent or whole, opens, and keeps every committed row. Also the leftovers of an older version's
non-atomic creation, killed at many points, are never refused for ever.

Each run starts a child that imports everything, says "go", then does the work; the parent kills it
at a spread of delays after "go", measured against one full run of the same work on this machine.
"""

from __future__ import annotations

import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import text

from lgf_desktop.db import Database, head_revision
from lgf_desktop.schema_check import check_openable, stored_revision

pytestmark = pytest.mark.slow

POINTS = 8
UPGRADE_POINTS = 12  # the window between the index and the version record is a fifth of the run
CREATE = (
    "import sys\n"
    "from lgf_desktop.db import Database\n"
    "from lgf_desktop.services.demo import load_demo\n"
    "import alembic.command, alembic.script, lgf_desktop.backups\n"
    "print('go', flush=True)\n"
    "db = Database.open(sys.argv[1])\n"
    "with db.session() as session:\n"
    "    load_demo(session)\n"
    "db.close()\n"
)
# The upgrade itself (Database.open takes the before-migration backup first, which is slower than
# the upgrade and would leave few kill points inside it).
UPGRADE = (
    "import sys\n"
    "from pathlib import Path\n"
    "from lgf_desktop.db import _migrate\n"
    "import alembic.command, alembic.script, alembic.runtime.migration\n"
    "print('go', flush=True)\n"
    "_migrate(Path(sys.argv[1]))\n"
)
# What versions before atomic creation did: DDL committed statement by statement, application id last.
OLD_CREATE = (
    "import sys\n"
    "from alembic import command\n"
    "from sqlalchemy import create_engine\n"
    "from lgf_desktop.db import _alembic_config\n"
    "engine = create_engine(f'sqlite:///{sys.argv[1]}')\n"
    "print('go', flush=True)\n"
    "with engine.begin() as connection:\n"
    "    connection.exec_driver_sql('PRAGMA foreign_keys = OFF')\n"
    "    config = _alembic_config()\n"
    "    config.attributes['connection'] = connection\n"
    "    command.upgrade(config, 'head')\n"
    "    connection.exec_driver_sql('PRAGMA application_id = 1279739460')\n"
)


def _run(script: str, path: Path, kill_after: float | None) -> float:
    """Run ``script`` on ``path``; kill -9 it ``kill_after`` seconds after it says "go".
    Returns the seconds from "go" to its end (or to the kill)."""
    child = subprocess.Popen([sys.executable, "-c", script, str(path)], stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True)
    assert child.stdout.readline().strip() == "go", child.stderr.read()
    start = time.monotonic()
    if kill_after is None:
        _, err = child.communicate(timeout=120)
        assert child.returncode == 0, err
    else:
        try:
            child.wait(timeout=kill_after)
        except subprocess.TimeoutExpired:
            os.kill(child.pid, signal.SIGKILL)
            child.wait()
    child.stdout.close()
    child.stderr.close()
    return time.monotonic() - start


def _delays(full: float, points: int = POINTS) -> list[float]:
    return [full * (i + 0.5) / points for i in range(points)]


def _count(path: Path, table: str) -> int:
    db = Database.open(path)
    with db.session() as session:
        assert session.execute(text("SELECT version_num FROM alembic_version")).scalar() == head_revision()
        n = session.execute(text(f"SELECT count(*) FROM {table}")).scalar()
    db.close()
    return n


def test_a_first_creation_killed_anywhere_leaves_no_file_or_a_whole_one(tmp_path: Path) -> None:
    full = _run(CREATE, tmp_path / "calibrate.sqlite3", None)
    outcomes = []
    for i, delay in enumerate(_delays(full)):
        path = tmp_path / f"kill{i}" / "lgf.sqlite3"
        path.parent.mkdir()
        _run(CREATE, path, delay)
        if path.exists():
            assert check_openable(path) is False, f"after a kill at {delay:.2f}s"
            assert stored_revision(path) == head_revision()
        outcomes.append(path.exists())
        _count(path, "round")  # opens (creating it if it was never put in place)
    assert True in outcomes or False in outcomes


def _downgrade_to_first_schema(path: Path) -> None:
    """Take a database back to schema 0001 with the migrations' own downgrades (every later
    migration's columns and tables go, so the upgrade under test is the real one)."""
    from alembic import command

    from lgf_desktop.db import _alembic_config, _migration_engine

    engine = _migration_engine(path)
    try:
        with engine.begin() as connection:
            config = _alembic_config()
            config.attributes["connection"] = connection
            command.downgrade(config, "0001")
    finally:
        engine.dispose()


def _large_first_schema_database(path: Path) -> int:
    """A database of the first schema with enough progress notes that the upgrade takes a while."""
    db = Database.open(path)
    from lgf_desktop.services.demo import load_demo

    with db.session() as session:
        load_demo(session)
    db.close()
    _downgrade_to_first_schema(path)
    conn = sqlite3.connect(path, isolation_level=None)
    rec = conn.execute("SELECT min(id) FROM recommendation").fetchone()[0]
    conn.execute("BEGIN")
    conn.execute(
        "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 80000) "
        "INSERT INTO progress_note (recommendation_id, note_date, author, text, uuid) "
        f"SELECT {rec}, date('2020-01-01', '+' || (i % 1000) || ' days'), 'Author', 'Note ' || i, "
        "lower(hex(randomblob(4))) || '-' || lower(hex(randomblob(2))) || '-4' || substr(lower(hex(randomblob(2))), 2) "
        "|| '-a' || substr(lower(hex(randomblob(2))), 2) || '-' || lower(hex(randomblob(6))) FROM n")
    conn.execute("COMMIT")
    n = conn.execute("SELECT count(*) FROM progress_note").fetchone()[0]
    conn.close()
    return n


def test_an_upgrade_killed_anywhere_leaves_the_old_or_the_new_schema_with_every_row(tmp_path: Path) -> None:
    template = tmp_path / "template.sqlite3"
    notes = _large_first_schema_database(template)
    calibrate = tmp_path / "calibrate" / "lgf.sqlite3"
    calibrate.parent.mkdir()
    shutil.copy(template, calibrate)
    full = _run(UPGRADE, calibrate, None)
    for i, delay in enumerate(_delays(full, UPGRADE_POINTS)):
        path = tmp_path / f"kill{i}" / "lgf.sqlite3"
        path.parent.mkdir()
        shutil.copy(template, path)
        _run(UPGRADE, path, delay)
        assert check_openable(path) is False, f"after a kill at {delay:.2f}s"
        assert stored_revision(path) in {"0001", head_revision()}
        assert _count(path, "progress_note") == notes, f"after a kill at {delay:.2f}s"


def test_an_older_versions_creation_killed_anywhere_is_made_again(tmp_path: Path) -> None:
    full = _run(OLD_CREATE, tmp_path / "calibrate.sqlite3", None)
    for i, delay in enumerate(_delays(full)):
        path = tmp_path / f"kill{i}" / "lgf.sqlite3"
        path.parent.mkdir()
        _run(OLD_CREATE, path, delay)
        assert _count(path, "round") == 0, f"after a kill at {delay:.2f}s"


BACKUP = (
    "import sys\n"
    "from pathlib import Path\n"
    "from lgf_desktop.backups import backup_database\n"
    "print('go', flush=True)\n"
    "backup_database(Path(sys.argv[1]), 'start')\n"
)


def test_a_killed_backup_never_takes_a_rotation_slot(tmp_path: Path) -> None:
    from lgf_desktop.backups import KEEP_BACKUPS, STALE_PARTIAL_S, backup_database, backups_dir, integrity_problems, list_backups

    path = tmp_path / "lgf.sqlite3"
    _large_first_schema_database(path)
    Database.open(path).close()
    full = _run(BACKUP, path, None)
    for delay in _delays(full):
        _run(BACKUP, path, delay)
    # Whatever was cut short is not a backup: every listed one is whole.
    listed = list_backups(path)
    assert all(integrity_problems(b) == [] for b in listed)
    # Later backups fill the ten slots with complete copies; leftovers from killed ones are swept
    # once they are clearly stale.
    for leftover in backups_dir(path).glob(".*"):
        os.utime(leftover, (time.time() - STALE_PARTIAL_S - 1,) * 2)
    for _ in range(KEEP_BACKUPS):
        backup_database(path, "start")
    listed = list_backups(path)
    assert len(listed) == KEEP_BACKUPS and all(integrity_problems(b) == [] for b in listed)
    assert [p.name for p in backups_dir(path).iterdir() if p.name.startswith(".")] == []
