"""A save that fails is never reported as saved: the text stays on screen and in the recovery
journal, the indicator says why in one sentence, the save is tried again, and closing asks first.

The read-only database is SQLite's own refusal (``PRAGMA query_only`` on the writer's connection:
the tests run as root, which ignores file modes); the full disk is a real one, a small tmpfs.
"""

from __future__ import annotations

import errno
import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

import pytest
from PySide6.QtTest import QTest
from sqlalchemy import select
from sqlalchemy.exc import OperationalError

from lgf_desktop.db import Database
from lgf_desktop.journal import Journal, journal_path
from lgf_desktop.models import Response
from lgf_desktop.storage.faults import fault_sentence
from lgf_desktop.ui.autosave import RETRY_MS, UnsavedText
from workshop_support import _demo_template, open_workshop, planned_review_id, workshop_db  # noqa: F401



# PRAGMA query_only refuses as a read-only file does; the file itself stays writable (root), so the
# sentence says it could not be written to rather than that it is read-only.
READ_ONLY = "could not be written"


def stored(db, review_id: int, question_id: int) -> str | None:
    with db.read() as s:
        return s.scalar(select(Response.text).where(Response.review_id == review_id, Response.question_id == question_id))


def set_query_only(db, on: bool) -> None:
    db.write(lambda s: s.connection().exec_driver_sql(f"PRAGMA query_only = {'ON' if on else 'OFF'}")).result(5)


@pytest.fixture
def asked(monkeypatch):
    """Answers the close question with 'keep the window open' and records what it said."""
    questions: list[str] = []

    def ask(cls, parent, problem):
        questions.append(problem)
        return False

    monkeypatch.setattr(UnsavedText, "ask", classmethod(ask))
    return questions


def test_the_causes_are_told_apart_in_one_sentence_without_the_text(tmp_path) -> None:
    path = tmp_path / "lgf.sqlite3"
    path.write_bytes(b"")

    def wrapped(message: str) -> OperationalError:
        return OperationalError("UPDATE response SET text=?", ("Child A's secret words",), sqlite3.OperationalError(message))

    assert "could not be written" in fault_sentence(wrapped("attempt to write a readonly database"), path=path)
    assert "disk holding" in fault_sentence(wrapped("database or disk is full"), path=path)
    assert "locked by another program" in fault_sentence(wrapped("database is locked"), path=path)
    assert "no longer there" in fault_sentence(OSError(errno.ENOENT, "No such file"), path=tmp_path / "gone")
    assert "disk holding" in fault_sentence(OSError(errno.ENOSPC, "No space left on device"), path=path)
    for message in ("attempt to write a readonly database", "something new"):
        sentence = fault_sentence(wrapped(message), path=path)
        assert "secret" not in sentence and "UPDATE" not in sentence
        assert sentence.endswith("stays on screen and is tried again every few seconds.")


def test_a_read_only_database_keeps_the_text_says_why_retries_and_refuses_a_silent_close(qtbot, workshop_db, asked):
    review_id = planned_review_id(workshop_db)
    w = open_workshop(qtbot, workshop_db, review_id)
    question = w.question_id
    set_query_only(workshop_db, True)
    QTest.keyClicks(w.editor, "Typed while the file was read-only")
    qtbot.waitUntil(lambda: READ_ONLY in w.saved_label.text(), timeout=3000)
    assert not w.saved_label.text().startswith("Saved")
    assert w.editor.text() == "Typed while the file was read-only"
    assert stored(workshop_db, review_id, question) is None
    workshop_db.journal.flush()
    journal = Journal(journal_path(workshop_db.path)).entries()
    assert [e.text for e in journal] == ["Typed while the file was read-only"]  # survives a crash

    w.close()  # refused: the chair is asked, and answers "keep the window open"
    assert w.isVisible() and len(asked) == 1 and READ_ONLY in asked[0]

    set_query_only(workshop_db, False)  # the file is writable again: the retry saves it
    qtbot.waitUntil(lambda: w.saved_label.text().startswith("Saved "), timeout=RETRY_MS + 3000)
    assert stored(workshop_db, review_id, question) == "Typed while the file was read-only"
    workshop_db.journal.flush()
    assert Journal(journal_path(workshop_db.path)).entries() == []
    assert w.close() and len(asked) == 1  # nothing unsaved: closes without asking


def test_a_failed_save_of_the_question_left_behind_is_retried_and_named(qtbot, workshop_db, asked):
    review_id = planned_review_id(workshop_db)
    w = open_workshop(qtbot, workshop_db, review_id)
    first = w.question_id
    set_query_only(workshop_db, True)
    QTest.keyClicks(w.editor, "First answer")
    w.next_question()  # the save of the first answer fails after the chair moved on
    qtbot.waitUntil(lambda: READ_ONLY in w.saved_label.text() and "question 1.1" in w.saved_label.text(), timeout=3000)
    set_query_only(workshop_db, False)
    qtbot.waitUntil(lambda: stored(workshop_db, review_id, first) == "First answer", timeout=RETRY_MS + 3000)
    qtbot.waitUntil(lambda: w.saved_label.text().startswith("Saved "), timeout=3000)


@pytest.fixture
def tiny_disk(tmp_path: Path):
    """A 12 MB filesystem of its own (tmpfs; the tests run as root)."""
    mount = tmp_path / "tiny"
    mount.mkdir()
    result = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=12m", "tmpfs", str(mount)], capture_output=True)
    if result.returncode != 0:
        pytest.skip("cannot mount a small filesystem here")
    yield mount
    subprocess.run(["umount", "-l", str(mount)], check=False)


def test_a_full_disk_keeps_the_text_says_so_and_saves_once_there_is_room(qtbot, workshop_db, tiny_disk, asked):
    review_id = planned_review_id(workshop_db)
    workshop_db.close()
    path = tiny_disk / "lgf.sqlite3"
    shutil.copy(workshop_db.path, path)
    if path.stat().st_size > 8_000_000:
        pytest.skip("the demo database does not leave room on the small disk")
    db = Database.open(path)
    try:
        w = open_workshop(qtbot, db, review_id)
        question = w.question_id
        filler = tiny_disk / "filler"
        fd = os.open(filler, os.O_WRONLY | os.O_CREAT)  # fill what is left of the disk
        try:
            while os.write(fd, b"\0" * 4096):
                pass
        except OSError as exc:
            assert exc.errno == errno.ENOSPC
        finally:
            os.close(fd)
        text = "A long answer typed when the disk was full. " * 200
        w.editor.insertPlainText(text)
        qtbot.waitUntil(lambda: "is full" in w.saved_label.text(), timeout=3000)
        assert w.editor.text() == text and stored(db, review_id, question) is None
        w.close()
        assert w.isVisible() and "is full" in asked[-1]
        os.remove(filler)  # room again: the retry saves it
        qtbot.waitUntil(lambda: w.saved_label.text().startswith("Saved "), timeout=RETRY_MS + 3000)
        assert stored(db, review_id, question) == text
        w.close()
    finally:
        db.close()


def test_audit_evidence_that_cannot_be_saved_stays_is_said_and_is_saved_once_it_can(qtbot, db):
    """The auditor's evidence is on the same autosave: the failure is said under the evidence, the
    page refuses to call itself saved, and the retry saves it when the file is writable again."""
    from audit_helpers import make_audit

    from lgf_desktop.models import Grade
    from lgf_desktop.ui.audit.page import AuditsPage

    make_audit(db)
    page = AuditsPage(db)
    qtbot.addWidget(page)
    page.resize(1366, 768)
    page.show()
    panel = page.scoring.panel
    set_query_only(db, True)
    QTest.keyClicks(panel.evidence, "Seen in the GP record")
    qtbot.waitUntil(lambda: READ_ONLY in panel.not_saved.text() and panel.not_saved.isVisible(), timeout=3000)
    assert page.scoring.saved.text() == "⚠ Not saved" and READ_ONLY in page.problem
    assert panel.evidence.toPlainText() == "Seen in the GP record"
    db.journal.flush()
    assert [e.text for e in Journal(journal_path(db.path)).entries()] == ["Seen in the GP record"]
    assert page.flush() is False  # closing the window would ask first
    set_query_only(db, False)
    qtbot.waitUntil(lambda: page.scoring.saved.text().startswith("Saved "), timeout=RETRY_MS + 3000)
    assert not panel.not_saved.isVisible() and page.problem == ""
    with db.read() as s:
        assert s.get(Grade, panel.grade_id).evidence == "Seen in the GP record"
    db.journal.flush()
    assert Journal(journal_path(db.path)).entries() == []
