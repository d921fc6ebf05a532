"""The workshop open while another program opens the same file and closes it again (a backup script,
DB Browser for SQLite, a colleague's query): every answer typed afterwards is in the file, for a
fresh connection and after a restart.

SQLite hands its write-ahead log to the last program to close a file: that one checkpoints it and
deletes it. If this process gives up its file locks without knowing (POSIX drops them all when any
descriptor of the file is closed, for instance by reading the file's header with open()), the
command believes it is the last, deletes the log under the open window, and everything the chair
types afterwards goes to a log nobody will read again: "Saved" on screen, lost in the file."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtTest import QTest
from sqlalchemy import select

from lgf_desktop.db import Database
from lgf_desktop.models import Response
from workshop_support import _demo_template, open_workshop, planned_review_id, workshop_db  # noqa: F401

# Another program: opens the file as any SQLite program does, reads, and closes it properly.
ANOTHER_PROGRAM = ("import sqlite3, sys; c = sqlite3.connect(sys.argv[1]); "
                   "c.execute('SELECT count(*) FROM response').fetchone(); c.close()")


def in_a_fresh_connection(path: Path, review_id: int, question_id: int) -> str | None:
    conn = sqlite3.connect(path)
    try:
        row = conn.execute("SELECT text FROM response WHERE review_id = ? AND question_id = ?",
                           (review_id, question_id)).fetchone()
    finally:
        conn.close()
    return row[0] if row else None


@pytest.mark.slow
def test_answers_typed_after_another_program_read_the_file_are_in_the_file(qtbot, workshop_db) -> None:
    db = workshop_db
    review_id = planned_review_id(db)
    window = open_workshop(qtbot, db, review_id)
    question_id = window.question_id
    with db.read():  # as the screens do: readers open beside the one writer
        pass
    watch = db.connect_watch()  # and the data watcher's own connection
    try:
        QTest.keyClicks(window.editor, "Before the other program.")
        assert window.autosaver.flush()

        # Another program opens the same file and closes it: it must not take the log with it.
        done = subprocess.run([sys.executable, "-c", ANOTHER_PROGRAM, str(db.path)], capture_output=True, text=True,
                              timeout=60)
        assert done.returncode == 0, done.stderr
        assert Path(f"{db.path}-wal").exists()  # still ours: the other program was not the last to close

        QTest.keyClicks(window.editor, " After it.")
        assert window.autosaver.flush() and window.saved_label.text().startswith("Saved ")
        typed = "Before the other program. After it."
        assert in_a_fresh_connection(db.path, review_id, question_id) == typed
    finally:
        watch.close()
    window.close()
    db.close()
    reopened = Database.open(db.path)
    try:
        with reopened.read() as session:
            assert session.scalar(select(Response.text).where(Response.review_id == review_id,
                                                              Response.question_id == question_id)) == typed
    finally:
        reopened.close()
