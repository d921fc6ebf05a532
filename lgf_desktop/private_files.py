"""Files only their owner can read: the data folder, the database and its ``-wal``/``-shm``,
backups, the error log, keys, exchange files and exports.

Two layers, because either alone leaks: the programs set ``umask 077`` when they start (so a file a
library creates — SQLite's WAL, a temporary file — is private from birth), and the places that
create our files also set the mode explicitly, since tests, plug-ins or an embedding program may run
with another umask. On Windows the modes mean little; files there live in the user's own profile
folders, whose access lists already keep other users out.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

PRIVATE_UMASK = 0o077
FOLDER_MODE = 0o700
FILE_MODE = 0o600
DATABASE_COMPANIONS = ("-wal", "-shm", "-journal")

_POSIX = not sys.platform.startswith("win")


def keep_new_files_private() -> None:
    """Make every file and folder this process creates from now on readable by the user only."""
    if _POSIX:
        os.umask(PRIVATE_UMASK)


def make_private(path: str | os.PathLike[str]) -> None:
    """Owner-only mode on an existing file or folder we own (missing paths are ignored)."""
    if not _POSIX:
        return
    path = Path(path)
    try:
        status = path.stat()
        if status.st_uid != os.geteuid():
            return  # not ours: chmod would be refused, and another user's file is theirs to guard
        # Only the group's and others' bits go: a file its owner made read-only stays read-only.
        path.chmod(status.st_mode & 0o700)
    except FileNotFoundError:
        pass


def private_folder(path: str | os.PathLike[str]) -> Path:
    """Create ``path`` and any missing parents as owner-only folders; returns it.

    Folders that already exist are left as they are unless they are ours to keep private (the app's
    own data folder, ``backups/``): the caller then passes them to ``make_private``. A database put
    in ``~/Documents`` must not change the mode of ``~/Documents``.
    """
    path = Path(path)
    missing = []
    probe = path
    while not probe.exists() and probe != probe.parent:
        missing.append(probe)
        probe = probe.parent
    for folder in reversed(missing):
        try:
            folder.mkdir(mode=FOLDER_MODE)
        except FileExistsError:
            continue
        make_private(folder)  # mkdir's mode is filtered by the umask
    return path


def create_private_file(path: str | os.PathLike[str]) -> Path:
    """Create ``path`` empty and owner-only if it does not exist; make it owner-only either way."""
    path = Path(path)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT, FILE_MODE)
    os.close(fd)
    make_private(path)
    return path


def make_database_private(db_path: str | os.PathLike[str]) -> None:
    """The database file (if there is one yet) and every companion SQLite keeps beside it.

    SQLite creates ``-wal`` and ``-shm`` with the mode of the database file, so making the database
    private first makes its companions private from birth; the ones already there are set too. (A new
    database is built in a ``mkstemp`` file, owner-only from the start, and linked into place.)
    """
    db_path = Path(db_path)
    from .paths import user_data_dir

    if db_path.parent.resolve() == user_data_dir().resolve():
        make_private(db_path.parent)  # the app's own data folder; a folder the user chose is theirs
    make_private(db_path)
    for suffix in DATABASE_COMPANIONS:
        make_private(Path(f"{db_path}{suffix}"))


def is_private(path: str | os.PathLike[str]) -> bool:
    """True when no one but the owner can read, write or enter ``path`` (always true on Windows)."""
    return not _POSIX or Path(path).stat().st_mode & 0o077 == 0
