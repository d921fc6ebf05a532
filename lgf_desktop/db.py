"""Opening an LGF database: refusing foreign files untouched, migrating, and handing out sessions.

Every connection sets foreign keys on, WAL journal, ``synchronous=FULL`` and a busy timeout. The
schema is created and upgraded by the Alembic migrations in ``lgf_desktop/migrations``; a database is
backed up before any migration touches it. Once open, every write goes through the one writer
(``lgf_desktop/writer.py``): ``session()`` takes its turn on the writer's connection, ``write(fn)``
queues ``fn(session)`` without waiting; ``read()`` is a read-only session on a connection of its own.
"""

from __future__ import annotations

import getpass
import sqlite3
from collections.abc import Callable, Iterator
from concurrent.futures import Future
from contextlib import contextmanager
from pathlib import Path
from typing import TypeVar

from sqlalchemy import Engine, create_engine, event, select
from sqlalchemy.orm import Session, sessionmaker

from . import history  # noqa: F401  (registers the change-history listener)
from .errors import UserError
from .journal import Journal, journal_path
from .models import Setting
from .writer import Writer
from .schema_check import (  # noqa: F401  (re-exported: the refusals live there, free of SQLAlchemy)
    APPLICATION_ID, BUSY_TIMEOUT_MS, SQLITE_MAGIC, check_openable, known_revisions, schema_head, stored_revision,
)

T = TypeVar("T")
MIGRATIONS = Path(__file__).resolve().parent / "migrations"


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

    def __init__(self, path: Path, engine: Engine) -> None:
        self.path = path
        self.engine = engine
        self._sessions = sessionmaker(engine, expire_on_commit=False)
        self.user = ""
        self._journal: Journal | None = None
        self.writer = Writer(engine, lambda: self.user)
        self.user = self._load_user()

    @classmethod
    def open(cls, path: str | Path, *, backup: bool = False) -> Database:
        """Open (creating or upgrading) the database at ``path``; raises UserError on a foreign file.

        ``backup`` takes a start-of-day backup first (the GUI does, at each start).
        """
        from .backups import backup_database

        path = Path(path)
        is_new = check_openable(path)
        if not is_new and backup:
            backup_database(path, "start")
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise UserError(f"The folder {path.parent} cannot be created: {exc.strerror}.") from exc
        if is_new or stored_revision(path) != schema_head():
            if not is_new:
                backup_database(path, "before-migration")
            _migrate(path)
        engine = create_engine(f"sqlite:///{path}", connect_args={"check_same_thread": False})
        event.listen(engine, "connect", _set_pragmas)
        return cls(path, engine)

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
            self._journal = Journal(journal_path(self.path))
        return self._journal

    def close(self) -> None:
        """Finish the queued writes, then close every connection and the journal."""
        self.writer.close()
        self.engine.dispose()
        if self._journal is not None:
            self._journal.close()
            self._journal = None


def _migrate(path: Path) -> None:
    # Foreign keys off while migrating: SQLite batch migrations recreate tables, which would
    # otherwise cascade deletes. The result is checked afterwards.
    from alembic import command

    engine = create_engine(f"sqlite:///{path}")
    try:
        with engine.begin() as connection:
            connection.exec_driver_sql("PRAGMA foreign_keys = OFF")
            config = _alembic_config()
            config.attributes["connection"] = connection
            command.upgrade(config, "head")
            connection.exec_driver_sql(f"PRAGMA application_id = {APPLICATION_ID}")
            problems = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
            if problems:
                raise UserError(f"Upgrading {path} found {len(problems)} broken links; the upgrade was undone.")
        with engine.connect() as connection:
            connection.exec_driver_sql("PRAGMA journal_mode = WAL")
    finally:
        engine.dispose()
