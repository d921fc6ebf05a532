"""Opening an LGF database: refusing foreign files untouched, migrating, and handing out sessions.

Every connection sets foreign keys on, WAL journal, ``synchronous=FULL`` and a busy timeout. The
schema is created and upgraded by the Alembic migrations in ``lgf_desktop/migrations``; a database is
backed up before any migration touches it.
"""

from __future__ import annotations

import getpass
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import Engine, create_engine, event, select
from sqlalchemy.orm import Session, sessionmaker

from . import history  # noqa: F401  (registers the change-history listener)
from .errors import UserError
from .models import Setting
from .private_files import make_database_private, private_folder
from .schema_check import (  # noqa: F401  (re-exported: the refusals live there, free of SQLAlchemy)
    APPLICATION_ID, BUSY_TIMEOUT_MS, SQLITE_MAGIC, check_openable, known_revisions, schema_head, stored_revision,
)

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
            private_folder(path.parent)
            make_database_private(path)
        except OSError as exc:
            raise UserError(f"The folder {path.parent} cannot be created: {exc.strerror}.") from exc
        if is_new or stored_revision(path) != schema_head():
            if not is_new:
                backup_database(path, "before-migration")
            _migrate(path)
        # hide_parameters: an SQL error's message must not carry the case text being saved.
        engine = create_engine(f"sqlite:///{path}", connect_args={"check_same_thread": False}, hide_parameters=True)
        event.listen(engine, "connect", _set_pragmas)
        return cls(path, engine)

    def _load_user(self) -> str:
        with self._sessions() as session:
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
        """A session the caller commits and closes (for long-lived screens)."""
        session = self._sessions()
        session.info["user"] = self.user
        return session

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A session for one user action: committed on success, rolled back on error."""
        session = self.new_session()
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise
        finally:
            session.close()

    def close(self) -> None:
        self.engine.dispose()


def _migrate(path: Path) -> None:
    # Foreign keys off while migrating: SQLite batch migrations recreate tables, which would
    # otherwise cascade deletes. The result is checked afterwards.
    from alembic import command

    engine = create_engine(f"sqlite:///{path}", hide_parameters=True)
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
