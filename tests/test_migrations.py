"""Upgrading a database written by an earlier version: backed up first, data kept, schema current."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from sqlalchemy import create_engine, func, select, text

from lgf_desktop.storage.sqlite.backups import list_backups
from lgf_desktop.db import Database, _alembic_config, head_revision
from lgf_desktop.models import Organisation, Recommendation, Review, Round
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
        # The demo's two rounds: the 2021-22 peer reviews and the 2020-21 self-assessment (new tables of 0005).
        assert session.scalar(select(func.count()).select_from(Round)) == 2
        kept = session.scalar(select(Organisation).where(Organisation.uuid == "00000000-0000-4000-8000-000000000001"))
        assert kept is not None and kept.name == "Kept Organisation"
        assert session.scalar(select(func.count()).select_from(Recommendation)) > 0
    db.close()
    backups = [p.name for p in list_backups(path)]
    assert any("before-migration" in name for name in backups)


def test_0002_is_upgraded_to_record_versions_keeping_every_response(tmp_path: Path) -> None:
    """Migration 0003: every edited record gets version 1, and each response's text is its first kept version."""
    path = tmp_path / "0002.sqlite3"
    _database_at(path, "0002")
    engine = create_engine(f"sqlite:///{path}")
    with engine.begin() as connection:
        connection.execute(text("INSERT INTO partnership (uuid, name, region, logo_path) VALUES ('p-1', 'Westmoor', '', '')"))
        connection.execute(text("INSERT INTO organisation (uuid, name, short_name, sector) VALUES ('o-1', 'Trust', 'T', 'Health')"))
        connection.execute(text("INSERT INTO round (uuid, partnership_id, label, cycle_year, kind, background_text, "
                                "methodology_intro, conclusion_text, template_cover_text, workshop_minutes) "
                                "VALUES ('r-1', 1, '2024-25', 2, 'peer review', '', '', 'Kept conclusion', '', 90)"))
        connection.execute(text("INSERT INTO review (uuid, round_id, organisation_id, status, overall_comment, position, "
                                "duration_minutes, clock_running, clock_elapsed_seconds) "
                                "VALUES ('v-1', 1, 1, 'held', 'Kept comment', 0, 90, 0, 0)"))
        connection.execute(text("INSERT INTO response (uuid, review_id, question_text, theme_title, text, updated_at) "
                                "VALUES ('s-1', 1, 'Q?', 'Theme', 'Kept answer, typed in 2024.', '2024-11-02 10:00:00'), "
                                "('s-2', 1, 'Q2?', 'Theme', '', '2024-11-02 10:00:00')"))
    engine.dispose()

    db = Database.open(path)
    with db.session() as session:
        assert session.execute(text("SELECT version_num FROM alembic_version")).scalar() == head_revision()
        assert session.execute(text("SELECT text, version FROM response ORDER BY id")).all() == [
            ("Kept answer, typed in 2024.", 1), ("", 1)]
        assert session.execute(text("SELECT overall_comment, version FROM review")).one() == ("Kept comment", 1)
        assert session.execute(text("SELECT conclusion_text, version FROM round")).one() == ("Kept conclusion", 1)
        kept = session.execute(text("SELECT response_id, text, reason, saved_at, length(uuid) FROM response_version")).all()
        assert [(k[0], k[1], k[2], k[4]) for k in kept] == [(1, "Kept answer, typed in 2024.", "upgrade", 36)]
        assert str(kept[0][3]).startswith("2024-11-02 10:00:00")  # when it was last saved
    with db.session() as session:  # and the upgraded records carry on versioning
        from lgf_desktop.services import editing
        editing.update(session, Review, 1, overall_comment="Changed after the upgrade")
    with db.session() as session:
        assert session.get(Review, 1).version == 2
    db.close()
    assert any("before-migration" in p.name for p in list_backups(path))


def test_0006_is_upgraded_to_the_seed_constructs_and_prints_as_before(tmp_path: Path) -> None:
    """Migration 0007: a 0006 file's round, review, representative, response and recommendation gain
    empty notes and wordings and no marks, and no appendix rows (the template alone, Appendix 1)."""
    from lgf_desktop.exports.report_data import read_report

    path = tmp_path / "0006.sqlite3"
    _database_at(path, "0006")
    engine = create_engine(f"sqlite:///{path}")
    with engine.begin() as connection:
        connection.execute(text("INSERT INTO partnership (uuid, name, region, logo_path) VALUES ('p-1', 'Westmoor', '', '')"))
        connection.execute(text("INSERT INTO organisation (uuid, name, short_name, sector) VALUES ('o-1', 'Trust', 'T', 'Health')"))
        connection.execute(text("INSERT INTO round (uuid, partnership_id, label, cycle_year, kind, background_text, "
                                "methodology_intro, conclusion_text, template_cover_text, workshop_minutes) "
                                "VALUES ('r-1', 1, '2024-25', 2, 'peer review', '', '', '', '', 90)"))
        connection.execute(text("INSERT INTO review (uuid, round_id, organisation_id, status, overall_comment, position, "
                                "duration_minutes, clock_running, clock_elapsed_seconds) "
                                "VALUES ('v-1', 1, 1, 'held', '', 0, 90, 0, 0)"))
        connection.execute(text("INSERT INTO representative (uuid, review_id, name, role, kind, position) "
                                "VALUES ('a-1', 1, 'Anne Fry', 'Nurse', 'apologies', 0)"))
        connection.execute(text("INSERT INTO response (uuid, review_id, question_text, theme_title, text, updated_at) "
                                "VALUES ('s-1', 1, 'Q?', 'Theme', 'Kept answer.', '2024-11-02 10:00:00')"))
        connection.execute(text("INSERT INTO recommendation (uuid, round_id, review_id, is_partnership, text, position, "
                                "status, evidence_of_impact, no_evidence_reason, reference, created_at) "
                                "VALUES ('c-1', 1, 1, 0, 'Kept recommendation.', 0, 'not started', '', '', '', "
                                "'2024-11-02 10:00:00')"))
    engine.dispose()

    db = Database.open(path)
    with db.session() as session:
        assert session.execute(text("SELECT version_num FROM alembic_version")).scalar() == head_revision()
        assert session.execute(text("SELECT name, note FROM representative")).one() == ("Anne Fry", "")
        assert session.execute(text("SELECT text, answered_above, not_discussed FROM response")).one() == (
            "Kept answer.", 0, 0)
        assert session.execute(text("SELECT text, full_text FROM recommendation")).one() == ("Kept recommendation.", "")
        data = read_report(session, session.get(Round, 1))
        assert data.template_appendix == 1 and [a.title for a in data.report_appendices] == ["Question Template"]
    db.close()
