"""The ``lgf`` command line: demo, rounds, check, restore, and its exit codes."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from lgf_desktop.storage.sqlite.backups import list_backups


def lgf(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "lgf_desktop.cli", *args], capture_output=True, text=True)


def test_demo_is_idempotent_and_rounds_lists_counts(db_path: Path) -> None:
    first = lgf("--db", str(db_path), "demo")
    assert first.returncode == 0, first.stderr
    assert "round 2021-22" in first.stdout
    second = lgf("--db", str(db_path), "demo")
    assert second.returncode == 0 and "nothing was added" in second.stdout
    rounds = lgf("--db", str(db_path), "rounds")
    assert rounds.returncode == 0
    line = [l for l in rounds.stdout.splitlines() if l.startswith("2021-22")][0]
    assert line.split()[-2:] == ["3", "13"]


def test_check_exit_status(db_path: Path, tmp_path: Path) -> None:
    lgf("--db", str(db_path), "demo")
    ok = lgf("--db", str(db_path), "check")
    assert ok.returncode == 0 and "All is well." in ok.stdout
    bad = tmp_path / "bad.sqlite3"
    bad.write_bytes(b"garbage" * 100)
    refused = lgf("--db", str(bad), "check")
    assert refused.returncode == 2
    assert "Traceback" not in refused.stderr
    assert refused.stderr.count("\n") == 1 and "not a SQLite file" in refused.stderr


def test_restore_via_cli(db_path: Path, monkeypatch) -> None:
    lgf("--db", str(db_path), "demo")
    from lgf_desktop.storage.sqlite.backups import backup_database

    backup = backup_database(db_path, "start")
    result = lgf("--db", str(db_path), "restore", str(backup))
    assert result.returncode == 0, result.stderr
    assert "was kept as" in result.stdout
    missing = lgf("--db", str(db_path), "restore", str(db_path.parent / "nope.sqlite3"))
    assert missing.returncode == 2 and "no backup file" in missing.stderr
    assert len(list_backups(db_path)) >= 2


def test_lgf_db_environment_variable(db_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("LGF_DB", str(db_path))
    assert lgf("demo").returncode == 0
    assert db_path.exists()


def test_check_reports_a_damaged_database_as_a_sentence_and_exit_1(db_path: Path, tmp_path: Path) -> None:
    assert lgf("--db", str(db_path), "demo").returncode == 0
    damaged = tmp_path / "damaged.sqlite3"
    data = bytearray(db_path.read_bytes())
    for page in (5, 9, 14):  # some table and index pages, not the header
        data[page * 4096:(page + 1) * 4096] = b"\x5a" * 4096
    damaged.write_bytes(bytes(data))
    result = lgf("--db", str(damaged), "check")
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stdout + result.stderr and "internal error" not in result.stderr
    line = [l for l in result.stdout.splitlines() if l.startswith("Error:")][0]
    assert "is damaged" in line and "integrity check says" in line and "lgf restore" in line
    assert damaged.read_bytes() == bytes(data)  # checked without writing a byte


def test_check_reads_without_writing_or_upgrading(db_path: Path) -> None:
    lgf("--db", str(db_path), "demo")
    before = db_path.read_bytes()
    assert lgf("--db", str(db_path), "check").returncode == 0
    assert db_path.read_bytes() == before
    assert list_backups(db_path) == []
    missing = lgf("--db", str(db_path.parent / "none.sqlite3"), "check")
    assert missing.returncode == 2 and "no database file" in missing.stderr
    assert not (db_path.parent / "none.sqlite3").exists()
