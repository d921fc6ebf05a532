"""Automatic backups and ``lgf restore``."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import func, select

from lgf_desktop.backups import KEEP_BACKUPS, backup_database, list_backups, restore_backup
from lgf_desktop.db import Database
from lgf_desktop.models import Organisation


def _org_names(path: Path) -> list[str]:
    db = Database.open(path)
    with db.session() as session:
        names = list(session.scalars(select(Organisation.name).order_by(Organisation.name)))
    db.close()
    return names


def test_start_backup_is_consistent_and_only_ten_are_kept(db_path: Path) -> None:
    db = Database.open(db_path)
    with db.session() as session:
        session.add(Organisation(name="Kept in backup"))
    for _ in range(KEEP_BACKUPS + 3):
        backup_database(db_path, "start")
    backups = list_backups(db_path)
    assert len(backups) == KEEP_BACKUPS
    # A backup taken while the app holds the file open (WAL not checkpointed) has the data.
    assert _org_names(backups[0]) == ["Kept in backup"]
    db.close()


def test_opening_with_backup_writes_one(db_path: Path) -> None:
    Database.open(db_path).close()
    assert list_backups(db_path) == []
    Database.open(db_path, backup=True).close()
    assert len(list_backups(db_path)) == 1


def test_restore_brings_back_a_backup_and_keeps_the_replaced_file(db_path: Path) -> None:
    db = Database.open(db_path)
    with db.session() as session:
        session.add(Organisation(name="Before"))
    backup = backup_database(db_path, "start")
    with db.session() as session:
        session.add(Organisation(name="After"))
    db.close()
    kept = restore_backup(db_path, backup)
    assert _org_names(db_path) == ["Before"]
    assert _org_names(kept) == ["After", "Before"]


def test_restore_refuses_a_foreign_file_and_changes_nothing(db_path: Path, tmp_path: Path) -> None:
    import pytest

    from lgf_desktop.errors import UserError

    db = Database.open(db_path)
    with db.session() as session:
        session.add(Organisation(name="Precious"))
        assert session.scalar(select(func.count()).select_from(Organisation)) == 1
    db.close()
    junk = tmp_path / "junk.sqlite3"
    junk.write_text("not a backup")
    with pytest.raises(UserError):
        restore_backup(db_path, junk)
    assert _org_names(db_path) == ["Precious"]
