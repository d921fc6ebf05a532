"""Other clients' commits on a PostgreSQL server, heard through LISTEN/NOTIFY.

Sending: every engine of an LGF database on a server (the one writer's above all) remembers, per
connection, that its transaction wrote something, and just before that transaction commits sends
``pg_notify('lgf_changes', <this client's id>)`` inside it. PostgreSQL delivers a notification only
when its transaction commits (and never for one rolled back), and in commit order, so a listener
hears exactly the committed changes, each after its data is visible.

Hearing: ``NotifyFeed`` LISTENs on a connection of its own in autocommit, on its own thread, and
ignores notifications carrying its own client's id. When the connection drops (the server restarts,
the network goes) it reconnects every ``RECONNECT_S`` and then reports a change, since it may have
missed some while away.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from sqlalchemy import Engine, event

from ..change_feed import POLL_S, ChangeFeed
from . import connections

if TYPE_CHECKING:
    from ...db import Database

CHANNEL = "lgf_changes"
RECONNECT_S = 2.0
SLICE_S = 0.25
_WROTE = "lgf_wrote"
_WRITES = ("insert", "update", "delete", "create", "alter", "drop", "truncate", "merge", "copy")


def announce_commits(engine: Engine, client_id: str) -> None:
    """Make every transaction of ``engine`` that wrote send a NOTIFY naming ``client_id`` as it commits."""

    @event.listens_for(engine, "before_cursor_execute")
    def _note_write(conn, cursor, statement, parameters, context, executemany) -> None:
        if statement.lstrip()[:8].lower().startswith(_WRITES):
            conn.info[_WROTE] = True

    @event.listens_for(engine, "commit")
    def _announce(conn) -> None:
        # Called just before the driver's COMMIT, inside the transaction: the notification is sent
        # by the commit itself, so it can never announce a change that was not made.
        if conn.info.pop(_WROTE, False):
            cursor = conn.connection.cursor()
            try:
                cursor.execute("SELECT pg_notify(%s, %s)", (CHANNEL, client_id))
            finally:
                cursor.close()

    @event.listens_for(engine, "rollback")
    def _forget(conn) -> None:
        conn.info.pop(_WROTE, None)


class NotifyFeed(ChangeFeed):
    """LISTEN on a connection of its own; notifications from other clients are changes."""

    def __init__(self, db: Database, on_change: Callable[[], None] = lambda: None,
                 interval_s: float = POLL_S) -> None:
        super().__init__(on_change, interval_s)
        self._url = db.location.url
        self._client_id = db.client_id
        self._connection = self._listen()

    def _listen(self):
        connection = connections.connect(self._url, autocommit=True)
        connection.execute(f"LISTEN {CHANNEL}")
        return connection

    def _wait(self) -> bool:
        # Only this thread touches the listening connection (``_look`` stays False): it blocks on it.
        connection = self._connection
        try:
            if connection is None or connection.closed:
                if self._stopping.wait(RECONNECT_S):
                    return False
                self._connection = self._listen()
                return True  # back after a gap: something may have changed meanwhile
            # Pushed, not polled: a notification wakes this at once. The wait is cut in short slices
            # only so that ``stop`` is never kept waiting.
            for notify in connection.notifies(timeout=SLICE_S, stop_after=1):
                if notify.payload != self._client_id:
                    return True  # at once; the screens settle a burst of them themselves
            return False
        except connections.ERRORS:
            if self._connection is not None:
                try:
                    self._connection.close()
                except connections.ERRORS:
                    pass
            return False

    def _close(self) -> None:
        if self._connection is not None:
            try:
                self._connection.close()
            except connections.ERRORS:
                pass
            self._connection = None
