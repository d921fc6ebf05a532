"""The first page read plain (``services/first_page``) is exactly what the database layer reads — on
the demo and on a database of many rounds with problems of every kind — and it gives way to the full
opening path for every file that path must decide about. In the window: the first page is shown
before the database layer is loaded, nothing can be changed until it is, a choice made meanwhile is
honoured, and every edit works once it is in."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest
from PySide6.QtWidgets import QWidget
from sqlalchemy import select

from lgf_desktop.storage.sqlite import connections, schema_check
from lgf_desktop.db import Database, head_revision
from lgf_desktop.models import PanelMember, Review, Round, Theme
from lgf_desktop.services import first_page, listing
from lgf_desktop.services.first_page import SCHEMA_HEAD, read_first_page, read_round
from lgf_desktop.services.review.report_texts import ROUND_TEXTS
from lgf_desktop.services.review.rounds import load_round, round_problems
from lgf_desktop.ui.forms.round_details import TEXTS
from lgf_desktop.ui.forms.round_page import TABS
from lgf_desktop.ui.main_window import MainWindow
from tests.conftest import DB_PASSPHRASE, close_into_one_file

# The first page is read plain from a file with sqlite3, before SQLAlchemy loads; a server's database opens
# the full way (tested with the rest on both backends).
pytestmark = pytest.mark.sqlite_only


def test_the_schema_head_it_knows_is_the_newest_migration() -> None:
    # A new migration fails this until SCHEMA_HEAD is raised with it and the plain queries checked.
    assert SCHEMA_HEAD == schema_check.schema_head() == head_revision()


def test_it_reads_every_text_the_details_tab_shows() -> None:
    assert [key for key, _title, _hint in TEXTS] == list(ROUND_TEXTS)


def _orm_view(db: Database, round_id: int) -> first_page.RoundShown:
    with db.read() as session:
        r = load_round(session, round_id, template=True, panel=True)
        return first_page.RoundShown(
            id=r.id, label=r.label, kind=r.kind, cycle_year=r.cycle_year, report_month=r.report_month,
            workshop_minutes=r.workshop_minutes, version=r.version, texts={key: getattr(r, key) for key in ROUND_TEXTS},
            problems=tuple(round_problems(r)))


def _same_as_the_orm(db: Database) -> None:
    first = read_first_page(db.path)
    assert first is not None
    with db.read() as session:
        rounds = listing.rounds(session)
        assert list(first.rounds) == rounds
        assert list(first.reviews) == listing.reviews_of_round(session, rounds[-1][0])
        every_round = {round_id: listing.reviews_of_round(session, round_id) for round_id, _label in rounds}
    assert first.newest == _orm_view(db, rounds[-1][0])
    conn = connections.connect(db.path, read_only=True)
    try:  # every round, not only the newest: each kind of problem is somewhere
        for round_id in every_round:
            assert read_round(conn, round_id) == _orm_view(db, round_id)
    finally:
        conn.close()


def test_the_demo_reads_the_same_plain_as_through_the_orm(demo_db: Database) -> None:
    _same_as_the_orm(demo_db)


@pytest.fixture(scope="module")
def many_rounds(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from benchmarks.generate import make_large_database

    path = make_large_database(tmp_path_factory.mktemp("many") / "many.sqlite3", rounds=8, reviews_per_round=6)
    db = Database.open(path)
    with db.session() as session:
        rounds = session.scalars(select(Round).order_by(Round.label)).all()
        # Problems of every kind, and labels of every kind, spread over the rounds.
        for member in rounds[1].panel:
            member.role = "member"  # no chair
        for member in rounds[2].panel[:2]:
            member.role = "chair"  # two chairs
        rounds[3].themes.append(Theme(title="Added, no questions yet", position=99))
        for theme in list(rounds[4].themes):
            session.delete(theme)  # no themes at all
        reviews = session.scalars(select(Review).where(Review.round_id == rounds[5].id)).all()
        reviews[0].status, reviews[0].review_date = "declined", None
        reviews[1].status = "planned"
        reviews[2].organisation.short_name = "Short"
        rounds[6].report_month = None
        rounds[6].kind = "self-assessment"
        rounds[7].conclusion_text = "Ends — with a dash, ‘quotes’ and\nmore than one line."
    close_into_one_file(db)
    return path


def test_many_rounds_read_the_same_plain_as_through_the_orm(many_rounds: Path, tmp_path: Path) -> None:
    path = tmp_path / "many.sqlite3"
    shutil.copyfile(many_rounds, path)
    db = Database.open(path)
    try:
        _same_as_the_orm(db)
        with db.read() as session:
            assert session.scalar(select(PanelMember.id).limit(1)) is not None
    finally:
        db.close()


def test_it_gives_way_to_the_full_path_for_every_file_that_path_decides_about(demo_template: Path,
                                                                                tmp_path: Path) -> None:
    def copy(name: str) -> Path:
        path = tmp_path / name
        shutil.copyfile(demo_template, path)
        return path

    assert read_first_page(copy("plain.sqlite3")) is not None
    assert read_first_page(tmp_path / "missing.sqlite3") is None
    (tmp_path / "empty.sqlite3").touch()
    assert read_first_page(tmp_path / "empty.sqlite3") is None
    older = copy("older.sqlite3")
    with sqlite3.connect(older) as conn:
        conn.execute("UPDATE alembic_version SET version_num = '0005'")  # an upgrade is needed
    assert read_first_page(older) is None
    newer = copy("newer.sqlite3")
    with sqlite3.connect(newer) as conn:
        conn.execute("UPDATE alembic_version SET version_num = '9999'")  # written by a newer version
    assert read_first_page(newer) is None
    foreign = copy("foreign.sqlite3")
    with sqlite3.connect(foreign) as conn:
        conn.execute("PRAGMA application_id = 1")
    assert read_first_page(foreign) is None
    damaged = copy("damaged.sqlite3")
    data = bytearray(damaged.read_bytes())
    data[4096:4096 * 3] = b"\xff" * (4096 * 2)
    damaged.write_bytes(bytes(data))
    assert read_first_page(damaged) is None
    locked = copy("locked.sqlite3")
    holder = sqlite3.connect(locked, isolation_level=None)
    try:
        holder.execute("PRAGMA journal_mode = DELETE")
        holder.execute("BEGIN EXCLUSIVE")  # another program writing: no waiting for it here
        assert read_first_page(locked) is None
    finally:
        holder.close()
    encrypted = tmp_path / "encrypted.sqlite3"
    connections.export(copy("to-encrypt.sqlite3"), None, encrypted, DB_PASSPHRASE)
    assert connections.is_encrypted(encrypted)
    assert read_first_page(encrypted) is None  # its key derivation dwarfs what a plain read saves
    before = {p.name: p.read_bytes() for p in tmp_path.iterdir() if p.is_file()}
    for name in before:
        read_first_page(tmp_path / name)
    # Not a byte of any file changed (SQLite may add the empty -wal and -shm a reader of a WAL file uses).
    assert {name: (tmp_path / name).read_bytes() for name in before} == before


def _window_before_the_file_is_open(qtbot, path: Path) -> MainWindow:
    window = MainWindow(None, path=path, first=read_first_page(path))  # as the app does on a plain file
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    qtbot.waitExposed(window)
    return window


def test_the_first_page_shows_before_the_file_is_open_and_takes_no_edit_until_it_is(qtbot, demo_db: Database) -> None:
    with demo_db.read() as session:
        newest = session.scalar(select(Round).where(Round.label == "2021-22"))
        newest_id, background, version = newest.id, newest.background_text, newest.version
    window = _window_before_the_file_is_open(qtbot, demo_db.path)
    page = window.stack.currentWidget()
    assert type(page).__name__ == "RoundPage" and window.db is None
    assert page.details.label.text() == "2021-22" and "Round 2021-22" in page.title.text()
    assert page.details.texts["background_text"].toPlainText() == background
    assert window.navigator.currentItem().text(0) == "2021-22"
    assert [window.navigator.rounds_item.child(1).child(i).text(0) for i in range(3)] == \
        ["NW ICB — 10 Feb 2022", "Pathways — 1 Mar 2022", "WCVN (declined)"]
    # Nothing typed or clicked is taken (and so none of it can be lost) until the file is open.
    qtbot.keyClicks(page.details.label, "X")
    qtbot.keyClicks(page.details.texts["background_text"], "typed too early")
    assert page.details.label.text() == "2021-22"
    assert page.details.texts["background_text"].toPlainText() == background
    assert not page.details.kind.isEnabled()
    page.tabs.setCurrentIndex(TABS.index("Panel"))  # a click on another tab: it waits for the file
    assert page.tabs.currentWidget().findChildren(QWidget) == []  # (its stand-in, empty)
    window.attach(demo_db)
    assert page.tabs.currentWidget() is page.panel and page.panel.model.rowCount() == 6  # filled once open
    page.tabs.setCurrentWidget(page.details)
    assert not page.details.label.isReadOnly() and page.details.kind.isEnabled()
    text = page.details.texts["background_text"]
    text.setFocus()
    qtbot.keyClicks(text, " Typed once open.")
    assert text.flush()
    page.details.label.setText("2021-22 (final)")
    page.details.label.editingFinished.emit()
    with demo_db.read() as session:
        saved = session.get(Round, newest_id)
        assert saved.background_text.endswith("Typed once open.") and saved.label == "2021-22 (final)"
        assert saved.version > version
    assert window.navigator.rounds_item.child(1).text(0) == "2021-22 (final)"


def test_a_choice_made_while_the_file_opens_is_shown_once_it_is(qtbot, demo_db: Database) -> None:
    window = _window_before_the_file_is_open(qtbot, demo_db.path)
    first_page_shown = window.stack.currentWidget()
    older = window.navigator.rounds_item.child(0)
    older.setExpanded(True)  # its reviews are read once the file is open
    review = window.navigator.rounds_item.child(1).child(1)
    window.navigator.setCurrentItem(review)
    assert window.stack.currentWidget() is first_page_shown  # waits for the file
    window.attach(demo_db)
    assert type(window.stack.currentWidget()).__name__ == "ReviewPage"
    assert window.current_review_id() == review.data(0, 256)[1]
    assert "Pathways" in window.stack.currentWidget().title.text()
    assert older.childCount() == 0 or older.child(0).text(0) != "…"


def test_without_a_peer_review_round_to_show_the_page_waits_for_the_file(qtbot, db: Database, demo_template: Path,
                                                                        tmp_path: Path) -> None:
    # A database with no round yet: the navigator at once, the welcome page once the file is open.
    window = _window_before_the_file_is_open(qtbot, db.path)
    assert window.navigator.rounds_item.childCount() == 0 and window.stack.currentWidget() is None
    window.attach(db)
    assert type(window.stack.currentWidget()).__name__ == "WelcomePage"
    # The newest round a self-assessment (year one has a page of its own, read through the database layer).
    path = tmp_path / "year-one-newest.sqlite3"
    shutil.copyfile(demo_template, path)
    with sqlite3.connect(path) as conn:
        conn.execute("UPDATE round SET label = '2099-00' WHERE kind = 'self-assessment'")
    other = _window_before_the_file_is_open(qtbot, path)
    assert other.navigator.currentItem().text(0) == "2099-00" and other.stack.currentWidget() is None
    year_one = Database.open(path)
    try:
        other.attach(year_one)
        assert type(other.stack.currentWidget()).__name__ == "SelfAssessmentPage"
        other.close()
    finally:
        year_one.close()
