"""The recovery journal (Qt-free) and the one-second rule of the autosave."""

from __future__ import annotations

import os
import stat
import time

import pytest
from PySide6.QtWidgets import QPlainTextEdit

from lgf_desktop.journal import COMPACT_BYTES, Journal
from lgf_desktop.ui.autosave import MAX_WAIT_MS, SaveSchedule


def test_the_journal_is_private_and_forgets_only_the_text_that_was_saved(tmp_path) -> None:
    path = tmp_path / "lgf.sqlite3.journal"
    journal = Journal(path)
    journal.note("response/1/2", "text", "First words", "question 1.2")
    assert journal.flush()  # written by the journal's own thread: the typing never waits for it
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    journal.note("response/1/2", "text", "First words and more")
    journal.saved("response/1/2", "text", "First words")  # an older save committing late
    journal.flush()
    assert [e.text for e in Journal(path).entries()] == ["First words and more"]
    journal.saved("response/1/2", "text", "First words and more")
    journal.flush()
    assert Journal(path).entries() == []
    journal.window_opened("workshop", review_id=1, question_id=2)
    journal.flush()
    assert Journal(path).open_window("workshop") == {"review_id": 1, "question_id": 2}
    journal.window_closed("workshop")
    journal.flush()
    assert Journal(path).open_window("workshop") is None
    journal.close()
    assert not path.exists()  # nothing left to recover: no file


def test_a_line_cut_short_by_a_crash_loses_only_itself(tmp_path) -> None:
    path = tmp_path / "j"
    journal = Journal(path)
    journal.note("grade/7", "evidence", "Seen at school")
    journal.flush()
    with open(path, "ab") as out:
        out.write(b'{"op": "text", "record": "grade/7", "field": "evid')
    assert [e.text for e in Journal(path).entries()] == ["Seen at school"]


def test_the_journal_stays_small_while_typing_a_long_answer(tmp_path) -> None:
    path = tmp_path / "j"
    journal = Journal(path)
    text = ""
    for n in range(3000):
        text += "word "
        journal.note("response/1/1", "text", text)
    journal.flush()
    assert path.stat().st_size <= COMPACT_BYTES + len(text) * 2
    assert Journal(path).entries()[0].text == text


@pytest.mark.timing
def test_steady_typing_is_saved_within_a_second_of_the_first_unsaved_keystroke(qtbot) -> None:
    """A keystroke every 100 ms never leaves a 500 ms pause; the save comes anyway, every time
    within a second of the first keystroke it has not yet saved."""
    box = QPlainTextEdit()
    qtbot.addWidget(box)
    schedule = SaveSchedule(box)
    saves: list[float] = []
    schedule.due.connect(lambda: saves.append(time.perf_counter()))
    first_unsaved: list[float] = []
    start = time.perf_counter()
    while time.perf_counter() - start < 3.0:
        if len(first_unsaved) == len(saves):
            first_unsaved.append(time.perf_counter())
        schedule.edited()
        qtbot.wait(100)
    assert len(saves) >= 2
    for unsaved, saved in zip(first_unsaved, saves, strict=False):
        assert saved - unsaved < 1.0
        assert saved - unsaved >= MAX_WAIT_MS / 1000 - 0.05  # the deadline, not the pause
