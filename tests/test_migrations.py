"""Upgrading a database written by an earlier version: backed up first, data kept, schema current."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from sqlalchemy import create_engine, func, select, text

from lgf_desktop.backups import list_backups
from lgf_desktop.db import Database, _alembic_config, head_revision
from lgf_desktop.models import Organisation, Recommendation, Round
from lgf_desktop.services.demo import load_demo


def _database_at(path: Path, revision: str) -> None:
    engine = create_engine(f"sqlite:///{path}")
    with engine.begin() as connection:
        config = _alembic_config()
        config.attributes["connection"] = connection
        command.upgrade(config, revision)
        connection.exec_driver_sql("PRAGMA application_id = 1279739460")
    engine.dispose()


def test_first_schema_is_upgraded_with_a_backup_and_the_data_kept(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite3"
    _database_at(path, "0001")
    # Recorded work in the first version's schema.
    engine = create_engine(f"sqlite:///{path}")
    with engine.begin() as connection:
        assert connection.execute(text("SELECT version_num FROM alembic_version")).scalar() == "0001"
        connection.execute(text("INSERT INTO organisation (uuid, name, short_name, sector) "
                                "VALUES ('00000000-0000-4000-8000-000000000001', 'Kept Organisation', 'KO', 'Health')"))
        indexes = {r[1] for r in connection.execute(text("PRAGMA index_list('progress_note')"))}
        assert "ix_progress_note_recommendation_date" not in indexes
    engine.dispose()

    db = Database.open(path)
    with db.session() as session:
        load_demo(session)
        assert session.execute(text("SELECT version_num FROM alembic_version")).scalar() == head_revision() != "0001"
        indexes = {r[1] for r in session.execute(text("PRAGMA index_list('progress_note')"))}
        assert "ix_progress_note_recommendation_date" in indexes
        assert session.scalar(select(func.count()).select_from(Round)) == 1
        kept = session.scalar(select(Organisation).where(Organisation.uuid == "00000000-0000-4000-8000-000000000001"))
        assert kept is not None and kept.name == "Kept Organisation"
        assert session.scalar(select(func.count()).select_from(Recommendation)) > 0
    db.close()
    backups = [p.name for p in list_backups(path)]
    assert any("before-migration" in name for name in backups)
