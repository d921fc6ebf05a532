"""Automatic backups (SQLite backup API, consistent even mid-write) and restoring one."""

from __future__ import annotations

import shutil
import sqlite3
from datetime import datetime
from pathlib import Path

from .errors import UserError
from .private_files import create_private_file, make_private, private_folder

KEEP_BACKUPS = 10


def backups_dir(db_path: Path) -> Path:
    return db_path.parent / "backups"


def _copy(source: Path, target: Path) -> None:
    src = sqlite3.connect(f"{source.resolve().as_uri()}?mode=ro", uri=True)
    try:
        dst = sqlite3.connect(target)
        try:
            src.backup(dst)
        finally:
            dst.close()
    finally:
        src.close()


def backup_database(db_path: Path, reason: str) -> Path:
    """Copy the database into ``backups/`` beside it and keep only the last ten."""
    folder = backups_dir(db_path)
    private_folder(folder)
    make_private(folder)
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S-%f")
    target = folder / f"{db_path.stem}-{stamp}-{reason}.sqlite3"
    try:
        create_private_file(target)
        _copy(db_path, target)
    except sqlite3.Error as exc:
        target.unlink(missing_ok=True)
        raise UserError(f"The backup of {db_path} could not be written: {exc}.") from exc
    for old in list_backups(db_path)[KEEP_BACKUPS:]:
        old.unlink(missing_ok=True)
    return target


def list_backups(db_path: Path) -> list[Path]:
    """Backups of this database, newest first."""
    folder = backups_dir(db_path)
    if not folder.is_dir():
        return []
    return sorted(folder.glob(f"{db_path.stem}-*.sqlite3"), key=lambda p: p.name, reverse=True)


def restore_backup(db_path: Path, backup: Path) -> Path:
    """Bring ``backup`` back as the database, keeping a backup of the file it replaces.

    Returns the path of that safety copy (or the database path when there was nothing to keep).
    """
    from .db import check_openable
    from .locking import DatabaseLock

    backup = Path(backup)
    if not backup.is_file():
        raise UserError(f"There is no backup file at {backup}.")
    if check_openable(backup):
        raise UserError(f"{backup} is empty; it is not a backup of an LGF database.")
    with DatabaseLock(db_path):
        kept = db_path
        if db_path.exists() and db_path.stat().st_size > 0:
            try:
                check_openable(db_path)
                kept = backup_database(db_path, "before-restore")
            except UserError:
                # The current file is damaged or foreign: keep its bytes as they are.
                kept = backups_dir(db_path) / f"{db_path.name}.unreadable-{datetime.now():%Y%m%d-%H%M%S}"
                private_folder(kept.parent)
                shutil.copy2(db_path, kept)
                make_private(kept)
                for suffix in ("-wal", "-shm"):
                    Path(f"{db_path}{suffix}").unlink(missing_ok=True)
        _copy(backup, db_path)
        make_private(db_path)
    return kept
