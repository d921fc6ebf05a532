"""The PostgreSQL backend as the storage boundary sees it: a shared database on a server.

- **Opening.** An empty database (no table in its schema) is made by the migrations; a database holding
  LGF's tables at a revision this version knows is opened, upgraded first when older; anything else —
  another program's tables, or a revision from a newer version — is refused with one sentence and not
  touched. The upgrade runs in one transaction (PostgreSQL's DDL is transactional) holding an advisory
  lock, so two clients starting at once never both upgrade, and a refusal or a dropped connection
  leaves the database as it was.
- **Backups** are the server's job (the IT department's ``pg_dump``, base backups, point-in-time
  recovery): ``OFFERS_BACKUPS`` is False, the start-of-day backup is not taken, and the app offers a
  snapshot to a file (``storage/copying.py``) instead.
- **Changes by other clients**: ``data_version`` reads the cluster's next transaction id, which moves
  whenever any client commits a write (a read-only transaction takes none).
- **Integrity** is the server's (checksums, constraints always enforced): ``lgf check`` runs the
  domain checks only.
"""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import Connection, Engine, create_engine

from ...errors import UserError
from .. import migrating
from ..revisions import known_revisions, lgf_tables, newer_version, schema_head
from . import connections
from .connections import ERRORS  # noqa: F401  (the driver's exceptions, for the boundary)

NAME = "PostgreSQL"
OFFERS_BACKUPS = False
BACKUPS_ARE_THE_SERVERS = ("Backups of a database on a PostgreSQL server are the server's job (ask whoever runs "
                           "it); you can take a snapshot of it to a file at any time.")
_MIGRATION_LOCK = 0x4C474644  # "LGFD": the advisory lock two clients upgrading at once queue on

_TABLES = "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema()"


def _state(location) -> tuple[set[str], str | None]:
    """(the tables in the database's schema, its LGF revision or None)."""
    with connections.connect(location.url, autocommit=True) as conn:
        tables = {row[0] for row in conn.execute(_TABLES)}
        revision = None
        if "alembic_version" in tables:
            row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
            revision = row[0] if row else None
    return tables, revision


def check_openable(location, passphrase: str | None = None) -> bool:
    """Refuse (UserError) a database this version cannot open; True when it is empty (to be made).
    A passphrase is not used: the server protects its database (as a plain file ignores one)."""
    return _refuse_or_revision(location)[0]


def _refuse_or_revision(location) -> tuple[bool, str | None]:
    """(is it empty, its revision) after refusing what this version cannot open — one connection."""
    tables, revision = _state(location)
    if not tables:
        return True, None
    if revision is None or not tables <= lgf_tables():
        raise UserError(f"{location.display} holds another program's tables, not an LGF Desktop database; "
                        "nothing was changed. Point LGF Desktop at an empty database.")
    if revision not in known_revisions():
        raise UserError(newer_version(location.display, revision))
    return False, revision


def prepare(location, passphrase: str | None, backup: bool) -> None:
    """Make or upgrade the database so it can be opened (no backup: the server's job)."""
    empty, revision = _refuse_or_revision(location)
    if empty or revision != schema_head():
        _migrate(location)


def prepare_read_only(location, passphrase: str | None) -> None:
    if check_openable(location, passphrase):
        raise UserError(f"{location.display} holds no LGF Desktop database yet.")


def engine(location, passphrase: str | None = None, *, read_only: bool = False) -> Engine:
    """The engine the open database works through. ``pool_pre_ping``: a connection the server dropped
    (restarted, or idle too long) is replaced before use instead of failing a save.
    hide_parameters: an error's text must never carry what a person typed."""
    url = location.url
    return create_engine("postgresql+psycopg://", creator=lambda: connections.connect(url),
                         pool_pre_ping=True, hide_parameters=True)


def _migrate(location, revision: str = "head") -> None:
    """Create or upgrade the schema in one transaction, queued behind any other client doing the same."""
    engine_ = engine(location)
    try:
        with engine_.begin() as connection:
            connection.exec_driver_sql(f"SELECT pg_advisory_xact_lock({_MIGRATION_LOCK})")
            current = connection.exec_driver_sql(_TABLES).fetchall()
            stored = None
            if ("alembic_version",) in current:
                stored = connection.exec_driver_sql("SELECT version_num FROM alembic_version").scalar()
            if stored != schema_head() or revision != "head":
                migrating.upgrade(connection, revision)
    finally:
        engine_.dispose()


def commit_guard(location) -> Callable[[], None] | None:
    return None  # a server's database does not vanish from under an open handle


def begin_read_only(connection: Connection) -> None:
    # One snapshot for the whole read, as a SQLite read transaction has: a screen (or a copy) reading
    # several tables sees them at one moment even while other clients write.
    connection.exec_driver_sql("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")


def end_read_only(connection: Connection) -> None:
    pass  # ends with its transaction


def backup(location, reason: str, passphrase: str | None):
    """No backup here (the server's job): None, and nothing written."""
    return None


def journal_key(location, passphrase: str | None) -> bytes | None:
    return None  # the journal lives in the user's own (owner-only) data folder


def watch_connection(location, passphrase: str | None):
    return connections.connect(location.url, autocommit=True)


def data_version(connection) -> int:
    """The cluster's next transaction id: moves whenever any client commits a write."""
    return connection.execute("SELECT pg_snapshot_xmax(pg_current_snapshot())::text::bigint").fetchone()[0]


def foreign_key_problems(connection: Connection) -> int:
    return 0  # PostgreSQL enforces every foreign key on every write


def integrity_problems(location, passphrase: str | None = None) -> list[str]:
    return []  # pages and checksums are the server's to check


def change_feed(database, on_change, interval_s: float):
    """Other clients' commits, heard through LISTEN/NOTIFY (``changes.py``)."""
    from .changes import NotifyFeed

    return NotifyFeed(database, on_change, interval_s)


def announce_commits(engine: Engine, client_id: str) -> None:
    """Every transaction that wrote sends a NOTIFY as it commits (``changes.py``)."""
    from .changes import announce_commits as announce

    announce(engine, client_id)
