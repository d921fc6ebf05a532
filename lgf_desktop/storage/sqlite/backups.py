"""Automatic backups and restoring one — each step only ever adds safety.

A backup is copied with SQLite's backup API (consistent even while the app writes, the ``-wal``
included) into a hidden temporary name in ``backups/``, checked with ``PRAGMA integrity_check``, and
only then renamed to its final name, so a killed or failed backup never takes a rotation slot.
Names are exact per database, ``<name>-<YYYYmmdd-HHMMSS-ffffff>-<reason>.sqlite3``: rotating the
backups of ``lgf.sqlite3`` never touches those of ``lgf-2026.sqlite3`` in the same folder.

A restore checks the backup (an LGF database, a schema this version knows, intact pages) before
touching anything, keeps the file it replaces together with its ``-wal`` (where committed changes
may still sit), and writes the restored copy through SQLite or by an atomic rename.

A backup of an encrypted database is encrypted with the same passphrase (SQLite's backup API between
two connections keyed alike copies the encrypted pages), and is checked through that key. A backup
whose encryption differs from the database's (a plain one from before "Encrypt this database…") is
restored by converting it into the database's encryption, never by leaving the database plain.
"""

from __future__ import annotations

import os
import re
import shutil
import time
from datetime import datetime
from pathlib import Path

from ...atomic import fsync_file
from . import connections
from .connections import ERRORS, DATABASE_ERRORS
from ...errors import UserError
from ...private_files import create_private_file, make_private, private_folder
from .schema_check import check_openable, read_rows
from ..faults import describe_fault, is_damage

KEEP_BACKUPS = 10
PARTIAL = ".partial"
STALE_PARTIAL_S = 600  # a backup takes seconds; an older temporary file is from a killed one
_STAMP = r"\d{8}-\d{6}-\d{6}"


class DamagedDatabase(UserError):
    """The copy of a database failed SQLite's integrity check: the database itself is damaged."""


def backups_dir(db_path: Path) -> Path:
    return Path(db_path).parent / "backups"


def _prefix(db_path: Path) -> str:
    db_path = Path(db_path)
    return db_path.stem if db_path.suffix == ".sqlite3" else db_path.name


def _name_pattern(db_path: Path) -> re.Pattern[str]:
    # The stamp is digits and the reason letters, so another database's name (lgf-2026) never fits.
    return re.compile(rf"{re.escape(_prefix(db_path))}-({_STAMP})-([a-z]+(?:-[a-z]+)*)\.sqlite3")


def _copy(source: Path, target: Path, *, standalone: bool = False, passphrase: str | None = None) -> None:
    """Copy through SQLite's backup API, ``target`` keyed as ``source`` is. ``standalone``: the copy
    keeps no -wal of its own (a backup file must be one file, and readable read-only without leaving
    -wal/-shm files beside it)."""
    if connections.is_plain(source):
        passphrase = None
    src = connections.connect(source, passphrase, read_only=True)
    try:
        dst = connections.connect(target, passphrase, salt_from=source)
        try:
            src.backup(dst)
            if standalone:
                dst.execute("PRAGMA journal_mode = DELETE")
        finally:
            dst.close()
    finally:
        src.close()


def integrity_problems(path: Path, passphrase: str | None = None) -> list[str]:
    """What ``PRAGMA integrity_check`` says is wrong with ``path`` (empty when it is intact)."""
    try:
        rows = [str(row[0]) for row in read_rows(Path(path), "PRAGMA integrity_check", passphrase)]
        if not connections.is_plain(path):
            rows = [str(row[0]) for row in read_rows(Path(path), "PRAGMA cipher_integrity_check", passphrase)] or rows
    except DATABASE_ERRORS as exc:
        return [str(exc)]
    return [] if rows == ["ok"] else rows


def _sweep_partials(db_path: Path) -> None:
    pattern = _name_pattern(db_path)
    for partial in backups_dir(db_path).glob(f".*{PARTIAL}*"):
        name, _, _ = partial.name[1:].partition(PARTIAL)
        if not pattern.fullmatch(name):
            continue
        try:
            if time.time() - partial.stat().st_mtime > STALE_PARTIAL_S:
                partial.unlink()
        except OSError:
            pass


def backup_database(db_path: Path, reason: str, passphrase: str | None = None) -> Path:
    """Copy the database into ``backups/`` beside it (encrypted as it is), checked, then rotate this
    database's backups."""
    db_path = Path(db_path)
    folder = backups_dir(db_path)
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S-%f")
    target = folder / f"{_prefix(db_path)}-{stamp}-{reason}.sqlite3"
    partial = folder / f".{target.name}{PARTIAL}"
    try:
        private_folder(folder)
        make_private(folder)
        _sweep_partials(db_path)
        try:
            create_private_file(partial)  # owner-only from its first byte (SQLite keeps the mode)
            _copy(db_path, partial, standalone=True, passphrase=passphrase)
            problems = integrity_problems(partial, passphrase)
            if problems:
                raise DamagedDatabase(
                    f"The backup of {db_path} failed SQLite's integrity check ({problems[0]}), so it was not "
                    "kept; the database itself may be damaged: run `lgf check`."
                )
            fsync_file(partial)
            os.replace(partial, target)
        finally:
            for leftover in (partial, Path(f"{partial}-journal")):
                leftover.unlink(missing_ok=True)
    except (*ERRORS, OSError) as exc:
        sentence = describe_fault(exc, folder if isinstance(exc, OSError) else db_path)
        raise UserError(f"The backup of {db_path} could not be written: "
                        f"{sentence or exc}".rstrip(".") + ".") from exc
    _rotate(db_path)
    return target


def _rotate(db_path: Path) -> None:
    """Keep the newest ten, and the newest of each kind (a before-migration backup is not pushed
    out by ten starts of the app)."""
    kinds: set[str] = set()
    pattern = _name_pattern(db_path)
    for index, backup in enumerate(list_backups(db_path)):
        kind = pattern.fullmatch(backup.name).group(2)  # type: ignore[union-attr]
        if index >= KEEP_BACKUPS and kind in kinds:
            backup.unlink(missing_ok=True)
        kinds.add(kind)


def list_backups(db_path: Path) -> list[Path]:
    """Backups of this database (and of no other), newest first."""
    folder = backups_dir(db_path)
    if not folder.is_dir():
        return []
    pattern = _name_pattern(db_path)
    return sorted((p for p in folder.iterdir() if pattern.fullmatch(p.name)), key=lambda p: p.name, reverse=True)


def verify_backup(backup: Path, passphrase: str | None = None) -> None:
    """Refuse, before anything is touched, a backup that could not be brought back whole."""
    backup = Path(backup)
    if not backup.is_file():
        raise UserError(f"There is no backup file at {backup}.")
    if check_openable(backup, passphrase):  # also refuses foreign files and schemas newer than this app
        raise UserError(f"{backup} is empty or unfinished; it is not a backup of an LGF database.")
    problems = integrity_problems(backup, passphrase)
    if problems:
        more = f" (and {len(problems) - 1} more problem(s))" if len(problems) > 1 else ""
        raise UserError(f"{backup} is damaged, so it was not restored and nothing was changed: SQLite's "
                        f"integrity check says {problems[0]!r}{more}.")


def _keep_unreadable(db_path: Path) -> Path:
    """Keep a file SQLite cannot copy exactly as it is: its bytes, with its ``-wal`` beside the copy
    under the matching name (so opening the copy replays the committed changes the -wal holds)."""
    kept = backups_dir(db_path) / f"{db_path.name}.unreadable-{datetime.now():%Y%m%d-%H%M%S-%f}"
    private_folder(kept.parent)
    shutil.copy2(db_path, kept)
    make_private(kept)
    fsync_file(kept)
    wal = Path(f"{db_path}-wal")
    if wal.exists():
        shutil.copy2(wal, f"{kept}-wal")
        make_private(f"{kept}-wal")
        fsync_file(Path(f"{kept}-wal"))
    return kept


def restore_backup(db_path: Path, backup: Path, passphrase: str | None = None) -> Path:
    """Bring ``backup`` back as the database, keeping a copy of the file it replaces.

    ``passphrase`` opens whichever of the two is encrypted; the database keeps its own encryption
    (a plain backup brought back into an encrypted database is encrypted on the way).
    Returns the path of that safety copy (or the database path when there was nothing to keep).
    """
    from ..locking import DatabaseLock

    db_path, backup = Path(db_path), Path(backup)
    verify_backup(backup, passphrase)
    backup_key = None if connections.is_plain(backup) else passphrase
    with DatabaseLock(db_path):
        if not db_path.exists() or db_path.stat().st_size == 0:
            _replace_by_rename(db_path, backup, backup_key, backup_key)
            return db_path
        db_key = None if connections.is_plain(db_path) else passphrase
        try:
            # through SQLite: the -wal's changes included
            kept = backup_database(db_path, "before-restore", db_key)
        except UserError as exc:
            # A file without SQLite's header and no passphrase to try: damaged, or encrypted by someone
            # else; either way its bytes are kept as they are below.
            unreadable = isinstance(exc, (connections.PassphraseNeeded, connections.WrongPassphrase))
            if not (isinstance(exc, DamagedDatabase) or is_damage(exc) or unreadable):
                raise  # locked, full, read-only: nothing was changed
            kept = None
        if kept is not None and db_key != backup_key:
            _replace_by_rename(db_path, backup, backup_key, db_key)
            return kept
        if kept is not None:
            try:
                _copy(backup, db_path, passphrase=db_key)  # one SQLite transaction: all of the backup or nothing
                make_private(db_path)
                return kept
            except ERRORS as exc:
                if not is_damage(exc):
                    raise UserError(f"{backup} could not be restored into {db_path}: "
                                    f"{describe_fault(exc, db_path) or exc}") from exc
        # SQLite cannot read or write the current file (damaged): keep its bytes and its -wal.
        kept = _keep_unreadable(db_path)
        _replace_by_rename(db_path, backup, backup_key, db_key)
        return kept


def _replace_by_rename(db_path: Path, backup: Path, backup_key: str | None, db_key: str | None) -> None:
    """Put a copy of ``backup`` in place of ``db_path``, encrypted with ``db_key`` (plain when None)."""
    temp = db_path.parent / f".{db_path.name}.restoring"
    try:
        temp.unlink(missing_ok=True)
        create_private_file(temp)
        if backup_key == db_key:
            _copy(backup, temp, standalone=True, passphrase=backup_key)
        else:
            connections.export(backup, backup_key, temp, db_key)
            problems = integrity_problems(temp, db_key)
            if problems:
                raise UserError(f"The converted copy of {backup} failed SQLite's integrity check ({problems[0]}), "
                                "so it was not restored and nothing was changed.")
        fsync_file(temp)
        # The old -wal and -shm belong to the old file (already kept): left beside the new one,
        # SQLite would replay the old changes into it.
        for suffix in ("-wal", "-shm", "-journal"):
            Path(f"{db_path}{suffix}").unlink(missing_ok=True)
        os.replace(temp, db_path)
    finally:
        temp.unlink(missing_ok=True)
