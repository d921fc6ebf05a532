"""The workshop's autosave on a shared PostgreSQL database when the server goes away mid-workshop: the
chair is told in one sentence, the typed text stays on screen and in the recovery journal (this
computer's, in the user's data folder), and it is saved as soon as the server is back."""

from __future__ import annotations

import html
from pathlib import Path

import pytest
from PySide6.QtTest import QTest
from sqlalchemy import select

from lgf_desktop.copying import copy_database
from lgf_desktop.db import Database
from lgf_desktop.journal import Journal, journal_path
from lgf_desktop.models import Response
from lgf_desktop.ui.autosave import RETRY_MS, UnsavedText
from workshop_support import _demo_template, open_workshop, planned_review_id  # noqa: F401


@pytest.fixture
def shared_workshop_db(_demo_template: Path, pg_database):
    url = pg_database(None)
    copy_database(_demo_template, url)
    database = Database.open(url)
    yield database
    database.close()


def stored(db, review_id: int, question_id: int) -> str | None:
    with db.read() as s:
        return s.scalar(select(Response.text).where(Response.review_id == review_id, Response.question_id == question_id))


def test_typing_while_the_server_is_away_is_kept_said_and_saved_when_it_returns(
        qtbot, shared_workshop_db, pg_cluster, monkeypatch) -> None:
    db = shared_workshop_db
    asked: list[str] = []
    monkeypatch.setattr(UnsavedText, "ask", classmethod(lambda cls, parent, problem: asked.append(problem) or False))
    review_id = planned_review_id(db)
    w = open_workshop(qtbot, db, review_id)
    question = w.question_id
    QTest.keyClicks(w.editor, "Said before the outage. ")
    qtbot.waitUntil(lambda: stored(db, review_id, question) == "Said before the outage. ", timeout=5000)

    pg_cluster.pause()
    try:
        QTest.keyClicks(w.editor, "Said while the server was away.")
        qtbot.waitUntil(lambda: "server" in w.saved_label.text(), timeout=15000)
        said = w.saved_label.text()
        assert db.location.display in said and "stays on screen" in said and "Said while" not in said
        db.journal.flush()
        kept = Journal(journal_path(db.path)).entries()
        assert [e.text for e in kept] == ["Said before the outage. Said while the server was away."]
        w.close()  # refused: the chair is asked, and keeps the window open
        assert w.isVisible() and len(asked) == 1
    finally:
        pg_cluster.resume()
    qtbot.waitUntil(lambda: w.saved_label.text().startswith("Saved "), timeout=RETRY_MS + 15000)
    assert stored(db, review_id, question) == "Said before the outage. Said while the server was away."
    db.journal.flush()
    assert Journal(journal_path(db.path)).entries() == []
    assert w.close()


def test_copy_to_a_shared_database_and_take_a_snapshot_from_the_file_menu(
        qtbot, demo_template: Path, pg_database, tmp_path: Path, monkeypatch) -> None:
    from lgf_desktop.ui import sharing
    from lgf_desktop.ui.about import about_text
    from lgf_desktop.ui.main_window import MainWindow
    from test_postgresql import table_counts_of_file, table_counts_on_server

    told: list[str] = []
    monkeypatch.setattr(sharing, "tell", lambda parent, text: told.append(text))
    laptop = tmp_path / "laptop.sqlite3"
    laptop.write_bytes(demo_template.read_bytes())
    url = pg_database(None)
    monkeypatch.setattr(sharing, "ask_server_url", lambda parent: url)
    db = Database.open(laptop)
    window = MainWindow(db)
    qtbot.addWidget(window)
    window.show()
    assert window.sharing_action.text() == "Copy to a s&hared database…"
    window.sharing_action.trigger()
    qtbot.waitUntil(lambda: bool(told), timeout=60_000)
    assert "every table's count was checked" in told[0] and "lgf-desktop --db postgresql://" in told[0]
    window.close()
    db.close()
    assert table_counts_on_server(url) == table_counts_of_file(laptop)

    shared = Database.open(url)
    snapshot = tmp_path / "snapshot.sqlite3"
    monkeypatch.setattr(sharing, "ask_snapshot_path", lambda parent, suggested: snapshot)
    window = MainWindow(shared)
    qtbot.addWidget(window)
    window.show()
    assert window.sharing_action.text() == "Take a &snapshot to a file…"
    assert not hasattr(window, "encryption_action")  # SQLCipher is for files; a server protects its own
    about = html.unescape(about_text(shared.location))
    assert "Backups of a database on a PostgreSQL server are the server's job" in about and "snapshot" in about
    window.sharing_action.trigger()
    qtbot.waitUntil(lambda: len(told) == 2, timeout=60_000)
    assert "Open it offline with: lgf-desktop --db" in told[1]
    window.close()
    shared.close()
    assert table_counts_of_file(snapshot) == table_counts_of_file(laptop)


def test_another_clients_commit_is_noticed_and_our_own_are_not(qtbot, pg_database) -> None:
    """The data watcher hears the server's notifications (LISTEN/NOTIFY): another client's write is
    noticed, this window's own is not, nor a read."""
    from lgf_desktop.models import Setting
    from lgf_desktop.ui.data_watch import DataWatcher

    url = pg_database("empty")
    mine, theirs = Database.open(url), Database.open(url)
    watcher = DataWatcher(mine)
    told: list[int] = []
    watcher.changed_elsewhere.connect(lambda: told.append(1))
    try:
        assert not watcher.poll()
        mine.write(lambda s: s.add(Setting(key="mine", value="1"))).result(10)
        with mine.read() as s:  # reading writes nothing anywhere
            s.scalars(select(Setting)).all()
        qtbot.wait(500)  # a notification would have arrived long since
        assert told == [] and not watcher.poll()
        theirs.write(lambda s: s.add(Setting(key="theirs", value="1"))).result(10)
        qtbot.waitUntil(lambda: told == [1], timeout=1000)
        assert not watcher.poll()
    finally:
        watcher.stop()
        mine.close()
        theirs.close()
