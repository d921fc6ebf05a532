"""Several people at once on one database — a SQLite file and a PostgreSQL server alike: another
client's change is heard within a second, two people editing the same response never overwrite each
other, and a long export never makes the person typing minutes wait."""

from __future__ import annotations

import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from PySide6.QtTest import QTest
from sqlalchemy import select

from lgf_desktop.db import Database
from lgf_desktop.errors import StaleEdit
from lgf_desktop.models import Organisation, Response, Review, Round
from lgf_desktop.services.review import workshop as ws
from lgf_desktop.storage.change_feed import open_feed
from lgf_desktop.ui import conflict
from lgf_desktop.ui.data_watch import DataWatcher
from lgf_desktop.ui.workshop.window import WorkshopWindow

# Another client, in a process of its own: saves an answer and prints when its commit returned.
SAVE_ELSEWHERE = """
import sys, time
from lgf_desktop.db import Database
from lgf_desktop.services.review.workshop import save_response
db = Database.open(sys.argv[1])
with db.session() as session:
    save_response(session, int(sys.argv[2]), int(sys.argv[3]), sys.argv[4])
print(time.time(), flush=True)
db.close()
"""


def where(db: Database) -> str:
    return db.location.url or str(db.path)


def first_answer(db: Database) -> tuple[int, int, str, int]:
    with db.read() as session:
        response = session.scalars(select(Response).where(Response.text != "").order_by(Response.id)).first()
        return response.review_id, response.question_id, response.text, response.version


def test_a_change_by_another_client_is_heard_within_a_second_and_our_own_are_not(demo_db: Database) -> None:
    review_id, question_id, text, _ = first_answer(demo_db)
    heard: list[float] = []
    feed = open_feed(demo_db, lambda: heard.append(time.time()))
    try:
        with demo_db.session() as session:  # this client's own save: the screens know already
            ws.save_response(session, review_id, question_id, text + " Ours.")
        time.sleep(0.6)
        assert heard == [] and not feed.changed()

        done = subprocess.run([sys.executable, "-c", SAVE_ELSEWHERE, where(demo_db), str(review_id),
                               str(question_id), text + " Theirs."], capture_output=True, text=True, timeout=60)
        assert done.returncode == 0, done.stderr
        committed = float(done.stdout.split()[0])
        deadline = time.monotonic() + 1.0
        while not heard and time.monotonic() < deadline:
            time.sleep(0.01)
        assert heard, "the other client's commit was not heard within a second"
        assert heard[0] - committed < 1.0
        assert feed.changed() and not feed.changed()  # told once
    finally:
        feed.stop()


def test_a_second_save_from_an_older_version_is_refused_with_both_texts_kept(demo_db: Database) -> None:
    other = Database.open(where(demo_db))  # a second client
    try:
        review_id, question_id, text, version = first_answer(demo_db)
        with other.session() as session:
            assert ws.save_response(session, review_id, question_id, "Sam's words.", version) == version + 1
        with pytest.raises(StaleEdit) as refused, demo_db.session() as session:
            ws.save_response(session, review_id, question_id, "Ruth's words.", version)
        assert refused.value.current_text == "Sam's words." and refused.value.current_version == version + 1
        assert first_answer(demo_db)[2:] == ("Sam's words.", version + 1)
    finally:
        other.close()


# --- two workshop windows, each its own client with its own change feed ---------------------------


@pytest.fixture(params=["sqlite", "postgresql"])
def shared_location(request, demo_template: Path, tmp_path: Path) -> str:
    """The demo with a planned review to run a workshop on, on a file or on the test server."""
    if request.param == "postgresql":
        location = request.getfixturevalue("pg_database")("demo")
    else:
        location = str(tmp_path / "shared.sqlite3")
        shutil.copyfile(demo_template, location)
    db = Database.open(location)
    with db.session() as session:
        round_ = session.scalars(select(Round).where(Round.kind == "peer review")).first()
        session.add(Review(round=round_, organisation=Organisation(name="Westmoor Youth Trust", short_name="WYT"),
                           status="planned", position=9, duration_minutes=90))
    db.close()
    return location


@pytest.fixture
def two_clients(qtbot, shared_location: str):
    clients = []
    for _ in range(2):
        db = Database.open(shared_location)
        with db.read() as session:
            review_id = session.scalar(select(Review.id).where(Review.status == "planned", Review.position == 9))
        window = WorkshopWindow(db, review_id)
        qtbot.addWidget(window)
        window.show()
        qtbot.waitExposed(window)
        watcher = DataWatcher(db, window)
        watcher.changed_elsewhere.connect(window.refresh_from_database)  # as the main window wires it
        clients.append((db, window, watcher))
    yield clients
    for db, window, watcher in clients:
        watcher.stop()
        window.close()
        db.close()


def test_an_answer_typed_in_one_window_appears_in_the_other_within_a_second(qtbot, two_clients) -> None:
    (_, first, _), (_, second, _) = two_clients
    assert first.question_id == second.question_id
    QTest.keyClicks(second.editor, "Typed by the panel member.")
    assert second.autosaver.flush()
    saved = time.monotonic()
    qtbot.waitUntil(lambda: first.editor.text() == "Typed by the panel member.", timeout=1000)
    assert time.monotonic() - saved < 1.0
    assert not first.autosaver.pending


def test_two_people_typing_in_the_same_answer_lose_nothing(qtbot, two_clients, monkeypatch) -> None:
    (first_db, first, _), (_, second, _) = two_clients
    asked = []

    def ask(cls, parent, message, theirs, mine, what="answer"):
        asked.append((theirs, mine))
        return conflict.KEEP_BOTH

    monkeypatch.setattr(conflict.ConflictDialog, "ask", classmethod(ask))
    QTest.keyClicks(second.editor, "Theirs: the panel member's words.")
    assert second.autosaver.flush()
    QTest.keyClicks(first.editor, "Mine: the chair's words.")  # typed before the other's change arrived
    qtbot.wait(600)  # the change is heard (and the autosave may run): the typing is never replaced
    assert "Mine: the chair's words." in first.editor.text()
    assert first.autosaver.flush()
    assert asked == [("Theirs: the panel member's words.", "Mine: the chair's words.")]
    both = "Theirs: the panel member's words.\n\nMine: the chair's words."
    with first_db.read() as session:
        assert session.scalar(select(Response.text).where(Response.review_id == first.review_id,
                                                          Response.question_id == first.question_id)) == both
    qtbot.waitUntil(lambda: second.editor.text() == both, timeout=1000)  # and the other sees the outcome


# --- a long export and the minutes being typed ---------------------------------------------------


def test_the_minutes_save_while_a_long_export_is_half_way(demo_db: Database, tmp_path: Path) -> None:
    """The export is held half-way (its progress callback waits) while answers are saved: through the
    same database (the chair's own window exporting) and through another client (a colleague)."""
    from lgf_desktop.exports.report_docx import export_report

    other = Database.open(where(demo_db))
    review_id, question_id, text, _ = first_answer(demo_db)
    half_way, finish = threading.Event(), threading.Event()

    def progress(done: int, total: int, message: str) -> None:
        if done == 1:
            half_way.set()
            finish.wait(30)

    def export() -> None:
        with demo_db.export_session() as session:
            round_ = session.scalars(select(Round).where(Round.label == "2021-22")).one()
            export_report(session, round_, tmp_path / "report.docx", progress=progress)

    exporting = threading.Thread(target=export)
    exporting.start()
    try:
        assert half_way.wait(30)
        started = time.monotonic()
        saved = demo_db.write(lambda s: ws.save_response(s, review_id, question_id, text + " Typed meanwhile."))
        saved.result(timeout=2)
        mine = time.monotonic() - started
        started = time.monotonic()
        with other.session() as session:
            ws.save_response(session, review_id, question_id, text + " Typed by a colleague meanwhile.")
        theirs = time.monotonic() - started
        assert exporting.is_alive()  # still half-way through
        assert mine < 0.5 and theirs < 0.5, (mine, theirs)
    finally:
        finish.set()
        exporting.join(60)
        other.close()
    assert (tmp_path / "report.docx").is_file()
