"""Opening an LGF database: refusing foreign files untouched, migrating, and handing out sessions.

Every connection sets foreign keys on, WAL journal, ``synchronous=FULL`` and a busy timeout. The
schema is created and upgraded by the Alembic migrations in ``lgf_desktop/migrations``; a database is
backed up before any migration touches it.

Both are all-or-nothing. An upgrade runs in one SQLite transaction (DDL included) with its
``alembic_version`` change and the foreign-key check, so a refusal or a kill leaves the file as it
was. A new database is built in a temporary file beside the target and linked into place only when
complete, so a kill leaves either no database or a whole one.

A database may be encrypted with SQLCipher (``connections.py`` holds the difference): every
function here takes the passphrase, which the open ``Database`` keeps in memory for its connections
and never writes anywhere.

Once open, every write goes through the one writer
(``lgf_desktop/writer.py``): ``session()`` takes its turn on the writer's connection, ``write(fn)``
queues ``fn(session)`` without waiting; ``read()`` is a read-only session on a connection of its own.
"""

from __future__ import annotations

import getpass
import os
import sqlite3
import tempfile
import time
from collections.abc import Callable, Iterator
from concurrent.futures import Future
from contextlib import contextmanager
from pathlib import Path
from typing import TypeVar

from sqlalchemy import Engine, create_engine, event, select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from .atomic import fsync_file, fsync_folder
from . import connections
from . import history  # noqa: F401  (registers the change-history listener)
from . import record_versions  # noqa: F401  (registers the listener raising record versions)
from .services.region import read_only  # noqa: F401  (registers the listener keeping imported rounds whole)
from .errors import UserError
from .journal import Journal, journal_path
from .models import Setting
from .private_files import make_database_private, private_folder
from .storage_faults import describe_fault
from .paths import MIGRATIONS
from .writer import Writer
from .schema_check import (  # noqa: F401  (re-exported: the refusals live there, free of SQLAlchemy)
    APPLICATION_ID, BUSY_TIMEOUT_MS, SQLITE_MAGIC, check_openable, known_revisions, schema_head, stored_revision,
)

T = TypeVar("T")


def _alembic_config():  # Alembic is imported only when a migration runs: it is slow to import.
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return config


def head_revision() -> str:
    """Alembic's own head (``schema_head()`` gives the same without importing Alembic)."""
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(_alembic_config()).get_current_head() or ""


def _set_pragmas(dbapi_connection: sqlite3.Connection, connection_record: object) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA foreign_keys = ON")
    cursor.execute("PRAGMA journal_mode = WAL")
    cursor.execute("PRAGMA synchronous = FULL")
    cursor.close()


class Database:
    """One open LGF database file: the engine, a session factory and the current user's name."""

    def __init__(self, path: Path, engine: Engine, passphrase: str | None = None) -> None:
        self.path = path
        self.engine = engine
        self._passphrase = passphrase
        self._sessions = sessionmaker(engine, expire_on_commit=False)
        self._file_id = _file_id(path)
        event.listen(self._sessions, "before_commit", self._check_still_there)
        self.user = ""
        self._journal: Journal | None = None
        self.writer = Writer(engine, lambda: self.user, self._sessions)
        self.user = self._load_user()

    def _check_still_there(self, session: Session) -> None:
        # SQLite goes on writing to a file deleted or moved away under it (the open handle keeps the
        # old inode alive) and every later change would be lost without a word: refuse instead.
        if _file_id(self.path) != self._file_id:
            raise UserError(f"{self.path} is no longer there (moved, renamed or deleted while open), so this "
                            "change was not saved; put the file back or restart LGF Desktop.")

    @property
    def encrypted(self) -> bool:
        return self._passphrase is not None

    @property
    def passphrase(self) -> str | None:
        """The passphrase this file was opened with (in memory only; to reopen it after a conversion)."""
        return self._passphrase

    def connect_file(self, *, read_only: bool = False, **kwargs):
        """A driver connection of its own to this file (keyed when it is encrypted), for the few
        readers that work below SQLAlchemy (the data watcher)."""
        return connections.connect(self.path, self._passphrase, read_only=read_only, **kwargs)

    def connect_copy(self, path: Path, **kwargs):
        """A driver connection to a copy of this database (a backup), keyed as this one is (a plain
        copy opens plain)."""
        return connections.connect(path, self._passphrase, **kwargs)

    def backup(self, reason: str) -> Path:
        """A checked backup of this file in ``backups/``, encrypted as the file is."""
        from .backups import backup_database

        return backup_database(self.path, reason, self._passphrase)

    @classmethod
    def open(cls, path: str | Path, *, backup: bool = False, passphrase: str | None = None) -> Database:
        """Open (creating or upgrading) the database at ``path``.

        Raises UserError with one sentence for a foreign file and for any fault of the environment
        (read-only, full disk, locked, damaged). ``backup`` takes a start-of-day backup first.
        ``passphrase`` opens an encrypted file (``PassphraseNeeded``/``WrongPassphrase`` otherwise);
        given for a new file, it makes the file encrypted.
        """
        path = Path(path)
        try:
            return cls._open(path, backup, passphrase)
        except (*connections.ERRORS, SQLAlchemyError, OSError) as exc:
            sentence = describe_fault(exc, path)
            if sentence is None:
                raise
            raise UserError(sentence) from exc

    @classmethod
    def _open(cls, path: Path, backup: bool, passphrase: str | None) -> Database:
        from .backups import backup_database

        is_new = check_openable(path, passphrase)
        if not is_new and connections.is_plain(path):
            passphrase = None  # a plain file stays plain, whatever was typed
        if not is_new and backup:
            backup_database(path, "start", passphrase)
        try:
            private_folder(path.parent)
            make_database_private(path)  # before SQLite writes again: its -wal/-shm take the file's mode
        except OSError as exc:
            raise UserError(f"The folder {path.parent} cannot be created: {exc.strerror}.") from exc
        if is_new:
            _create(path, passphrase)
        elif stored_revision(path, passphrase) != schema_head():
            _migrate(path, backup_database(path, "before-migration", passphrase), passphrase)
        make_database_private(path)
        engine = _engine(path, passphrase)
        event.listen(engine, "connect", _set_pragmas)
        return cls(path, engine, passphrase)

    @classmethod
    def open_read_only(cls, path: str | Path, passphrase: str | None = None) -> Database:
        """An existing LGF database opened without writing a byte (for ``lgf check``): no creation,
        no upgrade, no backup."""
        path = Path(path)
        if check_openable(path, passphrase):
            raise UserError(f"{path} holds no LGF Desktop database yet.")
        if connections.is_plain(path):
            passphrase = None
        engine = _engine(path, passphrase, read_only=True)
        return cls(path, engine, passphrase)

    @property
    def author(self) -> str:
        """The name documents are written by: the preference 'Your name' only, never the login name
        (an export's author property would otherwise say "root" or a laptop's account)."""
        with self.read() as session:
            return session.scalar(select(Setting.value).where(Setting.key == "user_name")) or ""

    def _load_user(self) -> str:
        with self.read() as session:
            name = session.scalar(select(Setting.value).where(Setting.key == "user_name"))
        return name or getpass.getuser()

    def set_user(self, name: str) -> None:
        """Set the name recorded in the change history (the preference 'Your name')."""
        with self.session() as session:
            setting = session.scalar(select(Setting).where(Setting.key == "user_name"))
            if setting is None:
                session.add(Setting(key="user_name", value=name.strip()))
            else:
                setting.value = name.strip()
        self.user = name.strip() or getpass.getuser()

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
            session.connection().exec_driver_sql("PRAGMA query_only = ON")
            yield session
        finally:
            try:
                session.rollback()
                session.connection().exec_driver_sql("PRAGMA query_only = OFF")
            finally:
                session.close()

    @property
    def journal(self) -> Journal:
        """The recovery journal beside the file: text typed and not yet saved."""
        if self._journal is None:
            key = connections.journal_key(self.path, self._passphrase) if self._passphrase else None
            self._journal = Journal(journal_path(self.path), key)
        return self._journal

    def close(self) -> None:
        """Finish the queued writes, then close every connection and the journal."""
        self.writer.close()
        self.engine.dispose()
        if self._journal is not None:
            self._journal.close()
            self._journal = None


def _engine(path: Path, passphrase: str | None, *, read_only: bool = False, **connect_kwargs) -> Engine:
    """The SQLAlchemy engine over ``connections.connect`` (the driver module named, so SQLAlchemy
    recognises and wraps its exceptions). hide_parameters: an error's text must never carry what a
    person typed (case text)."""
    connect_kwargs.setdefault("check_same_thread", False)
    return create_engine(
        f"sqlite:///{path}", module=connections.driver_module(path, passphrase), hide_parameters=True,
        creator=lambda: connections.connect(path, passphrase, read_only=read_only, **connect_kwargs))


def _file_id(path: Path) -> tuple[int, int] | None:
    try:
        info = os.stat(path)
    except OSError:
        return None
    return (info.st_dev, info.st_ino)


CREATING = ".creating"
STALE_AFTER_S = 600  # a creation takes about a second; an older leftover is from a killed one


def _create(path: Path, passphrase: str | None = None) -> None:
    """Build a new database beside ``path`` and put it in place only once it is complete."""
    for leftover in path.parent.glob(f".{path.name}.*{CREATING}"):
        try:
            if time.time() - leftover.stat().st_mtime > STALE_AFTER_S:
                leftover.unlink()
                Path(f"{leftover}-journal").unlink(missing_ok=True)
        except OSError:
            pass
    fd, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=CREATING, dir=path.parent)
    os.close(fd)
    temp = Path(name)
    try:
        _migrate(temp, passphrase=passphrase)
        fsync_file(temp)
        _put_in_place(temp, path, passphrase)
    finally:
        temp.unlink(missing_ok=True)
        Path(f"{temp}-journal").unlink(missing_ok=True)


def _put_in_place(temp: Path, path: Path, passphrase: str | None = None) -> None:
    try:
        os.link(temp, path)  # unlike a rename, never replaces a database another process just made
    except FileExistsError:
        if not check_openable(path, passphrase):
            return  # someone else's creation won; theirs is complete
        # An empty or half-made file (no row in it): its journal files belong to it, not to ours.
        for suffix in ("-journal", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        os.replace(temp, path)
    except OSError:  # a file system without hard links
        os.replace(temp, path)
    fsync_folder(path.parent)


def _migration_engine(path: Path, passphrase: str | None = None) -> Engine:
    """An engine whose transactions really contain DDL.

    The sqlite3 module, left to itself, opens a transaction only before INSERT/UPDATE/DELETE, so
    CREATE and DROP would commit one by one (a kill or a refusal then leaves half an upgrade).
    With its own transaction handling off, SQLAlchemy's BEGIN holds the whole upgrade (the recipe in
    SQLAlchemy's pysqlite notes). Foreign keys are off because batch migrations recreate tables,
    which would otherwise cascade deletes; the result is checked before committing.
    """
    engine = _engine(path, passphrase)

    @event.listens_for(engine, "connect")
    def _connect(dbapi_connection: sqlite3.Connection, connection_record: object) -> None:
        dbapi_connection.isolation_level = None
        dbapi_connection.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        dbapi_connection.execute("PRAGMA foreign_keys = OFF")

    @event.listens_for(engine, "begin")
    def _begin(connection) -> None:
        connection.exec_driver_sql("BEGIN IMMEDIATE")

    return engine


def _migrate(path: Path, backup: Path | None = None, passphrase: str | None = None) -> None:
    """Upgrade ``path`` to the newest schema in one transaction (``backup``: the copy taken before)."""
    from alembic import command

    engine = _migration_engine(path, passphrase)
    try:
        with engine.begin() as connection:
            config = _alembic_config()
            config.attributes["connection"] = connection
            command.upgrade(config, "head")
            connection.exec_driver_sql(f"PRAGMA application_id = {APPLICATION_ID}")
            problems = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
            if problems:
                kept = f" (a copy from before the attempt is {backup})" if backup else ""
                raise UserError(
                    f"Upgrading {path} found {len(problems)} broken links between records, so the upgrade "
                    f"was not made and nothing was changed{kept}."
                )
    finally:
        engine.dispose()
    conn = connections.connect(path, passphrase)
    try:
        conn.execute("PRAGMA journal_mode = WAL")  # outside any transaction, as SQLite requires
    finally:
        conn.close()
