"""Moving a database between a file and a server: "Copy to a shared database…" (a SQLite file's contents
into an empty PostgreSQL database), "Take a snapshot to a file…" (the reverse, to work offline or to
keep), and ``lgf copy --from PATH|URL --to PATH|URL`` for either.

The target must be empty — a new file, an empty database on the server, or an LGF database holding
no record — and anything else is refused with one sentence before a byte is written. The source is
opened as any command opens it (upgraded first when an older version made it). Every table is copied
in one transaction on the target, in an order that satisfies its foreign keys, as rows (not SQL text),
so each backend stores its own types; the target's ids stay the source's, and a server's id sequences
are moved past them. Before that transaction commits, every table's row count on the target is
compared with the source's: a difference rolls everything back and nothing is kept.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import Connection, func, select, text

from .db import Database
from .errors import UserError
from .models import Base
from .storage import Location
from .storage.faults import describe_fault

BATCH = 2000


@dataclass
class Copied:
    source: str
    target: str
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def rows(self) -> int:
        return sum(self.counts.values())

    def sentence(self) -> str:
        return (f"Copied {self.rows} records in {len(self.counts)} tables from {self.source} to {self.target}; "
                "every table's count was checked on both sides.")


def _target_is_empty(location: Location, passphrase: str | None) -> bool:
    """True for a target that may be copied into (see the module docstring), without writing to it."""
    from .storage import backend

    if not location.is_server and (not location.path.exists() or location.path.stat().st_size == 0):
        return True
    if backend(location).check_openable(location, passphrase):
        return True  # empty, or made and not yet holding anything
    db = Database.open_read_only(location, passphrase)
    try:
        with db.read() as session:
            return all(session.execute(select(table).limit(1)).first() is None for table in Base.metadata.sorted_tables)
    finally:
        db.close()


def counts(connection: Connection) -> dict[str, int]:
    """Rows per LGF table, read on ``connection``."""
    return {table.name: connection.execute(select(func.count()).select_from(table)).scalar_one()
            for table in Base.metadata.sorted_tables}


def copy_database(source: str | Path | Location | Database, target: str | Path | Location, *,
                  source_passphrase: str | None = None, target_passphrase: str | None = None) -> Copied:
    """Copy everything from ``source`` (a location, or a database already open: the window's own)
    into the empty ``target``; returns what was copied."""
    opened = source if isinstance(source, Database) else None
    source = opened.location if opened is not None else Location.parse(source)
    target = Location.parse(target)
    if source.display == target.display or (not source.is_server and not target.is_server
                                            and source.path.resolve() == target.path.resolve()):
        raise UserError("The source and the target are the same database; nothing was copied.")
    try:
        if not _target_is_empty(target, target_passphrase):
            raise UserError(f"{target} already holds records, so nothing was copied into it; copy into a new file "
                            "or an empty database (ask whoever runs the server for one).")
        origin = opened or Database.open(source, passphrase=source_passphrase)
        try:
            destination = Database.open(target, passphrase=target_passphrase)
            try:
                return _copy(origin, destination)
            finally:
                destination.close()
        finally:
            if opened is None:
                origin.close()
    except UserError:
        raise
    except Exception as exc:
        sentence = describe_fault(exc, target) or describe_fault(exc, source)
        if sentence is None:
            raise
        raise UserError(sentence) from exc


def _copy(origin: Database, destination: Database) -> Copied:
    report = Copied(origin.location.display, destination.location.display)
    origin.writer.flush()
    with origin.read() as reading, destination.writer.turn():
        read = reading.connection()
        write = destination.writer.connection
        with write.begin():
            for table in reversed(Base.metadata.sorted_tables):  # anything the migrations put there
                write.execute(table.delete())
            for table in Base.metadata.sorted_tables:
                result = read.execute(select(table).order_by(*table.primary_key.columns))
                while rows := result.mappings().fetchmany(BATCH):
                    write.execute(table.insert(), [dict(row) for row in rows])
            if write.dialect.name == "postgresql":
                _move_sequences_past_the_ids(write)
            expected, found = counts(read), counts(write)
            if expected != found:
                differing = [name for name in expected if expected[name] != found.get(name)]
                raise UserError(f"The copy to {destination.location} did not hold the same number of records as "
                                f"{origin.location} (in {', '.join(differing)}), so it was not kept; nothing was "
                                "changed.")
    report.counts = found
    return report


def _move_sequences_past_the_ids(connection: Connection) -> None:
    """Copied rows keep their ids; the server's sequences must hand out the next ones after them."""
    for table in Base.metadata.sorted_tables:
        column = table.c.get("id")
        if column is None or not column.autoincrement or column.primary_key is False:
            continue
        connection.execute(text(
            f"SELECT setval(pg_get_serial_sequence(:table, 'id'), COALESCE(MAX(id), 0) + 1, false) "
            f'FROM "{table.name}"'), {"table": table.name})
