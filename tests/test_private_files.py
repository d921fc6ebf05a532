"""Private files: everything the app writes is readable by its user only, even under umask 022, and
nothing a user typed reaches the error log, stderr or an error message box."""

from __future__ import annotations

import logging
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import text

from lgf_desktop import cli
from lgf_desktop.storage.sqlite.backups import backup_database, list_backups, restore_backup
from lgf_desktop.db import Database
from lgf_desktop.error_log import LOGGER, install_logging, log_path
from lgf_desktop.paths import user_data_dir

pytestmark = pytest.mark.skipif(sys.platform.startswith("win"), reason="POSIX file modes")

TYPED = "Jayden Smith told his teacher about the bruise"


@pytest.fixture
def umask_022():
    old = os.umask(0o022)
    yield
    os.umask(old)


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_database_folder_wal_shm_backups_and_restore_are_owner_only(tmp_path: Path, umask_022) -> None:
    tmp_path.chmod(0o755)
    path = tmp_path / "new folder" / "deeper" / "lgf.sqlite3"
    db = Database.open(path)
    with db.session() as session:
        session.execute(text("INSERT INTO setting (uuid, key, value) VALUES ('u1', 'k', 'v')"))
    assert Path(f"{path}-wal").exists() and Path(f"{path}-shm").exists()
    for made in (path.parent, path.parent.parent):
        assert mode(made) == 0o700, made
    for made in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
        assert mode(made) == 0o600, made
    backup = backup_database(path, "test")
    assert mode(backup.parent) == 0o700 and mode(backup) == 0o600
    db.close()
    path.unlink()
    for suffix in ("-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    restore_backup(path, backup)
    assert mode(path) == 0o600
    assert all(mode(b) == 0o600 for b in list_backups(path))
    assert mode(tmp_path) == 0o755  # a folder the user chose keeps its mode


def test_a_database_made_readable_by_others_is_made_private_again(db_path: Path, umask_022) -> None:
    Database.open(db_path).close()
    db_path.chmod(0o644)
    Database.open(db_path).close()
    assert mode(db_path) == 0o600


def test_the_default_data_folder_is_owner_only(umask_022) -> None:
    folder = user_data_dir()
    folder.mkdir(parents=True)
    folder.chmod(0o755)
    Database.open(folder / "lgf.sqlite3").close()
    assert mode(folder) == 0o700


def test_cli_under_umask_022_writes_private_database_and_exports(tmp_path: Path) -> None:
    folder = tmp_path / "data"
    db_path = folder / "lgf.sqlite3"
    out = tmp_path / "tracker.csv"

    def run(*args: str) -> None:
        done = subprocess.run([sys.executable, "-m", "lgf_desktop.cli", "--db", str(db_path), *args],
                              capture_output=True, text=True, preexec_fn=lambda: os.umask(0o022))
        assert done.returncode == 0, done.stderr

    run("demo")
    run("export", "tracker", "--out", str(out))
    assert mode(folder) == 0o700
    written = [db_path, Path(f"{db_path}-wal"), Path(f"{db_path}-shm"), out]
    assert [mode(p) for p in written if p.exists()] == [0o600] * len([p for p in written if p.exists()])
    assert out.exists() and db_path.exists()


def _fail_with_typed_text(db: Database) -> None:
    # A real SQL error whose parameters hold what the user typed (a NOT NULL uuid refused).
    with db.session() as session:
        session.execute(text("INSERT INTO setting (uuid, key, value) VALUES (NULL, :k, :v)"), {"k": "x", "v": TYPED})


def test_an_internal_error_in_the_cli_never_logs_or_prints_typed_text(db_path: Path, monkeypatch, capsys) -> None:
    Database.open(db_path).close()
    from lgf_desktop.cli.commands import database as commands

    monkeypatch.setattr(commands, "round_counts", lambda session: _fail_with_typed_text(Database.open(db_path)))
    status = cli.main(["--db", str(db_path), "rounds"])
    err = capsys.readouterr().err
    assert status == cli.EXIT_INTERNAL_ERROR
    assert "IntegrityError" in err and "Jayden" not in err and "bruise" not in err
    logged = log_path().read_text(encoding="utf-8")
    assert "IntegrityError" in logged and "_fail_with_typed_text" in logged
    assert "Jayden" not in logged and "bruise" not in logged
    assert mode(log_path()) == 0o600


def test_the_gui_error_box_and_the_app_logger_never_carry_typed_text(qtbot, shown_errors, capsys) -> None:
    from lgf_desktop.ui.errors import show_error

    try:
        raise KeyError(TYPED)
    except KeyError as exc:
        show_error(None, exc)
    install_logging()
    try:
        raise ValueError(TYPED)
    except ValueError:
        logging.getLogger(LOGGER).exception("Workshop panel %s could not be built", TYPED)
    shown = [e.text for e in shown_errors]
    assert shown and "KeyError" in shown[0] and "Jayden" not in shown[0]
    logged = log_path().read_text(encoding="utf-8")
    assert "KeyError" in logged and "ValueError" in logged
    assert "Jayden" not in logged and "Jayden" not in capsys.readouterr().err
