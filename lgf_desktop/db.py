"""Opening an LGF database from its location (a file path or a ``postgresql://`` URL) and handing out
sessions: the top of the storage boundary, the same for both backends.

What differs between a SQLite file and a PostgreSQL server — refusing what this version cannot open,
creating and upgrading all-or-nothing, backups, read-only sessions, change detection — is asked of
``storage.backend(location)`` (``lgf_desktop/storage/``); nothing here or above knows which it has.

A SQLite database may be encrypted with SQLCipher (``storage/sqlite/connections.py`` holds the
difference): every function here takes the passphrase, which the open ``Database`` keeps in memory for
its connections and never writes anywhere.

Once open, every write goes through the one writer
(``lgf_desktop/storage/writer.py``): ``session()`` takes its turn on the writer's connection,
``write(fn)`` queues ``fn(session)`` without waiting; ``read()`` is a read-only session on a connection
of its own.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable, Iterator
from concurrent.futures import Future
from contextlib import contextmanager
from pathlib import Path
from typing import TypeVar

from sqlalchemy import Engine, delete, event, select
from sqlalchemy.orm import Session, sessionmaker

from . import history  # noqa: F401  (registers the change-history listener)
from . import record_versions  # noqa: F401  (registers the listener raising record versions)
from . import identity, storage
from .services.region import read_only  # noqa: F401  (registers the listener keeping imported rounds whole)
from .errors import UserError
from .journal import Journal, journal_path
from .models import Setting
from .storage import Location
from .storage.faults import describe_fault
from .storage.migrating import alembic_config as _alembic_config, head_revision  # noqa: F401  (re-exported)
from .storage.writer import Writer
from .your_settings import set_your_name, your_name
from .storage.sqlite.schema_check import (  # noqa: F401  (re-exported: the refusals live there, free of SQLAlchemy)
    APPLICATION_ID, BUSY_TIMEOUT_MS, SQLITE_MAGIC, check_openable, known_revisions, schema_head, stored_revision,
)
from .storage.sqlite.backend import _create, _migrate  # noqa: F401  (re-exported for the upgrade tests)

T = TypeVar("T")


class Database:
    """One open LGF database (a file or a server's database): the engine, a session factory and who
    is using it (``identity``)."""

    def __init__(self, location: Location | Path, engine: Engine, passphrase: str | None = None) -> None:
        self.location = Location.parse(location)
        # The file; for a server's database, the stand-in in the user's data folder naming the files
        # this computer keeps for it (its recovery journal and one-window lock).
        self.path = self.location.path
        self.backend = storage.backend(self.location)
        if self.is_server:  # this computer's files for it (journal, lock) go in the user's data folder
            from .private_files import private_folder

            private_folder(self.path.parent)
        self.engine = engine
        self._passphrase = passphrase
        self._sessions = sessionmaker(engine, expire_on_commit=False)
        guard = self.backend.commit_guard(self.location)
        if guard is not None:
            event.listen(self._sessions, "before_commit", lambda session: guard())
        self._journal: Journal | None = None
        self.login = identity.login(engine)
        # Tells this client's own change announcements from others' (``storage.change_feed``).
        self.client_id = uuid.uuid4().hex
        self.backend.announce_commits(engine, self.client_id)
        self._account = self.login.rsplit("@", 1)[0]
        self.writer = Writer(engine, lambda: self.user, self._sessions, lambda: self.login)

    @property
    def is_server(self) -> bool:
        """True for a shared database on a PostgreSQL server."""
        return self.location.is_server

    @property
    def address(self) -> str:
        """What ``--db`` takes to open this database again: the file's path, or the server's URL."""
        return self.location.url or str(self.path)

    @property
    def offers_backups(self) -> bool:
        """False on a server, whose backups are its own job (the app offers a snapshot instead)."""
        return self.backend.OFFERS_BACKUPS

    @property
    def encrypted(self) -> bool:
        return self._passphrase is not None

    @property
    def passphrase(self) -> str | None:
        """The passphrase this file was opened with (in memory only; to reopen it after a conversion)."""
        return self._passphrase

    def connect_watch(self):
        """A driver connection of its own, outside any transaction, for the data watcher."""
        return self.backend.watch_connection(self.location, self._passphrase)

    def connect_copy(self, path: Path, **kwargs):
        """A driver connection to a copy of this database file (a backup), keyed as this one is (a
        plain copy opens plain)."""
        from .storage.sqlite import connections

        return connections.connect(path, self._passphrase, **kwargs)

    def backup(self, reason: str) -> Path | None:
        """A checked backup of this file in ``backups/``, encrypted as the file is; None on a server
        (its backups are the server's job)."""
        return self.backend.backup(self.location, reason, self._passphrase)

    @classmethod
    def open(cls, where: str | Path | Location, *, backup: bool = False, passphrase: str | None = None) -> Database:
        """Open (creating or upgrading) the database at ``where``: a file path or a ``postgresql://`` URL.

        Raises UserError with one sentence for a foreign file or database, one made by a newer version,
        and for any fault of the environment (read-only, full disk, locked, damaged, a server that cannot
        be reached or refuses the login). ``backup`` takes a start-of-day backup first (a file only).
        ``passphrase`` opens an encrypted file (``PassphraseNeeded``/``WrongPassphrase`` otherwise);
        given for a new file, it makes the file encrypted.
        """
        location = Location.parse(where)
        try:
            backend = storage.backend(location)
            passphrase = backend.prepare(location, passphrase, backup)
            database = cls(location, backend.engine(location, passphrase), passphrase)
            database._adopt_former_name()
            return database
        except UserError:
            raise
        except Exception as exc:  # either driver's, SQLAlchemy's or the OS's: a sentence, or a bug raised as it is
            sentence = describe_fault(exc, location)
            if sentence is None:
                raise
            raise UserError(sentence) from exc

    @classmethod
    def open_read_only(cls, where: str | Path | Location, passphrase: str | None = None) -> Database:
        """An existing LGF database opened without writing a byte (for ``lgf check``): no creation,
        no upgrade, no backup."""
        location = Location.parse(where)
        backend = storage.backend(location)
        passphrase = backend.prepare_read_only(location, passphrase)
        return cls(location, backend.engine(location, passphrase, read_only=True), passphrase)

    @property
    def user(self) -> str:
        """The name this person's changes are recorded under: "Your name" from their own settings
        (``your_settings``, on this machine), else their account."""
        return identity.display_name(self._account)

    @property
    def author(self) -> str:
        """The name documents are written by: the preference 'Your name' only, never the login name
        (an export's author property would otherwise say "root" or a laptop's account)."""
        return your_name()

    def set_user(self, name: str) -> None:
        """Set "Your name" in this person's own settings (recorded in the change history and as the
        author of their documents, for every database they open on this machine)."""
        set_your_name(name)

    def _adopt_former_name(self) -> None:
        """Move the name a database from before 0009 kept for its one user into the settings of the
        person opening it (unless they already have one), then out of the shared database."""
        with self.read() as session:
            former = session.scalar(select(Setting.value).where(Setting.key == "user_name"))
        if former is None:
            return
        if former.strip() and not your_name():
            try:
                set_your_name(former)
            except UserError:
                return  # the settings folder cannot be written: the row stays, to be moved next time
        with self.session() as session:
            session.execute(delete(Setting).where(Setting.key == "user_name"))

    def new_session(self) -> Session:
        """A session on the writer's connection; only for code already holding the writer."""
        return self.writer.new_session()

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A session for one user action, on the writer's connection in its turn (after the writes
        queued before it): committed on success, rolled back on error."""
        with self.writer.turn():
            session = self.new_session()
            try:
                yield session
                session.commit()
            except BaseException:
                session.rollback()
                raise
            finally:
                session.close()

    def write(self, fn: Callable[[Session], T]) -> Future[T]:
        """Queue ``fn(session)`` for the writer and return at once; the future holds its result
        (after the commit) or its exception."""
        return self.writer.submit(fn)

    @contextmanager
    def read(self) -> Iterator[Session]:
        """A read-only session on a connection of its own: never waits for the writer."""
        session = self._sessions()
        try:
            self.backend.begin_read_only(session.connection())
            yield session
        finally:
            try:
                session.rollback()
                self.backend.end_read_only(session.connection())
            finally:
                session.close()

    @contextmanager
    def export_session(self, override_identifying: bool = False) -> Iterator[Session]:
        """The session an export reads through: read-only on a connection of its own, so a long export
        never holds the writer (the minutes being typed meanwhile save as usual, in this window and on
        every other client); the writer's only when the person overrides the identifying-data check,
        which the export records in the change history."""
        if override_identifying:
            with self.session() as session:
                yield session
        else:
            with self.read() as session:
                yield session

    @property
    def journal(self) -> Journal:
        """The recovery journal: text typed and not yet saved, beside the file (for a server's database,
        in the user's data folder, keyed by its URL without the password)."""
        if self._journal is None:
            key = self.backend.journal_key(self.location, self._passphrase)
            self._journal = Journal(journal_path(self.path), key)
        return self._journal

    def close(self) -> None:
        """Finish the queued writes, then close every connection and the journal."""
        self.writer.close()
        self.engine.dispose()
        if self._journal is not None:
            self._journal.close()
            self._journal = None
