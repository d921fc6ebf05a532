"""The SQLite backend as the storage boundary sees it: one database file, plain or encrypted.

Every connection sets foreign keys on, WAL journal, ``synchronous=FULL`` and a busy timeout. Creating
and upgrading are all-or-nothing. An upgrade runs in one SQLite transaction (DDL included) with its
``alembic_version`` change and the foreign-key check, so a refusal or a kill leaves the file as it
was; a backup is taken first. A new database is built in a temporary file beside the target and
linked into place only when complete, so a kill leaves either no database or a whole one.
"""

from __future__ import annotations

import os
import sqlite3
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from sqlalchemy import Connection, Engine, create_engine, event

from ...atomic import fsync_file, fsync_folder
from ...errors import UserError
from ...private_files import make_database_private, private_folder
from .. import migrating
from . import connections
from .connections import ERRORS  # noqa: F401  (the driver's exceptions, for the boundary)
from .schema_check import APPLICATION_ID, BUSY_TIMEOUT_MS, check_openable as _check_file, schema_head, stored_revision

NAME = "SQLite"
OFFERS_BACKUPS = True


def check_openable(location, passphrase: str | None = None) -> bool:
    """Refuse (UserError) a file this version cannot open; True when it is to be created."""
    return _check_file(location.path, passphrase)


def prepare(location, passphrase: str | None, backup: bool) -> str | None:
    """Create or upgrade the file so it can be opened; returns the passphrase it opens with (None for a
    plain file, whatever was typed). ``backup`` takes a start-of-day backup first."""
    from .backups import backup_database

    path = location.path
    is_new = _check_file(path, passphrase)
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
    return passphrase


def prepare_read_only(location, passphrase: str | None) -> str | None:
    """Check an existing database for opening without writing a byte; the passphrase it opens with."""
    if _check_file(location.path, passphrase):
        raise UserError(f"{location.path} holds no LGF Desktop database yet.")
    return None if connections.is_plain(location.path) else passphrase


def _set_pragmas(dbapi_connection: sqlite3.Connection, connection_record: object) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA foreign_keys = ON")
    cursor.execute("PRAGMA journal_mode = WAL")
    cursor.execute("PRAGMA synchronous = FULL")
    cursor.close()


def engine(location, passphrase: str | None, *, read_only: bool = False) -> Engine:
    """The engine the open database works through (pragmas set on every connection)."""
    result = _engine(location.path, passphrase, read_only=read_only)
    if not read_only:
        event.listen(result, "connect", _set_pragmas)
    return result


def _engine(path: Path, passphrase: str | None, *, read_only: bool = False, **connect_kwargs) -> Engine:
    """The SQLAlchemy engine over ``connections.connect`` (the driver module named, so SQLAlchemy
    recognises and wraps its exceptions). hide_parameters: an error's text must never carry what a
    person typed (case text)."""
    connect_kwargs.setdefault("check_same_thread", False)
    return create_engine(
        f"sqlite:///{path}", module=connections.driver_module(path, passphrase), hide_parameters=True,
        creator=lambda: connections.connect(path, passphrase, read_only=read_only, **connect_kwargs))


def commit_guard(location) -> Callable[[], None]:
    """A check run before every commit: SQLite goes on writing to a file deleted or moved away under
    it (the open handle keeps the old inode alive) and every later change would be lost without a
    word, so such a commit is refused instead."""
    path = location.path
    opened = connections.file_id(path)

    def still_there() -> None:
        if connections.file_id(path) != opened:
            raise UserError(f"{path} is no longer there (moved, renamed or deleted while open), so this "
                            "change was not saved; put the file back or restart LGF Desktop.")

    return still_there


def begin_read_only(connection: Connection) -> None:
    connection.exec_driver_sql("PRAGMA query_only = ON")


def end_read_only(connection: Connection) -> None:
    connection.exec_driver_sql("PRAGMA query_only = OFF")


def backup(location, reason: str, passphrase: str | None) -> Path:
    """A checked backup of the file in ``backups/``, encrypted as the file is."""
    from .backups import backup_database

    return backup_database(location.path, reason, passphrase)


def journal_key(location, passphrase: str | None) -> bytes | None:
    """The key sealing the recovery journal (None: lines in clear, beside a plain file)."""
    return connections.journal_key(location.path, passphrase) if passphrase else None


def watch_connection(location, passphrase: str | None):
    """A driver connection of its own for the data watcher (read-only, no transaction held)."""
    return connections.connect(location.path, passphrase, read_only=True, check_same_thread=False,
                               isolation_level=None)


def data_version(connection) -> int:
    """A number that moves whenever another connection commits (``PRAGMA data_version``)."""
    return connection.execute("PRAGMA data_version").fetchone()[0]


def foreign_key_problems(connection: Connection) -> int:
    """Rows pointing at records that no longer exist."""
    return len(connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall())


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
        if not _check_file(path, passphrase):
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


def _migrate(path: Path, backup: Path | None = None, passphrase: str | None = None, revision: str = "head") -> None:
    """Upgrade ``path`` to the newest schema (or ``revision``) in one transaction (``backup``: the copy
    taken before)."""
    engine = _migration_engine(path, passphrase)
    try:
        with engine.begin() as connection:
            migrating.upgrade(connection, revision)
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


def integrity_problems(location, passphrase: str | None = None) -> list[str]:
    """What SQLite's integrity check says is wrong with the file (empty when it is intact)."""
    from .backups import integrity_problems as problems

    return problems(location.path, passphrase)


def change_feed(database, on_change, interval_s: float):
    """Other connections' commits, seen as ``PRAGMA data_version`` moves."""
    from ..change_feed import DataVersionFeed

    return DataVersionFeed(database, on_change, interval_s)


def announce_commits(engine: Engine, client_id: str) -> None:
    """Nothing to send: a file's readers see ``data_version`` move."""
