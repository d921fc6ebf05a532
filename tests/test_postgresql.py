"""Team mode on a real PostgreSQL server (the throwaway cluster of tests/pg_cluster.py): opening from a
URL, refusing what this version cannot open, the same migrations, copying both ways with every count
checked, and each fault of a server said in one sentence with nothing lost."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from sqlalchemy import create_engine, select, text

from lgf_desktop.cli import main as lgf
from lgf_desktop.copying import copy_database
from lgf_desktop.db import Database
from lgf_desktop.errors import UserError
from lgf_desktop.models import Recommendation, Response, Setting
from lgf_desktop.paths import user_data_dir
from lgf_desktop.storage import Location, migrating, resolve_location
from lgf_desktop.storage.faults import describe_fault, fault_sentence
from lgf_desktop.storage.revisions import known_revisions, schema_head


def rows(url: str, sql: str) -> list[tuple]:
    """The rows of ``sql`` on the server (committed; none for a statement that returns none)."""
    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:
        cursor = conn.execute(sql)
        return cursor.fetchall() if cursor.description else []


def test_a_url_is_a_server_and_its_local_files_are_keyed_without_the_password(monkeypatch) -> None:
    url = "postgresql://anna:s3cret@db.council.example:5433/lgf_team"
    location = resolve_location(url)
    assert location.is_server and location.url == url
    assert location.display == "postgresql://anna@db.council.example:5433/lgf_team"
    assert location.name == "lgf_team on db.council.example"
    assert location.path.parent == user_data_dir() / "servers"
    assert "s3cret" not in str(location.path)
    assert Location.parse("postgresql://anna:other@db.council.example:5433/lgf_team").path == location.path
    monkeypatch.setenv("LGF_DB", "postgresql:///lgf?host=/run/postgresql")
    assert resolve_location(None).name == "lgf on /run/postgresql"
    assert not resolve_location("/tmp/x/lgf.sqlite3").is_server


def test_an_empty_server_database_is_made_opened_and_keeps_its_data(pg_database) -> None:
    url = pg_database(None)
    db = Database.open(url)
    try:
        assert db.is_server and not db.offers_backups and db.backup("start") is None
        db.write(lambda s: s.add(Setting(key="team", value="Westmoor business unit"))).result(10)
        db.journal.note("response/1/2", "text", "typed, not yet saved")
        db.journal.flush()
        assert db.journal.path.parent == user_data_dir() / "servers"  # this computer's, not the server's
    finally:
        db.close()
    assert rows(url, "SELECT version_num FROM alembic_version") == [(schema_head(),)]
    again = Database.open(url)
    try:
        with again.read() as s:
            assert s.scalar(select(Setting.value).where(Setting.key == "team")) == "Westmoor business unit"
        assert [e.text for e in again.journal.entries()] == ["typed, not yet saved"]
    finally:
        again.close()


def test_another_programs_database_and_a_newer_versions_are_refused_untouched(pg_database) -> None:
    foreign = pg_database(None)
    rows(foreign, "CREATE TABLE invoices (id int); INSERT INTO invoices VALUES (7)")
    with pytest.raises(UserError, match="another program's tables"):
        Database.open(foreign)
    assert rows(foreign, "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'") == [
        ("invoices",)]
    newer = pg_database("empty")
    rows(newer, "UPDATE alembic_version SET version_num = '0099'")
    with pytest.raises(UserError, match=r"newer version of LGF Desktop \(schema 0099\)"):
        Database.open(newer)
    assert rows(newer, "SELECT version_num FROM alembic_version") == [("0099",)]


def test_each_migration_runs_on_postgresql_and_keeps_the_responses(pg_database) -> None:
    """0001, then 0002 with a response typed, then each later migration in turn: 0003 copies the response
    into its history with a UUID the server makes, 0004 and 0006 alter tables holding rows."""
    import psycopg

    url = pg_database(None)
    engine = create_engine("postgresql+psycopg://", creator=lambda: psycopg.connect(url))
    revisions = sorted(known_revisions())
    try:
        for revision in revisions:
            with engine.begin() as connection:
                migrating.upgrade(connection, revision)
                assert connection.execute(text("SELECT version_num FROM alembic_version")).scalar() == revision
                if revision == "0002":
                    for statement in (
                        "INSERT INTO partnership (uuid, name, region, logo_path) VALUES ('p-1', 'Westmoor', '', '')",
                        "INSERT INTO organisation (uuid, name, short_name, sector) VALUES ('o-1', 'Trust', 'T', 'Health')",
                        "INSERT INTO round (uuid, partnership_id, label, cycle_year, kind, background_text, "
                        "methodology_intro, conclusion_text, template_cover_text, workshop_minutes) "
                        "VALUES ('r-1', 1, '2024-25', 2, 'peer review', '', '', 'Kept conclusion', '', 90)",
                        "INSERT INTO review (uuid, round_id, organisation_id, status, overall_comment, position, "
                        "duration_minutes, clock_running, clock_elapsed_seconds) "
                        "VALUES ('v-1', 1, 1, 'held', 'Kept comment', 0, 90, false, 0)",
                        "INSERT INTO response (uuid, review_id, question_text, theme_title, text, updated_at) "
                        "VALUES ('s-1', 1, 'Q?', 'Theme', 'Kept answer, typed in 2024.', '2024-11-02 10:00:00'), "
                        "('s-2', 1, 'Q2?', 'Theme', '', '2024-11-02 10:00:00')",
                    ):
                        connection.execute(text(statement))
    finally:
        engine.dispose()
    assert revisions[-1] == schema_head()
    db = Database.open(url)
    try:
        with db.read() as session:
            assert session.execute(text("SELECT text, version FROM response ORDER BY id")).all() == [
                ("Kept answer, typed in 2024.", 1), ("", 1)]
            kept = session.execute(text("SELECT response_id, text, reason, length(uuid) FROM response_version")).all()
            assert kept == [(1, "Kept answer, typed in 2024.", "upgrade", 36)]
            assert session.execute(text("SELECT conclusion_text, version FROM round")).one() == ("Kept conclusion", 1)
    finally:
        db.close()


def table_counts_of_file(path: Path) -> dict[str, int]:
    conn = sqlite3.connect(path)
    try:
        names = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table' "
                                            "AND name NOT IN ('alembic_version') AND name NOT LIKE 'sqlite_%'")]
        return {n: conn.execute(f'SELECT count(*) FROM "{n}"').fetchone()[0] for n in names}
    finally:
        conn.close()


def table_counts_on_server(url: str) -> dict[str, int]:
    names = [r[0] for r in rows(url, "SELECT table_name FROM information_schema.tables "
                                     "WHERE table_schema = 'public' AND table_name != 'alembic_version'")]
    return {n: rows(url, f'SELECT count(*) FROM "{n}"')[0][0] for n in names}


def test_a_file_goes_to_the_server_and_comes_back_as_a_snapshot_with_every_count(
        demo_template: Path, pg_database, tmp_path: Path, capsys) -> None:
    url = pg_database(None)
    source = tmp_path / "laptop.sqlite3"
    source.write_bytes(demo_template.read_bytes())
    expected = table_counts_of_file(source)
    assert sum(expected.values()) > 1000

    assert lgf(["copy", "--from", str(source), "--to", url]) == 0
    said = capsys.readouterr().out
    assert f"{sum(expected.values())} records in {len(expected)} tables" in said and "s3cret" not in said
    assert table_counts_on_server(url) == expected

    # The server hands out new ids after the copied ones: adding a record works at once.
    shared = Database.open(url)
    try:
        with shared.session() as session:
            first = session.scalars(select(Recommendation)).first()
            session.add(Recommendation(round_id=first.round_id, organisation_id=first.organisation_id,
                                       text="Agreed on the shared database", position=99))
        with shared.read() as session:
            texts = session.scalars(select(Response.text).where(Response.text != "")).all()
    finally:
        shared.close()

    snapshot = tmp_path / "offline" / "snapshot.sqlite3"
    copied = copy_database(url, snapshot)
    expected["recommendation"] += 1
    expected["change_log"] += 1  # its history entry
    assert copied.counts == {name: expected.get(name, 0) for name in copied.counts}
    assert table_counts_of_file(snapshot) == expected
    offline = Database.open(snapshot)
    try:
        with offline.read() as session:
            assert session.scalars(select(Response.text).where(Response.text != "")).all() == texts
            assert session.scalar(select(Recommendation.text).where(Recommendation.position == 99)) == \
                "Agreed on the shared database"
    finally:
        offline.close()


def test_a_target_holding_records_is_refused_and_left_as_it_was(demo_template: Path, pg_database, tmp_path, capsys):
    busy = pg_database("demo")
    before = table_counts_on_server(busy)
    assert lgf(["copy", "--from", str(demo_template), "--to", busy]) != 0
    assert "already holds records, so nothing was copied" in capsys.readouterr().err
    assert table_counts_on_server(busy) == before
    with pytest.raises(UserError, match="already holds records"):
        copy_database(busy, demo_template)


def test_a_server_that_cannot_be_reached_is_one_sentence(tmp_path: Path) -> None:
    url = f"postgresql://clerk:s3cret@/lgf?host={tmp_path}"  # no server listens there
    with pytest.raises(UserError) as refused:
        Database.open(url)
    said = str(refused.value)
    assert said.startswith(f"The server postgresql://clerk@/lgf?host={tmp_path} cannot be reached")
    assert "s3cret" not in said


def test_a_wrong_password_and_a_missing_permission_are_one_sentence_each(pg_cluster, pg_database) -> None:
    url = pg_database("demo")
    with pytest.raises(UserError, match="did not accept the password") as refused:
        Database.open(url.replace("%40ss", "%40xx"))
    assert "p@xx" not in str(refused.value) and "%40xx" not in str(refused.value)

    # A login the server knows but that was given no rights on LGF's tables.
    pg_cluster.admin("DROP ROLE IF EXISTS visitor")
    pg_cluster.admin("CREATE ROLE visitor LOGIN PASSWORD 'visitor-pw'")
    try:
        with pytest.raises(UserError, match="does not give this login permission"):
            Database.open(url.replace(url.split("@")[0], "postgresql://visitor:visitor-pw"))
    finally:
        pg_cluster.admin("DROP OWNED BY visitor", database=urlsplit(url).path.lstrip("/"))
        pg_cluster.admin("DROP ROLE visitor")


def test_a_connection_dropped_mid_save_is_said_and_the_next_save_goes_through(pg_cluster, pg_database) -> None:
    db = Database.open(pg_database("empty"))
    try:
        db.write(lambda s: s.add(Setting(key="before", value="saved"))).result(10)
        pg_cluster.pause()  # the server goes away: every connection drops
        try:
            failed = db.write(lambda s: s.add(Setting(key="during", value="typed while the server was away")))
            with pytest.raises(Exception) as error:
                failed.result(20)
            said = fault_sentence(error.value, "Your text", db.location)
            assert said.startswith(f"The connection to the server {db.location.display} was lost")
            assert said.endswith("Your text stays on screen and is tried again every few seconds.")
            assert "typed while" not in said and "INSERT" not in said
            retried = db.write(lambda s: s.add(Setting(key="during", value="typed while the server was away")))
            with pytest.raises(Exception) as error:
                retried.result(20)
            assert "cannot be reached" in describe_fault(error.value, db.location)
        finally:
            pg_cluster.resume()
        db.write(lambda s: s.add(Setting(key="during", value="typed while the server was away"))).result(20)
        with db.read() as session:
            assert dict(session.execute(select(Setting.key, Setting.value)).all()) == {
                "before": "saved", "during": "typed while the server was away"}
    finally:
        db.close()


def test_remove_everywhere_on_a_server_takes_the_value_out_of_records_and_history(pg_database) -> None:
    from lgf_desktop.models import ChangeLog, Organisation
    from lgf_desktop.services.privacy.removal import places_holding, remove_everywhere

    db = Database.open(pg_database("demo"))
    try:
        with db.session() as session:
            session.add(Organisation(name="Met Jayden Smith-Okoro's mother; jayden smith-okoro in lower case stays",
                                     short_name="KT", sector="Health"))
        with db.session() as session:
            assert [p.table for p in places_holding(session, "Jayden Smith-Okoro")] == ["organisation"]
        removal = remove_everywhere(db, "Jayden Smith-Okoro", who="Coordinator")
        assert removal.records == 1 and removal.history >= 1 and removal.backups_holding == []
        assert "the server's to clear" in removal.sentence()
        with db.read() as session:
            names = session.scalars(select(Organisation.name).where(Organisation.short_name == "KT")).all()
            assert names == ["Met [removed]'s mother; jayden smith-okoro in lower case stays"]
            history = session.scalars(select(ChangeLog.new_value)).all()
            assert not any("Jayden Smith-Okoro" in (text or "") for text in history)
            assert any("was removed from 1 field(s)" in (text or "") for text in history)
            assert places_holding(session, "Jayden Smith-Okoro") == []
    finally:
        db.close()


def test_the_cli_works_on_a_server_and_lgf_check_reads_it_without_writing(pg_database, capsys) -> None:
    url = pg_database("demo")
    assert lgf(["--db", url, "rounds"]) == 0
    assert "2021-22" in capsys.readouterr().out
    before = table_counts_on_server(url)
    assert lgf(["--db", url, "check"]) == 0
    said = capsys.readouterr().out
    assert f"Schema version: {schema_head()}" in said and "All is well." in said and "p%40ss" not in said
    assert table_counts_on_server(url) == before
    assert lgf(["--db", url, "restore", "/tmp/any-backup.sqlite3"]) != 0
    assert "the server's job" in capsys.readouterr().err
