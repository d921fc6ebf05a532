"""Automatic backups and ``lgf restore``, on a plain and on an encrypted database (``db_passphrase``)."""

from __future__ import annotations

from pathlib import Path

import pytest

from sqlalchemy import func, select

from lgf_desktop.storage.sqlite.connections import connect
from lgf_desktop.storage.sqlite.backups import KEEP_BACKUPS, backup_database, list_backups, restore_backup
from lgf_desktop.db import Database
from lgf_desktop.models import Organisation

from conftest import DB_PASSPHRASE

pytestmark = pytest.mark.parametrize("db_passphrase", [None, DB_PASSPHRASE], ids=["plain", "encrypted"])


def _org_names(path: Path, db_passphrase) -> list[str]:
    db = Database.open(path, passphrase=db_passphrase)
    with db.session() as session:
        names = list(session.scalars(select(Organisation.name).order_by(Organisation.name)))
    db.close()
    return names


def test_start_backup_is_consistent_and_only_ten_are_kept(db_passphrase, db_path: Path) -> None:
    db = Database.open(db_path, passphrase=db_passphrase)
    with db.session() as session:
        session.add(Organisation(name="Kept in backup"))
    for _ in range(KEEP_BACKUPS + 3):
        backup_database(db_path, "start", db_passphrase)
    backups = list_backups(db_path)
    assert len(backups) == KEEP_BACKUPS
    # A backup taken while the app holds the file open (WAL not checkpointed) has the data.
    assert _org_names(backups[0], db_passphrase) == ["Kept in backup"]
    db.close()


def test_opening_with_backup_writes_one(db_passphrase, db_path: Path) -> None:
    Database.open(db_path, passphrase=db_passphrase).close()
    assert list_backups(db_path) == []
    Database.open(db_path, backup=True, passphrase=db_passphrase).close()
    assert len(list_backups(db_path)) == 1


def test_restore_brings_back_a_backup_and_keeps_the_replaced_file(db_passphrase, db_path: Path) -> None:
    db = Database.open(db_path, passphrase=db_passphrase)
    with db.session() as session:
        session.add(Organisation(name="Before"))
    backup = backup_database(db_path, "start", db_passphrase)
    with db.session() as session:
        session.add(Organisation(name="After"))
    db.close()
    kept = restore_backup(db_path, backup, db_passphrase)
    assert _org_names(db_path, db_passphrase) == ["Before"]
    assert _org_names(kept, db_passphrase) == ["After", "Before"]


def test_restore_refuses_a_foreign_file_and_changes_nothing(db_passphrase, db_path: Path, tmp_path: Path) -> None:
    from lgf_desktop.errors import UserError

    db = Database.open(db_path, passphrase=db_passphrase)
    with db.session() as session:
        session.add(Organisation(name="Precious"))
        assert session.scalar(select(func.count()).select_from(Organisation)) == 1
    db.close()
    junk = tmp_path / "junk.sqlite3"
    junk.write_text("not a backup")
    with pytest.raises(UserError):
        restore_backup(db_path, junk, db_passphrase)
    assert _org_names(db_path, db_passphrase) == ["Precious"]


def _damage(path: Path, pages: range) -> None:
    data = bytearray(path.read_bytes())
    for page in pages:
        data[page * 4096:(page + 1) * 4096] = bytes([0x5A]) * 4096
    path.write_bytes(bytes(data))


def test_rotation_never_touches_another_databases_backups(db_passphrase, tmp_path: Path) -> None:
    main, other = tmp_path / "lgf.sqlite3", tmp_path / "lgf-2026.sqlite3"
    Database.open(main, passphrase=db_passphrase).close()
    Database.open(other, passphrase=db_passphrase).close()
    theirs = [backup_database(other, "start", db_passphrase) for _ in range(3)]
    for _ in range(KEEP_BACKUPS + 2):
        backup_database(main, "start", db_passphrase)
    assert all(b.exists() for b in theirs)
    assert set(list_backups(other)) == set(theirs)
    assert len(list_backups(main)) == KEEP_BACKUPS
    assert not set(list_backups(main)) & set(theirs)


def test_a_backup_of_a_damaged_database_is_refused_and_not_kept(db_passphrase, db_path: Path) -> None:
    from lgf_desktop.errors import UserError

    db = Database.open(db_path, passphrase=db_passphrase)
    with db.session() as session:
        for i in range(300):
            session.add(Organisation(name=f"Organisation {i} " + "x" * 200))
    db.close()
    good = backup_database(db_path, "start", db_passphrase)
    _damage(db_path, range(3, 6))
    with pytest.raises(UserError, match="integrity check"):
        backup_database(db_path, "start", db_passphrase)
    assert list_backups(db_path) == [good]
    assert [p.name for p in good.parent.iterdir() if p.name.startswith(".")] == []


def test_the_newest_before_migration_backup_outlives_ten_starts(db_passphrase, db_path: Path) -> None:
    Database.open(db_path, passphrase=db_passphrase).close()
    upgrade = backup_database(db_path, "before-migration", db_passphrase)
    for _ in range(KEEP_BACKUPS + 3):
        backup_database(db_path, "start", db_passphrase)
    assert upgrade in list_backups(db_path)
    assert len(list_backups(db_path)) == KEEP_BACKUPS + 1


def test_restore_refuses_a_damaged_backup_before_touching_anything(db_passphrase, db_path: Path, tmp_path: Path) -> None:
    from lgf_desktop.errors import UserError

    db = Database.open(db_path, passphrase=db_passphrase)
    with db.session() as session:
        for i in range(300):
            session.add(Organisation(name=f"Organisation {i} " + "x" * 200))
    db.close()
    damaged = tmp_path / "damaged-backup.sqlite3"
    damaged.write_bytes(backup_database(db_path, "start", db_passphrase).read_bytes())
    _damage(damaged, range(3, 6))
    before = db_path.read_bytes()
    backups_before = list_backups(db_path)
    with pytest.raises(UserError, match="damaged"):
        restore_backup(db_path, damaged, db_passphrase)
    assert db_path.read_bytes() == before
    assert list_backups(db_path) == backups_before


def _write_and_crash(path: Path, statements: list[str], db_passphrase: str | None) -> None:
    """A writer that commits and then dies without closing: its changes live only in the -wal."""
    import subprocess
    import sys

    code = (
        "import os, sys\n"
        "from lgf_desktop.storage.sqlite.connections import connect\n"
        "conn = connect(sys.argv[1], sys.argv[2] or None, isolation_level=None)\n"
        "conn.execute('PRAGMA wal_autocheckpoint = 0')\n"
        f"for s in {statements!r}:\n    conn.execute(s)\n"
        "os._exit(0)\n"
    )
    subprocess.run([sys.executable, "-c", code, str(path), db_passphrase or ""], check=True)


def test_restore_over_a_file_the_app_cannot_open_keeps_its_wal_changes(db_passphrase, db_path: Path) -> None:
    db = Database.open(db_path, passphrase=db_passphrase)
    with db.session() as session:
        session.add(Organisation(name="Before"))
    db.close()
    backup = backup_database(db_path, "start", db_passphrase)
    # Committed changes still only in the -wal, in a file this version refuses (a newer schema).
    _write_and_crash(db_path, [
        "INSERT INTO organisation (uuid, name, short_name, sector) "
        "VALUES ('00000000-0000-4000-8000-00000000000b', 'Only in the wal', 'W', 'Health')",
        "UPDATE alembic_version SET version_num = '9999_newer'",
    ], db_passphrase)
    assert Path(f"{db_path}-wal").stat().st_size > 0
    kept = restore_backup(db_path, backup, db_passphrase)
    assert _org_names(db_path, db_passphrase) == ["Before"]
    conn = connect(kept, db_passphrase)
    assert {r[0] for r in conn.execute("SELECT name FROM organisation")} == {"Before", "Only in the wal"}
    conn.close()


def test_restore_over_a_damaged_file_keeps_its_bytes_and_its_wal(db_passphrase, db_path: Path) -> None:
    db = Database.open(db_path, passphrase=db_passphrase)
    with db.session() as session:
        session.add(Organisation(name="Before"))
    db.close()
    backup = backup_database(db_path, "start", db_passphrase)
    _write_and_crash(db_path, [
        "INSERT INTO organisation (uuid, name, short_name, sector) "
        "VALUES ('00000000-0000-4000-8000-00000000000c', 'Only in the wal', 'W', 'Health')",
    ], db_passphrase)
    wal = Path(f"{db_path}-wal").read_bytes()
    data = bytearray(db_path.read_bytes())
    data[0:16] = b"Damaged header!!"  # SQLite can no longer read it at all
    db_path.write_bytes(bytes(data))
    kept = restore_backup(db_path, backup, db_passphrase)
    assert _org_names(db_path, db_passphrase) == ["Before"]
    assert kept.read_bytes() == bytes(data)
    assert Path(f"{kept}-wal").read_bytes() == wal
