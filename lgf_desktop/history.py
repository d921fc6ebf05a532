"""The change history, recorded once in the data layer.

A ``before_flush`` listener on every session writes a ``ChangeLog`` row for each inserted or deleted
record and for each changed column of an updated one, with the person's name and login of the session
(``session.info["user"]`` and ``["login"]``, set by the writer from ``identity``). Forms never log
anything themselves.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import event, insert, inspect, select
from sqlalchemy.orm import Session

from .models import Base, ChangeLog, new_uuid, utcnow

_PENDING = "lgf_pending_history"


def _text(value: object) -> str | None:
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.isoformat(sep=" ", timespec="seconds")
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def _columns(obj: Base) -> list[str]:
    ignore = type(obj).__history_ignore__
    return [c.key for c in inspect(type(obj)).column_attrs if c.key not in ignore]


def _entry(session: Session, obj: Base, action: str, **values: str | None) -> dict[str, object]:
    return {
        "uuid": new_uuid(),
        "at": utcnow(),
        "who": session.info.get("user", ""),
        "login": session.info.get("login", ""),
        "action": action,
        "table_name": obj.__tablename__,
        "record_uuid": obj.uuid or "",
        "record_label": obj.history_label()[:200],
        "field": "",
        "old_value": None,
        "new_value": None,
        **values,
    }


@event.listens_for(Session, "before_flush")
def _record_changes(session: Session, flush_context: object, instances: object) -> None:
    entries: list[dict[str, object]] = []
    for obj in session.new:
        if isinstance(obj, Base) and obj.__audited__:
            if obj.uuid is None:
                obj.uuid = new_uuid()  # the insert row must name the record it created
            entries.append(_entry(session, obj, "insert"))
    for obj in session.dirty:
        if not (isinstance(obj, Base) and obj.__audited__) or not session.is_modified(obj):
            continue
        state = inspect(obj)
        for key in _columns(obj):
            hist = state.attrs[key].history
            if not hist.has_changes():
                continue
            old = hist.deleted[0] if hist.deleted else None
            new = hist.added[0] if hist.added else None
            if _text(old) == _text(new):
                continue
            entries.append(_entry(session, obj, "update", field=key, old_value=_text(old), new_value=_text(new)))
    for obj in session.deleted:
        if isinstance(obj, Base) and obj.__audited__:
            entries.append(_entry(session, obj, "delete"))
    if entries:
        session.info.setdefault(_PENDING, []).extend(entries)


@event.listens_for(Session, "after_flush")
def _write_changes(session: Session, flush_context: object) -> None:
    # One executemany on the flush's own connection and transaction: history rows cost little
    # even when a merge changes thousands of answers, and they commit or roll back with them.
    entries = session.info.pop(_PENDING, None)
    if entries:
        session.connection().execute(insert(ChangeLog), entries)


@event.listens_for(Session, "after_rollback")
def _forget_changes(session: Session) -> None:
    session.info.pop(_PENDING, None)


def history_of(session: Session, record: Base) -> list[ChangeLog]:
    """Every recorded change of one record, oldest first."""
    return list(
        session.scalars(
            select(ChangeLog).where(ChangeLog.record_uuid == record.uuid).order_by(ChangeLog.at, ChangeLog.id)
        )
    )
