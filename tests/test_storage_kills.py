"""kill -9 at many points of a first creation and of an upgrade: the file is afterwards either
absent or whole, opens, and keeps every committed row. Also the leftovers of an older version's
non-atomic creation, killed at many points, are never refused for ever.

Each run forks a child that does the work; the parent kills it at a spread of delays after it
starts, measured against one full run of the same work on this machine.
Creation, upgrade and backup run on a plain and on an encrypted (SQLCipher) database alike.
"""

from __future__ import annotations

import os
import shutil
import signal
import sqlite3
import time
from pathlib import Path

import pytest
from sqlalchemy import text

from lgf_desktop.db import Database, head_revision
from lgf_desktop.storage.sqlite.schema_check import check_openable, stored_revision

from conftest import DB_PASSPHRASE

pytestmark = pytest.mark.slow
EITHER = pytest.mark.parametrize("passphrase", [None, DB_PASSPHRASE], ids=["plain", "encrypted"])

POINTS = 8
UPGRADE_POINTS = 16  # the window between the index and the version record is a fifth of the run


def _create(path: Path, passphrase: str | None = None) -> None:
    from lgf_desktop.services.demo import load_demo

    db = Database.open(path, passphrase=passphrase)
    with db.session() as session:
        load_demo(session)
    db.close()


def _upgrade(path: Path, passphrase: str | None = None) -> None:
    # The upgrade itself (Database.open takes the before-migration backup first, which is slower
    # than the upgrade and would leave few kill points inside it).
    from lgf_desktop.db import _migrate

    _migrate(path, passphrase=passphrase)


def _old_create(path: Path) -> None:
    """What versions before atomic creation did: DDL committed statement by statement, the
    application id last."""
    from alembic import command
    from sqlalchemy import create_engine

    from lgf_desktop.db import _alembic_config

    engine = create_engine(f"sqlite:///{path}")
    with engine.begin() as connection:
        connection.exec_driver_sql("PRAGMA foreign_keys = OFF")
        config = _alembic_config()
        config.attributes["connection"] = connection
        command.upgrade(config, "head")
        connection.exec_driver_sql("PRAGMA application_id = 1279739460")


def _backup(path: Path, passphrase: str | None = None) -> None:
    from lgf_desktop.storage.sqlite.backups import backup_database

    backup_database(path, "start", passphrase)


def _run(work, path: Path, kill_after: float | None, *args: object) -> float:
    """Run ``work(path)`` in a forked child (everything already imported, so the kill points fall in
    the work, not in start-up); kill -9 it ``kill_after`` seconds after it starts.
    Returns the seconds it ran."""
    import alembic.command  # noqa: F401  (imported once here, not in every child)
    import alembic.runtime.migration  # noqa: F401

    ready_r, ready_w = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: never returns into pytest
        code = 1
        try:
            os.close(ready_r)
            os.write(ready_w, b"g")
            work(path, *args)
            code = 0
        except BaseException:
            import traceback

            traceback.print_exc()
        finally:
            os._exit(code)
    os.close(ready_w)
    os.read(ready_r, 1)
    os.close(ready_r)
    start = time.monotonic()
    if kill_after is None:
        _, status = os.waitpid(pid, 0)
        assert os.waitstatus_to_exitcode(status) == 0
        return time.monotonic() - start
    while time.monotonic() - start < kill_after:
        if os.waitpid(pid, os.WNOHANG)[0]:
            return time.monotonic() - start
        time.sleep(0.002)
    os.kill(pid, signal.SIGKILL)
    os.waitpid(pid, 0)
    return time.monotonic() - start


def _delays(full: float, points: int = POINTS) -> list[float]:
    return [full * (i + 0.5) / points for i in range(points)]


def _count(path: Path, table: str, passphrase: str | None = None) -> int:
    db = Database.open(path, passphrase=passphrase)
    with db.session() as session:
        assert session.execute(text("SELECT version_num FROM alembic_version")).scalar() == head_revision()
        n = session.execute(text(f"SELECT count(*) FROM {table}")).scalar()
    db.close()
    return n


@EITHER
def test_a_first_creation_killed_anywhere_leaves_no_file_or_a_whole_one(tmp_path: Path, passphrase) -> None:
    full = _run(_create, tmp_path / "calibrate.sqlite3", None, passphrase)
    outcomes = []
    for i, delay in enumerate(_delays(full)):
        path = tmp_path / f"kill{i}" / "lgf.sqlite3"
        path.parent.mkdir()
        _run(_create, path, delay, passphrase)
        if path.exists():
            assert check_openable(path, passphrase) is False, f"after a kill at {delay:.2f}s"
            assert stored_revision(path, passphrase) == head_revision()
        outcomes.append(path.exists())
        _count(path, "round", passphrase)  # opens (creating it if it was never put in place)
    assert True in outcomes or False in outcomes


def _downgrade_to_first_schema(path: Path) -> None:
    """Take a database back to schema 0001 with the migrations' own downgrades (every later
    migration's columns and tables go, so the upgrade under test is the real one)."""
    from alembic import command

    from lgf_desktop.db import _alembic_config
    from lgf_desktop.storage.sqlite.backend import _migration_engine

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
        "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 60000) "
        "INSERT INTO progress_note (recommendation_id, note_date, author, text, uuid) "
        f"SELECT {rec}, date('2020-01-01', '+' || (i % 1000) || ' days'), 'Author', 'Note ' || i, "
        "lower(hex(randomblob(4))) || '-' || lower(hex(randomblob(2))) || '-4' || substr(lower(hex(randomblob(2))), 2) "
        "|| '-a' || substr(lower(hex(randomblob(2))), 2) || '-' || lower(hex(randomblob(6))) FROM n")
    conn.execute("COMMIT")
    n = conn.execute("SELECT count(*) FROM progress_note").fetchone()[0]
    conn.close()
    return n


@EITHER
def test_an_upgrade_killed_anywhere_leaves_the_old_or_the_new_schema_with_every_row(tmp_path: Path, passphrase) -> None:
    template = tmp_path / "template.sqlite3"
    notes = _large_first_schema_database(template)
    if passphrase is not None:
        from lgf_desktop.storage.sqlite.encrypting import encrypt_database

        encrypt_database(template, passphrase)
    calibrate = tmp_path / "calibrate" / "lgf.sqlite3"
    calibrate.parent.mkdir()
    shutil.copy(template, calibrate)
    _run(_upgrade, calibrate, None, passphrase)  # warms the caches: the first run is slower than the rest
    shutil.copy(template, calibrate)
    full = _run(_upgrade, calibrate, None, passphrase)
    for i, delay in enumerate(_delays(full, UPGRADE_POINTS)):
        path = tmp_path / f"kill{i}" / "lgf.sqlite3"
        path.parent.mkdir()
        shutil.copy(template, path)
        _run(_upgrade, path, delay, passphrase)
        assert check_openable(path, passphrase) is False, f"after a kill at {delay:.2f}s"
        assert stored_revision(path, passphrase) in {"0001", head_revision()}
        assert _count(path, "progress_note", passphrase) == notes, f"after a kill at {delay:.2f}s"


def test_an_older_versions_creation_killed_anywhere_is_made_again(tmp_path: Path) -> None:
    full = _run(_old_create, tmp_path / "calibrate.sqlite3", None)
    for i, delay in enumerate(_delays(full)):
        path = tmp_path / f"kill{i}" / "lgf.sqlite3"
        path.parent.mkdir()
        _run(_old_create, path, delay)
        assert _count(path, "round") == 0, f"after a kill at {delay:.2f}s"



@EITHER
def test_a_killed_backup_never_takes_a_rotation_slot(tmp_path: Path, passphrase) -> None:
    from lgf_desktop.storage.sqlite.backups import KEEP_BACKUPS, STALE_PARTIAL_S, backup_database, backups_dir, integrity_problems, list_backups

    path = tmp_path / "lgf.sqlite3"
    _large_first_schema_database(path)
    if passphrase is not None:
        from lgf_desktop.storage.sqlite.encrypting import encrypt_database

        encrypt_database(path, passphrase)
    full = _run(_backup, path, None, passphrase)
    for delay in _delays(full):
        _run(_backup, path, delay, passphrase)
    # Whatever was cut short is not a backup: every listed one is whole.
    listed = list_backups(path)
    assert all(integrity_problems(b, passphrase) == [] for b in listed)
    # Later backups fill the ten slots with complete copies; leftovers from killed ones are swept
    # once they are clearly stale.
    for leftover in backups_dir(path).glob(".*"):
        os.utime(leftover, (time.time() - STALE_PARTIAL_S - 1,) * 2)
    for _ in range(KEEP_BACKUPS):
        backup_database(path, "start", passphrase)
    listed = list_backups(path)
    assert len(listed) == KEEP_BACKUPS, [p.name for p in listed]
    assert all(integrity_problems(b, passphrase) == [] for b in listed)
    assert [p.name for p in backups_dir(path).iterdir() if p.name.startswith(".")] == []
