"""Noticing changes another program made to the open database (the CLI, an import in another
process, a second copy of the app on a shared file), so open screens refresh what changed.

Every ``POLL_MS`` the watcher asks the backend's data version on a connection of its own (SQLite's
``PRAGMA data_version``, a few microseconds, fine on the UI thread; on a PostgreSQL server the next
transaction id, one round trip over the socket): it moves whenever another connection commits. This
app's own commits move it too, so after each of them (``Session`` ``after_commit``) the watcher reads
it at once and takes that value as seen: the screens already know about their own changes. (A commit
by another program in the microseconds between one of ours and that read is noticed with the next
change, not lost: refreshing re-reads everything it shows.)

While another program keeps committing (an ``lgf import`` of ten returns commits every few
milliseconds) the screens refresh at most once every ``SETTLE_MS``, and once more after the last
commit: each refresh re-reads what a screen shows on the UI thread, and one per poll made the import
stall the typing.
"""

from __future__ import annotations

import threading
import time
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer, Signal
from sqlalchemy import event
from sqlalchemy.orm import Session


if TYPE_CHECKING:
    from ..db import Database

POLL_MS = 500
SETTLE_MS = 2000


class DataWatcher(QObject):
    """Emits ``changed_elsewhere`` after another program committed to the database file."""

    changed_elsewhere = Signal()

    def __init__(self, db: Database, parent: QObject | None = None, interval_ms: int = POLL_MS) -> None:
        super().__init__(parent)
        self.engine = db.engine
        self._backend = db.backend
        self._lock = threading.Lock()  # our commits may finish on a worker thread
        self._connection = db.connect_watch()
        self._seen = self._data_version()
        self._told = 0.0  # when the screens were last told (monotonic seconds)
        event.listen(Session, "after_commit", self._own_commit)
        self._timer = QTimer(self)
        self._timer.setInterval(interval_ms)
        self._timer.timeout.connect(self._tick)
        self._timer.start()

    def _data_version(self) -> int | None:
        with self._lock:
            if self._connection is None:
                return None
            try:
                return self._backend.data_version(self._connection)
            except self._backend.ERRORS:  # gone or locked for a moment (a file), unreachable (a server): next time
                return None

    def _own_commit(self, session: Session) -> None:
        # A session is bound to the engine or to one of its connections (the one writer's).
        if session.bind is not None and session.bind.engine is self.engine:
            seen = self._data_version()
            if seen is not None:
                self._seen = seen

    def _tick(self) -> None:
        if time.monotonic() - self._told < SETTLE_MS / 1000:
            return  # told a moment ago: a later tick tells again, for every commit since
        self.poll()

    def poll(self) -> bool:
        """Check once; True (and ``changed_elsewhere``) if another program committed since."""
        current = self._data_version()
        if current is None or current == self._seen:
            return False
        self._seen = current
        self._told = time.monotonic()
        self.changed_elsewhere.emit()
        return True

    def stop(self) -> None:
        self._timer.stop()
        if event.contains(Session, "after_commit", self._own_commit):
            event.remove(Session, "after_commit", self._own_commit)
        with self._lock:
            if self._connection is not None:
                self._connection.close()
                self._connection = None
