"""Hearing that another client committed to the open database, whichever backend holds it (no Qt).

Screens refresh what they show when someone else changes the data: another window, the ``lgf``
command, an import, or — on a shared database — a colleague on another machine. A feed watches on a
thread and a connection of its own, so neither the UI thread nor the one writer ever waits for it:

- on a SQLite file, ``DataVersionFeed`` reads ``PRAGMA data_version`` every ``POLL_S`` (it moves
  whenever another connection commits; a few microseconds a read);
- on a PostgreSQL server, ``postgresql.changes.NotifyFeed`` LISTENs: every client's writer sends a
  NOTIFY in the same transaction as its changes, delivered by the server when (and only when) that
  transaction commits, so the others hear of it within milliseconds, without polling.

Both ignore this client's own commits (the screens already know about those). ``changed()`` says,
once, whether another client committed since it was last asked, whichever thread noticed; the feed
also calls ``on_change`` from its thread as soon as it notices, to wake whoever shows the data.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import TYPE_CHECKING

from sqlalchemy import event
from sqlalchemy.orm import Session

if TYPE_CHECKING:
    from ..db import Database

POLL_S = 0.25  # a change is heard within this on a file (and screens refresh within a second)


class ChangeFeed:
    """The common part: a thread that waits for changes, a flag read once, and the wake-up call."""

    def __init__(self, on_change: Callable[[], None] = lambda: None, interval_s: float = POLL_S) -> None:
        self.on_change = on_change
        self.interval_s = interval_s
        self._lock = threading.Lock()  # guards _noticed and the subclass's connection
        self._noticed = False
        self._stopping = threading.Event()
        self._thread = threading.Thread(target=self._run, name=f"lgf-{type(self).__name__}", daemon=True)

    def start(self) -> ChangeFeed:
        self._thread.start()
        return self

    def changed(self) -> bool:
        """True once when another client committed since the last call (checked now where the
        backend can, else as the feed's thread heard it)."""
        with self._lock:
            noticed = self._noticed or self._look()
            self._noticed = False
        return noticed

    def stop(self) -> None:
        self._stopping.set()
        if self._thread.is_alive() and threading.current_thread() is not self._thread:
            self._thread.join(timeout=5)
        with self._lock:
            self._close()

    # --- the backend's part ------------------------------------------------------------------
    def _look(self) -> bool:
        """Called holding the lock: has another client committed since the last look?"""
        return False

    def _wait(self) -> bool:
        """Called on the feed's thread: wait up to ``interval_s``; True when a change was heard."""
        self._stopping.wait(self.interval_s)
        with self._lock:
            return self._look()

    def _close(self) -> None:
        pass

    def _run(self) -> None:
        while not self._stopping.is_set():
            if self._wait() and not self._stopping.is_set():
                with self._lock:
                    self._noticed = True
                self.on_change()


class DataVersionFeed(ChangeFeed):
    """A SQLite file: ``PRAGMA data_version`` on a read connection of its own.

    This client's own commits move it too, so after each of them (``Session`` ``after_commit``) the
    feed reads it at once and takes that value as seen. (A commit by another program in the
    microseconds between one of ours and that read is heard with the next change, not lost: a
    refresh re-reads everything a screen shows.)
    """

    def __init__(self, db: Database, on_change: Callable[[], None] = lambda: None,
                 interval_s: float = POLL_S) -> None:
        super().__init__(on_change, interval_s)
        self._engine = db.engine
        self._backend = db.backend
        self._connection = db.connect_watch()
        self._seen = self._version()
        event.listen(Session, "after_commit", self._own_commit)

    def _version(self) -> int | None:
        if self._connection is None:
            return None
        try:
            return self._backend.data_version(self._connection)
        except self._backend.ERRORS:  # the file went away or is locked for a moment: next time
            return None

    def _look(self) -> bool:
        current = self._version()
        if current is None or current == self._seen:
            return False
        self._seen = current
        return True

    def _own_commit(self, session: Session) -> None:
        # A session is bound to the engine or to one of its connections (the one writer's).
        if session.bind is not None and session.bind.engine is self._engine:
            with self._lock:
                seen = self._version()
                if seen is not None:
                    self._seen = seen

    def _close(self) -> None:
        if event.contains(Session, "after_commit", self._own_commit):
            event.remove(Session, "after_commit", self._own_commit)
        if self._connection is not None:
            self._connection.close()
            self._connection = None


def open_feed(db: Database, on_change: Callable[[], None] = lambda: None, interval_s: float = POLL_S) -> ChangeFeed:
    """The open database's change feed, started."""
    return db.backend.change_feed(db, on_change, interval_s).start()
