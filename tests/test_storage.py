"""Opening, creating, migrating and refusing database files."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import text

from lgf_desktop.db import APPLICATION_ID, Database, head_revision
from lgf_desktop.errors import UserError
from lgf_desktop.locking import DatabaseLock


def test_new_file_is_created_by_migrations_with_pragmas(db_path: Path) -> None:
    db = Database.open(db_path)
    with db.session() as session:
        assert session.execute(text("SELECT version_num FROM alembic_version")).scalar() == head_revision()
        assert session.execute(text("PRAGMA foreign_keys")).scalar() == 1
        assert session.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert session.execute(text("PRAGMA synchronous")).scalar() == 2  # FULL
        assert session.execute(text("PRAGMA busy_timeout")).scalar() >= 1000
        assert session.execute(text("PRAGMA application_id")).scalar() == APPLICATION_ID
        tables = {r[0] for r in session.execute(text("SELECT name FROM sqlite_master WHERE type='table'"))}
    db.close()
    assert {"round", "theme", "question", "review", "response", "recommendation", "change_log"} <= tables


def test_every_row_gets_a_uuid(demo_db: Database) -> None:
    with demo_db.session() as session:
        for table in ("round", "question", "review", "response", "recommendation"):
            missing = session.execute(text(f"SELECT count(*) FROM {table} WHERE uuid IS NULL OR length(uuid) != 36")).scalar()
            assert missing == 0, table


def test_single_migration_head() -> None:
    from alembic.script import ScriptDirectory

    from lgf_desktop.db import _alembic_config

    assert len(ScriptDirectory.from_config(_alembic_config()).get_heads()) == 1


def _refused_unchanged(path: Path, expected: str) -> None:
    before = path.read_bytes()
    with pytest.raises(UserError, match=expected):
        Database.open(path)
    assert path.read_bytes() == before
    assert not Path(f"{path}-wal").exists()


def test_refuses_a_file_that_is_not_sqlite(tmp_path: Path) -> None:
    path = tmp_path / "notes.sqlite3"
    path.write_bytes(b"These are meeting notes, not a database.\n" * 50)
    _refused_unchanged(path, "not a SQLite file")


def test_refuses_a_foreign_sqlite_database(tmp_path: Path) -> None:
    path = tmp_path / "other.sqlite3"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE contacts (name TEXT)")
    conn.execute("INSERT INTO contacts VALUES ('someone')")
    conn.commit()
    conn.close()
    _refused_unchanged(path, "another program")


def test_refuses_a_database_from_a_newer_version(db_path: Path) -> None:
    Database.open(db_path).close()
    conn = sqlite3.connect(db_path)
    conn.execute("UPDATE alembic_version SET version_num = '9999_from_the_future'")
    conn.commit()
    conn.execute("PRAGMA journal_mode = DELETE")  # checkpoints, so the main file holds everything
    conn.close()
    _refused_unchanged(db_path, "newer version")


def test_a_second_window_is_told_the_file_is_in_use(db_path: Path) -> None:
    with DatabaseLock(db_path):
        code = (
            "import sys; from pathlib import Path; from lgf_desktop.locking import DatabaseLock\n"
            "from lgf_desktop.errors import UserError\n"
            f"try:\n DatabaseLock(Path({str(db_path)!r})).acquire()\nexcept UserError as e:\n print(e); sys.exit(3)\n"
        )
        result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 3
    assert "in use by another LGF Desktop window" in result.stdout


def test_two_writers_on_one_file_both_land(db_path: Path) -> None:
    from lgf_desktop.models import Organisation

    a, b = Database.open(db_path), Database.open(db_path)
    with a.session() as s1, b.session() as s2:
        s1.add(Organisation(name="One"))
        s1.flush()
        s1.commit()
        s2.add(Organisation(name="Two"))
    with a.session() as session:
        assert session.execute(text("SELECT count(*) FROM organisation")).scalar() == 2
    a.close()
    b.close()
