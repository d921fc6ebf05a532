"""People, not a shared name: each person's name lives in their own settings, and the change history
records who made each change (name and login) even when several people use one database."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
from pathlib import Path

import docx
from sqlalchemy import create_engine, select, text

from lgf_desktop.db import Database, head_revision
from lgf_desktop.models import ChangeLog, Response, Setting
from lgf_desktop.your_settings import settings_path, your_name

from test_migrations import _database_at

MACHINE = socket.gethostname().split(".")[0]

# A second program on the same database: edits the first answered response of the demo.
EDIT_A_RESPONSE = """
import sys
from sqlalchemy import select
from lgf_desktop.db import Database, head_revision
from lgf_desktop.models import Response
from lgf_desktop.services.review.workshop import save_response
db = Database.open(sys.argv[1])
with db.session() as session:
    response = session.scalars(select(Response).where(Response.text != "").order_by(Response.id)).first()
    save_response(session, response.review_id, response.question_id, response.text + " Sam added this.")
db.close()
"""


def as_person(home: Path, account: str) -> dict[str, str]:
    """The environment of another person on this machine: their own account and profile folders."""
    env = dict(os.environ)
    env.update(HOME=str(home), XDG_CONFIG_HOME=str(home / "config"), XDG_DATA_HOME=str(home / "data"),
               LOGNAME=account, USER=account, LGF_KEY_PASSPHRASE="")
    return env


def run(env: dict[str, str], *args: str) -> str:
    done = subprocess.run([sys.executable, *args], env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_two_people_on_one_database_are_each_the_author_of_their_own_changes(tmp_path: Path) -> None:
    path = tmp_path / "shared.sqlite3"
    ruth = as_person(tmp_path / "ruth", "ruth")
    sam = as_person(tmp_path / "sam", "sam")
    run(ruth, "-m", "lgf_desktop.cli", "name", "Ruth Okafor")
    run(sam, "-m", "lgf_desktop.cli", "name", "Sam Lee")
    run(ruth, "-m", "lgf_desktop.cli", "--db", str(path), "demo")
    run(sam, "-c", EDIT_A_RESPONSE, str(path))

    db = Database.open(path)  # a third person: this test's own (empty) settings
    try:
        with db.read() as session:
            authors = set(session.execute(select(ChangeLog.who, ChangeLog.login).where(ChangeLog.action == "insert")))
            assert authors == {("Ruth Okafor", f"ruth@{MACHINE}")}
            edited = session.scalars(select(Response).where(Response.text.like("% Sam added this."))).one()
            change = session.scalars(select(ChangeLog).where(ChangeLog.record_uuid == edited.uuid,
                                                             ChangeLog.action == "update")).one()
            assert (change.who, change.login) == ("Sam Lee", f"sam@{MACHINE}")
            # Nobody's name is in the shared database.
            assert session.scalar(select(Setting).where(Setting.key == "user_name")) is None
        assert db.author == "" and db.user == os.environ.get("LOGNAME", db.login.rsplit("@", 1)[0])
    finally:
        db.close()
    # Each person's name stayed in their own settings file, private to them.
    stored = json.loads((tmp_path / "sam" / "config" / "lgf-desktop" / "settings.json").read_text())
    assert stored["name"] == "Sam Lee"
    assert (tmp_path / "sam" / "config" / "lgf-desktop" / "settings.json").stat().st_mode & 0o077 == 0


def test_a_name_kept_in_an_older_database_moves_into_the_settings_of_the_person_opening_it(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite3"
    _database_at(path, "0008")
    engine = create_engine(f"sqlite:///{path}")
    with engine.begin() as connection:
        connection.execute(text("INSERT INTO setting (uuid, key, value) VALUES ('s-1', 'user_name', 'Ruth Okafor')"))
    engine.dispose()
    assert your_name() == ""

    db = Database.open(path)
    try:
        assert your_name() == "Ruth Okafor" and db.user == db.author == "Ruth Okafor"
        with db.read() as session:
            assert session.scalar(select(Setting).where(Setting.key == "user_name")) is None
            assert session.execute(text("SELECT version_num FROM alembic_version")).scalar() == head_revision()
    finally:
        db.close()
    assert settings_path().is_file()


def test_a_person_with_their_own_name_keeps_it_when_an_older_database_names_someone_else(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite3"
    _database_at(path, "0008")
    engine = create_engine(f"sqlite:///{path}")
    with engine.begin() as connection:
        connection.execute(text("INSERT INTO setting (uuid, key, value) VALUES ('s-1', 'user_name', 'Ruth Okafor')"))
    engine.dispose()
    Database.open(tmp_path / "mine.sqlite3").set_user("Sam Lee")

    db = Database.open(path)
    db.close()
    assert your_name() == "Sam Lee"


def test_exports_are_written_by_the_name_in_your_settings(demo_db: Database, tmp_path: Path) -> None:
    from lgf_desktop.exports.report_docx import export_report
    from lgf_desktop.models import Round

    demo_db.set_user("Ruth Okafor")
    out = tmp_path / "report.docx"
    with demo_db.read() as session:
        round_ = session.scalars(select(Round).where(Round.label == "2021-22")).one()
        export_report(session, round_, out, author=demo_db.author)
    assert docx.Document(str(out)).core_properties.author == "Ruth Okafor"
    other = Database.open(tmp_path / "another.sqlite3")  # the same person, any database
    assert other.author == "Ruth Okafor"
    other.close()


def test_a_damaged_settings_file_is_kept_aside_and_a_new_name_saved(db: Database) -> None:
    path = settings_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("{not json")
    assert your_name() == ""
    db.set_user("Kim Hart")
    assert your_name() == "Kim Hart"
    assert path.with_name("settings.json.damaged").read_text() == "{not json"


EDIT_A_REVIEW_COMMENT = """
import sys
from sqlalchemy import select
from lgf_desktop.db import Database
from lgf_desktop.models import Review
db = Database.open(sys.argv[1])
with db.session() as session:
    review = session.scalars(select(Review).where(Review.status == "held").order_by(Review.id)).first()
    review.overall_comment = sys.argv[2]
db.close()
"""


def test_on_a_server_each_change_is_recorded_under_the_server_role_that_made_it(pg_cluster, pg_database,
                                                                                tmp_path: Path) -> None:
    """Two people with roles of their own on a shared PostgreSQL database: the login is the role
    (``current_user``) on this machine, beside each person's own name."""
    url = pg_database("demo")
    database = url.split("@/", 1)[1].split("?", 1)[0]
    for role in ("ruth", "sam"):
        pg_cluster.admin(f"DROP ROLE IF EXISTS {role}_role")
        pg_cluster.admin(f"CREATE ROLE {role}_role LOGIN PASSWORD '{role} secret'")
        pg_cluster.admin(f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {role}_role;"
                         f"GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO {role}_role", database)
    ruth, sam = as_person(tmp_path / "ruth", "ruth"), as_person(tmp_path / "sam", "sam")
    run(ruth, "-m", "lgf_desktop.cli", "name", "Ruth Okafor")
    run(sam, "-m", "lgf_desktop.cli", "name", "Sam Lee")
    run(ruth, "-c", EDIT_A_REVIEW_COMMENT, pg_cluster.url(database, "ruth_role", "ruth secret"), "Ruth's comment.")
    run(sam, "-c", EDIT_A_REVIEW_COMMENT, pg_cluster.url(database, "sam_role", "sam secret"), "Sam's comment.")
    db = Database.open(url)
    try:
        with db.read() as session:
            changes = session.execute(select(ChangeLog.who, ChangeLog.login, ChangeLog.new_value)
                                      .where(ChangeLog.field == "overall_comment").order_by(ChangeLog.id)).all()
    finally:
        db.close()
    assert [tuple(c) for c in changes[-2:]] == [("Ruth Okafor", f"ruth_role@{MACHINE}", "Ruth's comment."),
                                                ("Sam Lee", f"sam_role@{MACHINE}", "Sam's comment.")]
    for role in ("ruth", "sam"):
        pg_cluster.admin(f"DROP OWNED BY {role}_role", database)
