"""Noticing changes other clients made to the open database (the CLI, an import in another process,
a second window, a colleague on the same shared database), so open screens refresh what changed.

The hearing is the storage's change feed (``storage/change_feed.py``: ``PRAGMA data_version`` on a
file, LISTEN/NOTIFY on a PostgreSQL server), on a thread and a connection of its own; it wakes this
watcher, which tells the screens on the UI thread through ``changed_elsewhere`` (the main window turns
it into the same ``data_changed`` broadcast the screens' own changes use). This client's own commits
are not reported: the screens already know about them.

While another client keeps committing (an ``lgf import`` of ten returns commits every few
milliseconds; a colleague typing autosaves every second) the screens refresh at most once every
``SETTLE_MS``, and once more after the last commit: each refresh re-reads what a screen shows on the
UI thread, and one per commit made an import stall the typing.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer, Signal

from ..storage.change_feed import POLL_S, open_feed

if TYPE_CHECKING:
    from ..db import Database

POLL_MS = int(POLL_S * 1000)
SETTLE_MS = 1000


class DataWatcher(QObject):
    """Emits ``changed_elsewhere`` after another client committed to the database."""

    changed_elsewhere = Signal()
    _heard = Signal()  # emitted on the feed's thread; delivered on this object's (the UI) thread

    def __init__(self, db: Database, parent: QObject | None = None, interval_ms: int = POLL_MS) -> None:
        super().__init__(parent)
        self._told = 0.0  # when the screens were last told (monotonic seconds)
        self._later = QTimer(self)
        self._later.setSingleShot(True)
        self._later.timeout.connect(self.poll)
        self._heard.connect(self._on_heard)
        self._feed = open_feed(db, self._heard.emit, interval_ms / 1000)

    def _on_heard(self) -> None:
        wait_ms = int((self._told + SETTLE_MS / 1000 - time.monotonic()) * 1000)
        if wait_ms > 0:
            if not self._later.isActive():
                self._later.start(wait_ms)  # told a moment ago: tell again then, for every commit since
            return
        self.poll()

    def poll(self) -> bool:
        """Check once now; True (and ``changed_elsewhere``) if another client committed since."""
        if not self._feed.changed():
            return False
        self._told = time.monotonic()
        self.changed_elsewhere.emit()
        return True

    def stop(self) -> None:
        self._later.stop()
        self._feed.stop()
