"""The autosave's fixed statements (``storage.fixed_statements``) store and read exactly what the ORM
does, on a file (the driver's cursor) and on a server (through SQLAlchemy): a date with no
microseconds, a true/false column, the count of rows changed; and a driver's error is the driver's,
which the fault sentences read."""

from __future__ import annotations

import sqlite3
from datetime import datetime

import pytest
from sqlalchemy import Boolean, DateTime, Integer, String, select, text

from lgf_desktop.models import ChangeLog
from lgf_desktop.storage.faults import describe_fault
from lgf_desktop.storage.fixed_statements import FixedStatement

_SET_AT = FixedStatement("UPDATE change_log SET at = :when WHERE id = :id", types={"when": DateTime})
_READ = FixedStatement("SELECT id, who, at, at > :since AS recent FROM change_log WHERE id = :id",
                       types={"since": DateTime},
                       columns=(("id", Integer), ("who", String), ("at", DateTime), ("recent", Boolean)))


def entry(who: str) -> ChangeLog:
    return ChangeLog(who=who, action="update", table_name="round", record_uuid="r", record_label="", field="label")


def test_a_date_is_stored_as_the_orm_stores_it_and_read_back_typed(db) -> None:
    on_the_hour = datetime(2026, 12, 2, 9, 0, 0)  # no microseconds: the driver's own adapter would drop them
    with db.session() as s:
        ours, theirs = entry("Ours"), entry("Theirs")
        s.add_all([ours, theirs])
        s.flush()
        ours_id, theirs_id = ours.id, theirs.id
    with db.session() as s:
        changed = _SET_AT.run(s.connection(), {"when": on_the_hour, "id": ours_id})
        assert changed.rowcount == 1 and changed.rows == []
        s.get(ChangeLog, theirs_id).at = on_the_hour  # the same date, through the ORM
    with db.read() as s:
        stored = dict(s.execute(text("SELECT who, CAST(at AS TEXT) FROM change_log "
                                     "WHERE who IN ('Ours', 'Theirs')")).all())
        assert stored["Ours"] == stored["Theirs"]
        assert s.scalar(select(ChangeLog.at).where(ChangeLog.id == ours_id)) == on_the_hour
    with db.session() as s:
        row = _READ.run(s.connection(), {"id": ours_id, "since": datetime(2026, 1, 1)}).first()
        assert row == (ours_id, "Ours", on_the_hour, True)
        assert _READ.run(s.connection(), {"id": ours_id, "since": datetime(2027, 1, 1)}).first()[3] is False
        assert _READ.run(s.connection(), {"id": -1, "since": on_the_hour}).first() is None
        assert _SET_AT.run(s.connection(), {"when": on_the_hour, "id": -1}).rowcount == 0


@pytest.mark.sqlite_only
def test_a_driver_error_is_read_as_the_fault_it_is(db, tmp_path) -> None:
    """On a file the statement runs on the driver's cursor: a read-only file's refusal arrives as the
    driver's error, and the fault sentence names the cause without any of the text."""
    refused = FixedStatement("UPDATE change_log SET new_value = :text")
    with db.session() as s:
        s.add(entry("Sam"))
    with pytest.raises(sqlite3.Error) as raised, db.read() as s:  # a read-only connection
        refused.run(s.connection(), {"text": "Typed by the chair"})
    assert "Typed by the chair" not in str(raised.value)
    sentence = describe_fault(raised.value, db.path)
    assert sentence is None or "Typed by the chair" not in sentence
