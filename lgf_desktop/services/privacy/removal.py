""""Remove everywhere": take a flagged value (a child's name, an NHS number …) out of every text in the
database — the records *and* the change history — and out of the file's free space, then say which
backups still hold it (and, if asked, scrub those too).

Deleting a sentence in a form is not enough: the change history keeps the old text, SQLite keeps old
page images in the ``-wal`` file and deleted cells in free pages. So the replacement runs as plain SQL
(no history listener copies the old value again) with ``secure_delete`` on, then the WAL is
checkpointed and truncated and the file is VACUUMed, which rewrites every page. The removal itself
is recorded in the history — that something was removed, and how many places, never the value.

On a PostgreSQL server the replacement is the same (one transaction, plain SQL, the removal recorded);
the old row versions are the server's to clear (``VACUUM``, run by its autovacuum), as are its
backups and WAL archive, and the sentence says so.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import String, Text, func, select, update

from ...storage.sqlite.backups import list_backups
from ...storage.sqlite.connections import ERRORS, OPERATIONAL_ERRORS, is_plain
from ...errors import UserError
from ...models import Base, ChangeLog, new_uuid, utcnow
from ...private_files import make_private
from .leaving import Place

if TYPE_CHECKING:
    from ...db import Database

REPLACEMENT = "[removed]"
MIN_LENGTH = 3  # removing "a" or "12" everywhere would wreck every text


@dataclass
class Removal:
    records: int = 0          # text fields changed in the records
    history: int = 0          # change-history fields changed
    backups_holding: list[Path] = field(default_factory=list)

    on_server: bool = False

    def sentence(self) -> str:
        counted = (f"Removed from {self.records} field{'s' if self.records != 1 else ''} and "
                   f"{self.history} change-history entr{'ies' if self.history != 1 else 'y'}")
        if self.on_server:
            return (f"{counted}. Old copies on the server (row versions until it vacuums them, its backups and "
                    "logs) are the server's to clear: tell whoever runs it.")
        done = f"{counted}; the database file was rewritten so no copy is left in it."
        if self.backups_holding:
            names = ", ".join(p.name for p in self.backups_holding)
            return f"{done} {len(self.backups_holding)} backup(s) still hold it: {names}."
        return f"{done} No backup holds it."


def text_columns() -> list[tuple[str, str]]:
    """Every (table, column) that can hold typed text: string columns other than ids and keys."""
    found = []
    for table in Base.metadata.sorted_tables:
        for column in table.columns:
            if isinstance(column.type, (String, Text)) and column.name != "uuid" and not column.name.endswith("_uuid"):
                found.append((table.name, column.name))
    return found


def _quoted(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _check(value: str) -> str:
    value = value.strip()
    if len(value) < MIN_LENGTH:
        raise UserError(f"Give at least {MIN_LENGTH} characters to remove; a shorter text would change far too much.")
    return value


def _holds(session, column, value: str):
    """``column`` contains ``value``, case and all (SQLite's instr, PostgreSQL's strpos; LIKE would
    ignore case in SQLite and treat % and _ as wildcards)."""
    find = func.strpos if session.get_bind().dialect.name == "postgresql" else func.instr
    return find(column, value) > 0


def places_holding(session, value: str) -> list[Place]:
    """Every record whose text holds ``value`` (the history aside): where "go to" can take the person."""
    value = _check(value)
    places = []
    for table_name, column_name in text_columns():
        if table_name == ChangeLog.__tablename__:
            continue
        table = Base.metadata.tables[table_name]
        rows = session.execute(select(table.c.uuid).where(_holds(session, table.c[column_name], value))).all()
        places += [Place(f"{table_name.replace('_', ' ')} {column_name.replace('_', ' ')}", table_name, row[0],
                         column_name) for row in rows]
    return places


def _remove_on_server(db: Database, value: str, who: str, kind: str) -> Removal:
    records = history = 0
    with db.session() as session:
        for table_name, column_name in text_columns():
            table = Base.metadata.tables[table_name]
            column = table.c[column_name]
            changed = session.execute(update(table).where(_holds(session, column, value))
                                      .values({column_name: func.replace(column, value, REPLACEMENT)})).rowcount
            if table_name == ChangeLog.__tablename__:
                history += changed
            else:
                records += changed
        session.execute(ChangeLog.__table__.insert().values(
            uuid=new_uuid(), at=utcnow(), who=who or db.user, action="redact", table_name="", record_uuid="",
            record_label="Remove everywhere", field="", old_value=None,
            new_value=f"A {kind} was removed from {records} field(s) and {history} change-history entr(ies)."))
    return Removal(records, history, [], on_server=True)


def _replace_in(connection, value: str) -> tuple[int, int]:
    records = history = 0
    for table, column in text_columns():
        exists = connection.execute("SELECT 1 FROM sqlite_master WHERE type='table' AND name=?", (table,)).fetchone()
        if not exists:
            continue
        changed = connection.execute(
            f"UPDATE {_quoted(table)} SET {_quoted(column)} = replace({_quoted(column)}, ?, ?) "
            f"WHERE instr({_quoted(column)}, ?) > 0", (value, REPLACEMENT, value)).rowcount
        if table == ChangeLog.__tablename__:
            history += changed
        else:
            records += changed
    return records, history


def _rewrite(connection) -> None:
    """No old copy left: WAL checkpointed and emptied, free pages gone, every page rewritten."""
    connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    connection.execute("VACUUM")
    connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")


def file_holds(path: Path, value: str) -> bool:
    """True when the bytes of ``path`` (or its ``-wal``) hold ``value`` as UTF-8."""
    needle = value.encode("utf-8")
    for candidate in (path, Path(f"{path}-wal")):
        try:
            if needle in candidate.read_bytes():
                return True
        except FileNotFoundError:
            continue
    return False


def backup_holds(db: Database, backup: Path, value: str) -> bool:
    """True when ``backup`` holds ``value``: its bytes when it is plain, its text fields read through
    the database's key when it is encrypted (its bytes say nothing then)."""
    if is_plain(backup):
        return file_holds(backup, value)
    connection = db.connect_copy(backup, read_only=True)
    try:
        for table, column in text_columns():
            if connection.execute("SELECT 1 FROM sqlite_master WHERE type='table' AND name=?", (table,)).fetchone() \
                    and connection.execute(f"SELECT 1 FROM {_quoted(table)} WHERE instr({_quoted(column)}, ?) > 0 "
                                           "LIMIT 1", (value,)).fetchone():
                return True
        return False
    finally:
        connection.close()


def remove_everywhere(db: Database, value: str, *, who: str = "", kind: str = "identifying data") -> Removal:
    """Replace ``value`` with "[removed]" in every record and history entry of ``db`` (a ``Database``)
    and rewrite the file; returns what was done and which backups still hold it."""
    value = _check(value)
    if db.is_server:
        return _remove_on_server(db, value, who, kind)
    raw = db.engine.raw_connection()
    try:
        connection = raw.driver_connection
        connection.execute("PRAGMA secure_delete = ON")
        connection.execute("BEGIN IMMEDIATE")
        try:
            records, history = _replace_in(connection, value)
            connection.execute(
                "INSERT INTO change_log (uuid, at, who, action, table_name, record_uuid, record_label, field, "
                "old_value, new_value) VALUES (?, ?, ?, 'redact', '', '', ?, '', NULL, ?)",
                (new_uuid(), utcnow().isoformat(sep=" "), who or db.user, "Remove everywhere",
                 f"A {kind} was removed from {records} field(s) and {history} change-history entr(ies)."))
            connection.execute("COMMIT")
        except BaseException:
            connection.execute("ROLLBACK")
            raise
    finally:
        raw.close()
    db.engine.dispose()  # no pooled connection may hold a read snapshot while the file is rewritten
    raw = db.engine.raw_connection()
    try:
        _rewrite(raw.driver_connection)
    except OPERATIONAL_ERRORS:
        raise UserError(f"“[removed]” replaced it in {records} field(s) and {history} change-history entries, but "
                        "the file could not be rewritten now because another window or program is reading it: "
                        "close the others and run Remove everywhere again to clear the old copies.") from None
    finally:
        raw.close()
    make_private(db.path)
    return Removal(records, history, [b for b in list_backups(db.path) if backup_holds(db, b, value)])


def scrub_backups(db, backups: list[Path], value: str) -> int:
    """Remove ``value`` from each backup file of ``db`` the same way; returns how many were scrubbed."""
    value = _check(value)
    done = 0
    for backup in backups:
        connection = db.connect_copy(backup, isolation_level=None)
        try:
            connection.execute("PRAGMA secure_delete = ON")
            connection.execute("BEGIN IMMEDIATE")
            _replace_in(connection, value)
            connection.execute("COMMIT")
            connection.execute("VACUUM")
        except ERRORS as exc:
            raise UserError(f"The backup {backup.name} could not be cleaned: {exc}.") from None
        finally:
            connection.close()
        make_private(backup)
        done += 1
    return done
