"""Upgrades and the creation of a new database are all-or-nothing; half-made files left by older
versions are repaired or recreated, never refused for ever; the models and the migrations agree."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import create_engine, text

from lgf_desktop.storage.sqlite.backups import list_backups
from lgf_desktop.db import APPLICATION_ID, Database, _alembic_config, head_revision
from lgf_desktop.errors import UserError
from lgf_desktop.storage.sqlite.schema_check import check_openable, stored_revision

INDEX_0002 = "ix_progress_note_recommendation_date"


def _old_style(path: Path, revision: str, *, application_id: bool = True) -> None:
    """A database as an earlier version left it: migrated to ``revision`` in WAL mode."""
    engine = create_engine(f"sqlite:///{path}")
    with engine.begin() as connection:
        config = _alembic_config()
        config.attributes["connection"] = connection
        command.upgrade(config, revision)
        if application_id:
            connection.exec_driver_sql(f"PRAGMA application_id = {APPLICATION_ID}")
    engine.dispose()
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.close()


def _raw(path: Path, *statements: str) -> None:
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA foreign_keys = OFF")
    for statement in statements:
        conn.execute(statement)
    conn.close()


def _index_names(path: Path) -> set[str]:
    conn = sqlite3.connect(path)
    try:
        return {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'index'")}
    finally:
        conn.close()


def _dump(path: Path) -> list[str]:
    conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        return list(conn.iterdump())
    finally:
        conn.close()


BROKEN_NOTE = ("INSERT INTO progress_note (recommendation_id, note_date, author, text, uuid) "
               "VALUES (999, '2026-01-01', 'A', 'points at nothing', '00000000-0000-4000-8000-0000000000aa')")


def test_a_refused_upgrade_leaves_the_file_exactly_as_it_was_and_says_so(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite3"
    _old_style(path, "0001")
    _raw(path, "INSERT INTO organisation (uuid, name, short_name, sector) "
               "VALUES ('00000000-0000-4000-8000-000000000001', 'Kept', 'K', 'Health')", BROKEN_NOTE)
    before = path.read_bytes()

    with pytest.raises(UserError) as refused:
        Database.open(path)
    message = str(refused.value)
    assert "broken links" in message and "nothing was changed" in message
    assert path.read_bytes() == before  # byte for byte, index and version included
    assert INDEX_0002 not in _index_names(path)
    assert stored_revision(path) == "0001"
    backup = [b for b in list_backups(path) if b.name.endswith("-before-migration.sqlite3")][0]
    assert str(backup) in message
    assert _dump(backup) == _dump(path)

    # A second attempt is refused for the same reason (not "index already exists"), still unchanged.
    with pytest.raises(UserError, match="broken links"):
        Database.open(path)
    assert path.read_bytes() == before

    # Once the broken link is gone, the same file upgrades and opens with its data.
    _raw(path, "DELETE FROM progress_note WHERE recommendation_id = 999")
    db = Database.open(path)
    with db.session() as session:
        assert session.execute(text("SELECT version_num FROM alembic_version")).scalar() == head_revision()
        assert session.execute(text("SELECT name FROM organisation")).scalar() == "Kept"
    db.close()
    assert INDEX_0002 in _index_names(path)


def test_an_upgrade_half_done_by_an_older_version_is_finished(tmp_path: Path) -> None:
    # An older version committed the 0002 index on its own, then died before recording 0002.
    path = tmp_path / "half.sqlite3"
    _old_style(path, "0001")
    _raw(path, f"CREATE INDEX {INDEX_0002} ON progress_note (recommendation_id, note_date, id)")
    db = Database.open(path)
    db.close()
    assert stored_revision(path) == head_revision()
    assert INDEX_0002 in _index_names(path)


def test_a_creation_cut_short_by_an_older_version_is_recreated(tmp_path: Path) -> None:
    # Tables made, application id and version never written: no one could have typed anything in it.
    path = tmp_path / "lgf.sqlite3"
    _old_style(path, "head", application_id=False)
    _raw(path, "DELETE FROM alembic_version")
    assert check_openable(path) is True  # recognised as not yet made, not as another program's file
    db = Database.open(path)
    with db.session() as session:
        assert session.execute(text("PRAGMA application_id")).scalar() == APPLICATION_ID
        assert session.execute(text("SELECT version_num FROM alembic_version")).scalar() == head_revision()
    db.close()


def test_a_half_made_look_alike_holding_rows_is_still_refused(tmp_path: Path) -> None:
    path = tmp_path / "lgf.sqlite3"
    _old_style(path, "head", application_id=False)
    _raw(path, "INSERT INTO organisation (uuid, name, short_name, sector) "
               "VALUES ('00000000-0000-4000-8000-000000000001', 'Someone', 'S', 'Health')")
    before = path.read_bytes()
    with pytest.raises(UserError, match="another program"):
        Database.open(path)
    assert path.read_bytes() == before


def test_an_empty_sqlite_file_of_another_program_is_not_taken_over(tmp_path: Path) -> None:
    path = tmp_path / "theirs.sqlite3"
    _raw(path, "CREATE TABLE contacts (name TEXT)")
    with pytest.raises(UserError, match="another program"):
        Database.open(path)


def test_a_new_database_is_built_beside_and_renamed_into_place(tmp_path: Path, monkeypatch) -> None:
    import lgf_desktop.storage.sqlite.backend as db_module

    seen: list[tuple[Path, bool]] = []
    real = db_module._migrate

    def spy(path: Path, *args, **kwargs):
        seen.append((path, (tmp_path / "new.sqlite3").exists()))
        return real(path, *args, **kwargs)

    monkeypatch.setattr(db_module, "_migrate", spy)
    Database.open(tmp_path / "new.sqlite3").close()
    (built, target_existed), = seen
    assert built.parent == tmp_path and built.name != "new.sqlite3" and not target_existed
    assert sorted(p.name for p in tmp_path.iterdir() if not p.name.endswith(".lock")) == ["new.sqlite3"]


def test_the_models_and_the_migrated_schema_never_drift(db_path: Path) -> None:
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    from lgf_desktop.models import Base

    Database.open(db_path).close()
    engine = create_engine(f"sqlite:///{db_path}")
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True, "render_as_batch": True})
        differences = compare_metadata(context, Base.metadata)
    engine.dispose()
    assert differences == []
