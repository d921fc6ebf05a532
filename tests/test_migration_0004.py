"""Migration 0004: grades and case summaries keep their merge state when ``base_version`` becomes each
side's own revision; notes gain their identity. Down and up again keeps every answer."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from sqlalchemy import create_engine, text

from lgf_desktop.db import Database, _alembic_config

from audit_helpers import make_audit


def _migrate(path: Path, action, revision: str) -> None:
    engine = create_engine(f"sqlite:///{path}")
    with engine.begin() as connection:
        config = _alembic_config()
        config.attributes["connection"] = connection
        action(config, revision)
    engine.dispose()


def test_old_versions_become_each_sides_revisions(tmp_path: Path) -> None:
    path = tmp_path / "lgf.sqlite3"
    db = Database.open(path)
    make_audit(db)
    db.close()
    _migrate(path, command.downgrade, "0002")
    engine = create_engine(f"sqlite:///{path}")
    with engine.begin() as connection:
        grades = [row[0] for row in connection.execute(text("SELECT id FROM grade ORDER BY id"))]
        # the coordinator changed the first answer since the auditor's version 3; the second is agreed at 4
        connection.execute(text("UPDATE grade SET version = 5, base_version = 3, evidence = 'kept' WHERE id = :id"),
                           {"id": grades[0]})
        connection.execute(text("UPDATE grade SET version = 4, base_version = 4 WHERE id = :id"), {"id": grades[1]})
    engine.dispose()
    _migrate(path, command.upgrade, "head")
    engine = create_engine(f"sqlite:///{path}")
    with engine.begin() as connection:
        rows = {row.id: row for row in connection.execute(
            text("SELECT id, evidence, coordinator_rev, auditor_rev, agreed_rev FROM grade"))}
        columns = {row[1] for row in connection.execute(text("PRAGMA table_info('grade')"))}
        note_columns = {row[1] for row in connection.execute(text("PRAGMA table_info('note_contribution')"))}
    engine.dispose()
    assert len(rows) == len(grades)
    first, second = rows[grades[0]], rows[grades[1]]
    assert (first.evidence, first.coordinator_rev, first.auditor_rev) == ("kept", 5, 3)
    assert first.agreed_rev != first.coordinator_rev  # still changed here: a differing return is a conflict
    assert (second.coordinator_rev, second.auditor_rev, second.agreed_rev) == (4, 4, 4)
    assert "base_version" not in columns and {"note_uuid", "written_at"} <= note_columns
