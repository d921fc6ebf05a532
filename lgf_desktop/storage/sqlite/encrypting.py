""""Encrypt this database…" and "Decrypt…": converting a closed database file between plain SQLite and
SQLCipher, and dealing with the backups made before.

A conversion never touches the file until a whole, checked copy exists: the copy is written beside
the file under a hidden name (``sqlcipher_export``), checked (SQLite's integrity check, and the same
number of rows in every table as the original), synced, and only then renamed over the original in
one step. The original's bytes are then overwritten with zeros before its last name is removed, so the
plain text is not left in the file system's free space (the report says plainly that a journalling
file system or an SSD may still keep old blocks, which no program can reach).

Backups made before encrypting are plain: the result names them, and ``encrypt_backups`` or
``remove_backups`` deals with them. The database must not be open elsewhere (the one-window lock is
taken for the conversion).
"""

from __future__ import annotations

import os
from contextlib import nullcontext
from dataclasses import dataclass, field
from pathlib import Path

from ...atomic import fsync_file, fsync_folder
from . import connections
from .backups import integrity_problems, list_backups
from ...errors import UserError
from ...journal import journal_path
from ..locking import DatabaseLock
from ...private_files import create_private_file, make_private
from .schema_check import check_openable
from ..faults import describe_fault

MIN_PASSPHRASE = 10


@dataclass
class Conversion:
    """What a conversion did, for the sentence shown to the person."""

    path: Path
    encrypted: bool
    plain_backups: list[Path] = field(default_factory=list)   # after encrypting: backups still in clear
    wiped: bool = True  # the original's bytes were overwritten before its name was removed

    def sentence(self) -> str:
        if self.encrypted:
            said = (f"{self.path.name} is now encrypted: it opens only with its passphrase, which is not kept "
                    "anywhere — if it is lost, the data cannot be recovered. ")
            said += ("The plain file was overwritten with zeros and removed (an SSD or a journalling file system "
                     "may still hold old copies of its blocks)." if self.wiped else
                     "The plain file was replaced and removed (this file system could not overwrite it first).")
            if self.plain_backups:
                said += (f" {len(self.plain_backups)} earlier backup(s) in {self.plain_backups[0].parent} are still "
                         "plain (not encrypted): encrypt them or remove them.")
            return said
        return (f"{self.path.name} is now a plain SQLite file that anyone who can read it can read; its backups made "
                "while it was encrypted still need the passphrase.")


def check_passphrase(passphrase: str, repeated: str | None = None) -> str:
    """Refuse a passphrase too short to protect anything, or one typed differently twice."""
    if len(passphrase) < MIN_PASSPHRASE:
        raise UserError(f"Choose a passphrase of at least {MIN_PASSPHRASE} characters (a few words is best).")
    if repeated is not None and repeated != passphrase:
        raise UserError("The two passphrases are not the same; nothing was changed.")
    return passphrase


def encrypt_database(path: Path, passphrase: str, *, lock: bool = True) -> Conversion:
    """Encrypt the plain LGF database at ``path`` with ``passphrase`` (``lock=False``: the caller holds
    the one-window lock)."""
    path = Path(path)
    check_passphrase(passphrase)
    if connections.is_encrypted(path):
        raise UserError(f"{path} is already encrypted; nothing was changed.")
    if check_openable(path):
        raise UserError(f"{path} holds no LGF Desktop database yet, so there is nothing to encrypt.")
    wiped = _convert(path, None, passphrase, lock=lock)
    return Conversion(path, True, plain_backups(path), wiped)


def decrypt_database(path: Path, passphrase: str, *, lock: bool = True) -> Conversion:
    """Make the encrypted LGF database at ``path`` a plain file again (``passphrase`` opens it)."""
    path = Path(path)
    if check_openable(path, passphrase):
        raise UserError(f"{path} holds no LGF Desktop database yet, so there is nothing to decrypt.")
    if connections.is_plain(path):
        raise UserError(f"{path} is not encrypted; nothing was changed.")
    _convert(path, passphrase, None, lock=lock)
    return Conversion(path, False)


def _convert(path: Path, old: str | None, new: str | None, *, lock: bool = True) -> bool:
    temp = path.parent / f".{path.name}.converting"
    retired = path.parent / f".{path.name}.retired"
    try:
        with DatabaseLock(path) if lock else nullcontext():
            journal = journal_path(path)
            if journal.exists() and journal.stat().st_size > 0:
                raise UserError(f"{path.name} has typed text waiting in its recovery journal: open it in LGF Desktop "
                                "so the text is saved, then try again. Nothing was changed.")
            _fold_in_wal(path, old)
            temp.unlink(missing_ok=True)
            create_private_file(temp)
            connections.export(path, old, temp, new)
            _verify_copy(path, old, temp, new)
            fsync_file(temp)
            for suffix in ("-wal", "-shm", "-journal"):  # the old file's, emptied above
                Path(f"{path}{suffix}").unlink(missing_ok=True)
            wiped = _link(path, retired)
            os.replace(temp, path)
            make_private(path)
            fsync_folder(path.parent)
            if wiped:
                _overwrite_and_remove(retired)
            return wiped
    except (*connections.ERRORS, OSError) as exc:
        sentence = describe_fault(exc, path)
        if sentence is None:
            raise
        raise UserError(f"{path} could not be converted: {sentence}") from exc
    finally:
        temp.unlink(missing_ok=True)


def _fold_in_wal(path: Path, passphrase: str | None) -> None:
    """Checkpoint the -wal into the file (so nothing committed lives only beside it) and leave the
    file in rollback mode while it is converted. Locked by another program: refused, nothing changed."""
    conn = connections.connect(path, passphrase, isolation_level=None)
    try:
        busy = conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()[0]
        if busy:
            raise UserError(f"{path} is in use by another program; close it and try again. Nothing was changed.")
        conn.execute("PRAGMA journal_mode = DELETE")
    finally:
        conn.close()


def _verify_copy(path: Path, old: str | None, copy: Path, new: str | None) -> None:
    problems = integrity_problems(copy, new)
    if not problems and connections.table_counts(copy, new) != connections.table_counts(path, old):
        problems = ["a table does not hold the same number of rows"]
    if problems:
        raise UserError(f"The converted copy of {path} did not check out ({problems[0]}), so it was discarded "
                        "and nothing was changed.")


def _link(path: Path, retired: Path) -> bool:
    """A second name for the original, so its bytes can be overwritten after the copy took its place."""
    retired.unlink(missing_ok=True)
    try:
        os.link(path, retired)
        return True
    except OSError:  # no hard links here (some network or FAT drives): the rename alone retires it
        return False


def _overwrite_and_remove(retired: Path) -> None:
    size = retired.stat().st_size
    with retired.open("r+b") as fh:
        chunk = bytes(1 << 20)
        for start in range(0, size, len(chunk)):
            fh.write(chunk[: min(len(chunk), size - start)])
        fh.flush()
        os.fsync(fh.fileno())
    retired.unlink()


def plain_backups(db_path: Path) -> list[Path]:
    """The backups of ``db_path`` that are in clear."""
    return [b for b in list_backups(db_path) if connections.is_plain(b)]


def encrypt_backups(db_path: Path, passphrase: str, backups: list[Path]) -> int:
    """Encrypt each plain backup of ``db_path`` in place (checked copy, then replace); returns how many."""
    done = 0
    for backup in backups:
        if connections.is_plain(backup):
            _convert(backup, None, passphrase, lock=False)
            done += 1
    return done


def remove_backups(backups: list[Path]) -> int:
    """Overwrite and remove each of ``backups``; returns how many."""
    for backup in backups:
        _overwrite_and_remove(backup)
    return len(backups)


