"""Shared by the workshop tests: the demo database with one more planned review, built once per test
run and copied per test (migrating and loading the demo takes over a second), and database snapshots."""

from __future__ import annotations

import hashlib
import shutil
import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import select

from conftest import close_into_one_file
from lgf_desktop.db import Database
from lgf_desktop.models import Organisation, Review, Round
from lgf_desktop.exchange.senders import set_person_key


@pytest.fixture(scope="session")
def _demo_template(demo_template: Path, tmp_path_factory: pytest.TempPathFactory, _one_key_pair) -> Path:
    # Each test module imports this fixture, so it is built once per module unless already there.
    path = tmp_path_factory.getbasetemp() / "workshop-template.sqlite3"
    if path.exists():
        return path
    building = path.with_suffix(".building")
    shutil.copyfile(demo_template, building)
    database = Database.open(building)
    with database.session() as session:
        round_ = session.scalars(select(Round)).first()
        # One test user plays every part: the chair's public key is that user's (tests/conftest.py),
        # so a panel member's notes are sealed for it.
        set_person_key(session, round_.chair.person, _one_key_pair[0].public)
        org = Organisation(name="Westmoor Youth Trust", short_name="WYT")
        session.add(Review(round=round_, organisation=org, status="planned", position=9, duration_minutes=90))
    close_into_one_file(database)
    building.rename(path)
    return path


def _encrypted_copy_of(template: Path, base: Path) -> Path:
    """``template`` encrypted with ``DB_PASSPHRASE``, made once per run (its copies share its salt, so
    the key is derived once)."""
    from conftest import DB_PASSPHRASE
    from lgf_desktop.storage.sqlite.encrypting import encrypt_database

    path = base / f"{template.stem}-encrypted" / "lgf.sqlite3"
    if not path.exists():
        path.parent.mkdir()
        shutil.copy(template, path)
        encrypt_database(path, DB_PASSPHRASE)
    return path


@pytest.fixture
def workshop_db(_demo_template: Path, tmp_path: Path, db_passphrase: str | None, request: pytest.FixtureRequest):
    """A demo database with one extra planned review (WYT) to run a workshop on; encrypted when the
    test is parametrized with a ``db_passphrase``."""
    path = tmp_path / "lgf.sqlite3"
    passphrase = db_passphrase
    base = request.getfixturevalue("tmp_path_factory").getbasetemp()
    shutil.copy(_encrypted_copy_of(_demo_template, base) if passphrase else _demo_template, path)
    database = Database.open(path, passphrase=passphrase)
    yield database
    database.close()


def planned_review_id(db: Database) -> int:
    with db.session() as session:
        return session.scalar(select(Review.id).where(Review.status == "planned", Review.position == 9))


def snapshot(db: Database) -> tuple[list[str], str]:
    """Every row of the database (as SQL) and a hash of the file and its WAL."""
    conn = sqlite3.connect(db.path)
    try:
        rows = list(conn.iterdump())
    finally:
        conn.close()
    digest = hashlib.sha256()
    for suffix in ("", "-wal"):
        file = Path(f"{db.path}{suffix}")
        if file.exists():
            digest.update(file.read_bytes())
    return rows, digest.hexdigest()


def open_workshop(qtbot, db: Database, review_id: int):
    """The workshop window on ``review_id``, shown and exposed, closed with the test."""
    from lgf_desktop.ui.workshop.window import WorkshopWindow

    window = WorkshopWindow(db, review_id)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    return window
