"""Deleting a record with everything that hangs from it, and bringing it all back (no Qt).

What "hangs from" a record is read from the schema, not written per table: every row whose foreign
key points at a deleted row with ``ON DELETE CASCADE`` goes too (recursively), and every foreign key
with ``ON DELETE SET NULL`` is cleared. A ``Snapshot`` keeps those rows as plain column dicts with
their ids and uuids, and which links were cleared, so ``restore`` puts back exactly what was there.
A row still needed elsewhere (a foreign key with no delete rule, such as a review's organisation)
makes the delete refuse with a plain sentence. Deletes and restores go through the ORM, so the
change history records each of them.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Table, inspect, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from ..errors import UserError
from ..models import Base

TABLE_WORDS = {
    "review": "review", "response": "response", "recommendation": "recommendation", "theme": "theme",
    "question": "question", "panel_member": "panel member", "representative": "representative",
    "contact_attempt": "contact attempt", "progress_note": "progress note", "note_contribution": "panel note",
}


@dataclass
class Snapshot:
    """Everything one delete removed: rows in insertion order and the links it cleared."""

    label: str
    rows: list[tuple[str, dict[str, Any]]] = field(default_factory=list)  # (table, column values)
    # (table, row id, column, old id, values of columns the ORM changes on update, e.g. updated_at)
    cleared: list[tuple[str, int, str, int, dict[str, Any]]] = field(default_factory=list)

    def counts(self) -> Counter[str]:
        return Counter(table for table, _ in self.rows[1:]) if self.rows else Counter()

    def summary(self) -> str:
        """'2 reviews, 36 responses' — what goes with the record itself (empty when nothing)."""
        parts = []
        for table, n in sorted(self.counts().items(), key=lambda kv: -kv[1]):
            if table in TABLE_WORDS:
                word = TABLE_WORDS[table]
                parts.append(f"{n} {word}{'' if n == 1 else 's'}")
        return ", ".join(parts)


def _mapper_for(table: str) -> type[Base]:
    for mapper in Base.registry.mappers:
        if mapper.local_table.name == table:
            return mapper.class_
    raise KeyError(table)


def _incoming(table: Table) -> list[tuple[Table, Any, str]]:
    """(child table, foreign-key column, ondelete rule) for every key pointing at ``table``."""
    found = []
    for child in Base.metadata.sorted_tables:
        for fk in child.foreign_keys:
            if fk.column.table is table:
                found.append((child, fk.parent, (fk.ondelete or "").upper()))
    return found


def _column_dict(session: Session, table: Table, row_id: int) -> dict[str, Any]:
    row = session.execute(select(table).where(table.c.id == row_id)).mappings().one()
    return dict(row)


def _label(record: Base) -> str:
    name = record.history_label()
    word = record.__tablename__.replace("_", " ")
    return name if name.lower().startswith(word) else f"{word} {name}"


def snapshot(session: Session, model: type[Base], record_id: int) -> Snapshot:
    """Read (without changing anything) what deleting the record would remove."""
    session.flush()
    record = session.get(model, record_id)
    if record is None:
        raise UserError(f"That {model.__tablename__.replace('_', ' ')} no longer exists.")
    snap = Snapshot(label=_label(record))
    seen: set[tuple[str, int]] = set()
    order = {t.name: i for i, t in enumerate(Base.metadata.sorted_tables)}

    def visit(table: Table, row_id: int) -> None:
        if (table.name, row_id) in seen:
            return
        seen.add((table.name, row_id))
        snap.rows.append((table.name, _column_dict(session, table, row_id)))
        for child, column, rule in _incoming(table):
            ids = session.scalars(select(child.c.id).where(column == row_id)).all()
            if not ids:
                continue
            if rule == "CASCADE":
                for child_id in ids:
                    visit(child, child_id)
            elif rule == "SET NULL":
                # Bookkeeping the relink must not move: onupdate stamps, and the record version
                # (undo puts the link back exactly; the recorded text never changed).
                kept = [c for c in child.columns if c.onupdate is not None or c.name == "version"]
                for child_id in ids:
                    values = session.execute(select(*kept).where(child.c.id == child_id)).mappings().one() if kept else {}
                    snap.cleared.append((child.name, child_id, column.name, row_id, dict(values)))
            else:
                holder = session.get(_mapper_for(child.name), ids[0])
                raise UserError(
                    f"{_label(record).capitalize()} cannot be deleted while {_label(holder)} still refers to it; "
                    "delete or change that first."
                )

    visit(model.__table__, record_id)
    first, rest = snap.rows[0], snap.rows[1:]
    rest.sort(key=lambda item: order[item[0]])  # parents before children, for restoring
    snap.rows = [first, *rest]
    # A cleared link inside the deleted rows is restored with them, not separately.
    snap.cleared = [c for c in snap.cleared if (c[0], c[1]) not in seen]
    return snap


def delete(session: Session, model: type[Base], record_id: int) -> Snapshot:
    """Delete the record and everything that cascades from it; returns the snapshot to restore."""
    snap = snapshot(session, model, record_id)
    session.expire_all()  # no loaded collection may still hold a row deleted below
    for table, row_id, column, _old, _kept in snap.cleared:
        cls = _mapper_for(table)
        obj = session.get(cls, row_id)
        setattr(obj, _key(cls, column), None)
    session.flush()
    for table, values in reversed(snap.rows):  # children first
        obj = session.get(_mapper_for(table), values["id"])
        if obj is not None:  # an ORM cascade may already have taken it
            session.delete(obj)
            session.flush()
    return snap


def _key(cls: type[Base], column_name: str) -> str:
    return next(attr.key for attr in inspect(cls).column_attrs if attr.columns[0].name == column_name)


def restore(session: Session, snap: Snapshot) -> None:
    """Put back every row of a snapshot with its ids and uuids, and re-link what was cleared."""
    first_table, first_values = snap.rows[0]
    cls = _mapper_for(first_table)
    if session.scalar(select(cls.id).where(cls.uuid == first_values["uuid"])) is not None:
        raise UserError(f"{snap.label.capitalize()} is already back.")
    try:
        for table, values in sorted(snap.rows, key=lambda item: _order(item[0])):
            cls = _mapper_for(table)
            if session.get(cls, values["id"]) is not None:
                raise UserError(
                    f"{snap.label.capitalize()} cannot be brought back: something added since has taken its place."
                )
            session.add(cls(**{_key(cls, name): value for name, value in values.items()}))
            session.flush()  # one row at a time: SQLite checks foreign keys immediately
        for table, row_id, column, old_id, kept in snap.cleared:
            cls = _mapper_for(table)
            obj = session.get(cls, row_id)
            if obj is not None and getattr(obj, _key(cls, column)) is None:
                setattr(obj, _key(cls, column), old_id)
                for name, value in kept.items():  # set explicitly, so onupdate leaves them as they were
                    setattr(obj, _key(cls, name), value)
        session.flush()
    except IntegrityError as exc:
        raise UserError(
            f"{snap.label.capitalize()} cannot be brought back: what it belonged to has been deleted since."
        ) from exc


def _order(table: str) -> int:
    return next(i for i, t in enumerate(Base.metadata.sorted_tables) if t.name == table)
