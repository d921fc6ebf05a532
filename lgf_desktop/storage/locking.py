"""One window per database file: an advisory lock held while the GUI has the file open.

SQLite itself keeps concurrent writers safe (the CLI may run beside the GUI); the lock is so that a
second window on the same file is told plainly that the file is in use, and so that a restore never
replaces a file under an open window.
"""

from __future__ import annotations

import os
from pathlib import Path

from ..errors import UserError
from ..private_files import private_folder

try:
    import fcntl
except ImportError:  # Windows: no advisory locks; SQLite's own locking still applies.
    fcntl = None  # type: ignore[assignment]


class DatabaseLock:
    def __init__(self, db_path: Path) -> None:
        self.path = Path(f"{db_path}.lock")
        self._fd: int | None = None

    def acquire(self) -> None:
        private_folder(self.path.parent)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
        if fcntl is not None:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError:
                os.close(fd)
                raise UserError(
                    f"{self.path.with_suffix('')} is in use by another LGF Desktop window; "
                    "close that window first."
                ) from None
        self._fd = fd

    def release(self) -> None:
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None

    def __enter__(self) -> DatabaseLock:
        self.acquire()
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()
