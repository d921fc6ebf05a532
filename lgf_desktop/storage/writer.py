"""The one writer: every write to an LGF database goes through one connection on one thread.

SQLite allows one writer at a time, and SQLite 3.40 (as shipped with Debian's Python) has a WAL bug
that needs two writing connections; so the app never has two. ``Writer`` owns a thread and the one
write connection, and takes work in order from a queue:

- ``submit(fn)`` runs ``fn(session)`` on the writer thread, commits, and returns a
  ``concurrent.futures.Future`` at once (the autosave: the caller never waits for the disk);
- ``turn()`` is a context manager for code that must work synchronously (forms, the CLI, a worker's
  import): the caller waits for the work queued before it, then holds the writer (its connection,
  in its own thread) until the block ends, while the writer thread waits. Work queued meanwhile runs
  after it, in order.

Code already holding the writer (a job, or a thread inside ``turn()``) that asks again gets a session
on the same connection inside the same transaction, so nesting never deadlocks.
"""

from __future__ import annotations

import gc
import queue
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import Future
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Connection, Engine
from sqlalchemy.orm import Session


class _Turn:
    """A place in the queue for a synchronous caller: granted, then released by the caller."""

    def __init__(self) -> None:
        self.granted = threading.Event()
        self.released = threading.Event()


_STOP = object()


class Writer:
    """One thread, one connection, one queue of writes in the order they were asked for."""

    def __init__(self, engine: Engine, user: Callable[[], str], sessions: Callable[..., Session] = Session,
                 login: Callable[[], str] = lambda: "") -> None:
        self._engine = engine
        self._user = user
        self._login = login
        self._sessions = sessions  # the database's session factory, with its commit checks
        self._local = threading.local()
        self._lock = threading.Lock()  # guards _closed against a submit racing close
        self._start()

    def _start(self) -> None:
        self._queue: queue.SimpleQueue[Any] = queue.SimpleQueue()
        self._closed = False
        self.connection: Connection = self._engine.connect()
        self._thread = threading.Thread(target=self._run, args=(self._queue,), name="lgf-writer", daemon=True)
        self._thread.start()

    def _enqueue(self, item: Any) -> None:
        with self._lock:
            if self._closed:
                # Used again after close (as an engine can be): a fresh writer, still the only one.
                self._start()
            self._queue.put(item)

    # --- the caller's side ---------------------------------------------------------------
    def holding(self) -> bool:
        """True on a thread that holds the writer now (a job, or inside ``turn()``)."""
        return getattr(self._local, "depth", 0) > 0

    def new_session(self) -> Session:
        session = self._sessions(bind=self.connection, expire_on_commit=False)
        session.info["user"] = self._user()
        session.info["login"] = self._login()
        return session

    def submit(self, fn: Callable[[Session], Any]) -> Future:
        """Queue ``fn(session)``; its session is committed on the writer thread (rolled back if it
        raises); the future holds its result or exception."""
        future: Future = Future()
        if self.holding():  # already the writer: run now, in the enclosing transaction
            self._run_job(fn, future)
            return future
        self._enqueue((fn, future))
        return future

    @contextmanager
    def turn(self) -> Iterator[None]:
        """Hold the writer for the length of the block (after everything queued before it)."""
        if self.holding():
            self._local.depth += 1
            try:
                yield
            finally:
                self._local.depth -= 1
            return
        turn = _Turn()
        self._enqueue(turn)
        turn.granted.wait()
        self._local.depth = 1
        try:
            yield
        finally:
            self._local.depth = 0
            turn.released.set()

    def flush(self, timeout: float | None = None) -> bool:
        """Wait until everything queued so far has run (True) or ``timeout`` passed (False)."""
        if self.holding():
            return True
        done = self.submit(lambda session: None)
        try:
            done.result(timeout)
        except TimeoutError:
            return False
        return True

    def close(self) -> None:
        """Run what is queued, then stop the thread and close the connection."""
        with self._lock:
            if self._closed:
                return
            self._closed = True
            self._queue.put(_STOP)
            thread, connection = self._thread, self.connection
        if threading.current_thread() is not thread:
            thread.join()
        connection.close()

    # --- the writer thread -----------------------------------------------------------------
    def _run(self, work: queue.SimpleQueue) -> None:
        while True:
            item = work.get()
            if item is _STOP:
                return
            if isinstance(item, _Turn):
                item.granted.set()
                item.released.wait()
                continue
            fn, future = item
            if future.set_running_or_notify_cancel():
                self._local.depth = 1
                # The cycle collector paused while a job runs: a full collection over the app's
                # heap, started by an import's many allocations, stops every thread (the UI's too)
                # for hundreds of milliseconds. Reference counting still frees almost everything.
                paused = gc.isenabled()
                gc.disable()
                try:
                    self._run_job(fn, future)
                finally:
                    self._local.depth = 0
                    if paused:
                        gc.enable()

    def _run_job(self, fn: Callable[[Session], Any], future: Future) -> None:
        session = self.new_session()
        try:
            result = fn(session)
            session.commit()
        except BaseException as exc:  # handed to whoever waits on the future
            try:
                session.rollback()
            except Exception:  # noqa: BLE001 — the first error is the one to report
                pass
            future.set_exception(exc)
        else:
            future.set_result(result)
        finally:
            session.close()
