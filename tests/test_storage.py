"""Opening, creating, migrating and refusing database files."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path

import threading
import time

import pytest
from sqlalchemy import func, select, text

from lgf_desktop.db import APPLICATION_ID, Database, head_revision
from lgf_desktop.errors import UserError
from lgf_desktop.storage.locking import DatabaseLock
from lgf_desktop.models import Question
from conftest import DB_PASSPHRASE
from workshop_support import _demo_template, planned_review_id, workshop_db  # noqa: F401


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
            "import sys; from pathlib import Path; from lgf_desktop.storage.locking import DatabaseLock\n"
            "from lgf_desktop.errors import UserError\n"
            f"try:\n DatabaseLock(Path({str(db_path)!r})).acquire()\nexcept UserError as e:\n print(e); sys.exit(3)\n"
        )
        result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 3
    assert "in use by another LGF Desktop window" in result.stdout


@pytest.mark.timing
def test_one_writer_a_long_import_and_a_stream_of_autosaves_all_land_in_order(workshop_db, tmp_path: Path) -> None:
    """Ten auditors' returns are merged on a worker thread while the chair's autosave fires every
    20 ms: every save is queued without the caller waiting (never over 50 ms), the writes commit in
    the order they were asked for, and both the import and the last autosave are in the file."""
    from benchmarks.bench_merge import _returns
    from lgf_desktop.importing import import_file
    from lgf_desktop.models import Grade, Response
    from lgf_desktop.services.review.workshop import save_response

    db = workshop_db
    review_id = planned_review_id(db)
    with db.session() as session:
        question_id = session.scalar(select(Question.id).order_by(Question.id))
    returns = _returns(tmp_path, db)
    committed: list[str] = []  # appended on the writer thread, in commit order

    def import_all() -> None:
        for path in returns:
            import_file(db, path)
            committed.append("import")

    importer = threading.Thread(target=import_all)
    waits, futures, n = [], [], 0
    importer.start()
    while importer.is_alive() or n < 20:
        n += 1
        text = f"Minutes typed during the merge, save {n}."

        def save(session, text=text, n=n):
            save_response(session, review_id, question_id, text)
            committed.append(f"save {n}")

        start = time.perf_counter()
        futures.append(db.write(save))
        waits.append(time.perf_counter() - start)
        time.sleep(0.02)
    importer.join()
    for future in futures:
        future.result(10)
    assert max(waits) < 0.05, f"an autosave waited {max(waits) * 1000:.0f} ms"
    saves = [int(c.split()[1]) for c in committed if c.startswith("save")]
    assert saves == list(range(1, n + 1))  # in the order they were asked for
    assert committed.count("import") == len(returns)
    last_import = len(committed) - 1 - committed[::-1].index("import")
    assert committed.index("save 1") < last_import and committed[-1].startswith("save")  # interleaved
    with db.read() as session:
        assert session.scalar(select(Response.text).where(Response.review_id == review_id,
                                                          Response.question_id == question_id)) == f"Minutes typed during the merge, save {n}."
        assert session.scalar(select(func.count()).select_from(Grade).where(Grade.evidence == "Seen in the record.")) > 0


@pytest.mark.parametrize("db_passphrase", [None, DB_PASSPHRASE], ids=["plain", "encrypted"])
def test_every_write_goes_through_the_one_writer_connection(workshop_db) -> None:
    """A synchronous session and a queued write use the same connection; reads use their own and
    cannot write."""
    db = workshop_db
    with db.session() as session:
        synchronous = session.connection().connection.dbapi_connection
    queued = db.write(lambda session: session.connection().connection.dbapi_connection).result(5)
    assert synchronous is queued is db.writer.connection.connection.dbapi_connection
    with pytest.raises(Exception, match="readonly|read-only|attempt to write"):
        with db.read() as session:
            session.execute(text("UPDATE organisation SET name = 'x'"))
