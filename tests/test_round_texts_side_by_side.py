"""A round's four report texts (background, methodology, conclusion, template cover) and its label
sit on one record. Typed one after another, each box is checked on its own field: a save of one
never makes another's save look stale (no false conflict), while a real change made elsewhere to
the same text is still a conflict."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from lgf_desktop.models import Round
from conflict_support import answer_conflicts
from lgf_desktop.ui import conflict
from lgf_desktop.ui.main_window import MainWindow


@pytest.fixture()
def asked(monkeypatch) -> list[tuple[str, str]]:
    return answer_conflicts(monkeypatch, conflict.KEEP_MINE)


def test_typing_in_one_text_then_another_is_never_a_conflict(qtbot, demo_db, asked):
    window = MainWindow(demo_db)
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    page = window.page("round")
    details = page.details
    qtbot.waitUntil(lambda: details.round_id is not None, timeout=10_000)
    round_id = details.round_id
    label = details.label.text()
    keys = list(details.texts)
    typed: dict[str, str] = {}
    for turn in range(2):  # each text twice, the others saved in between
        for n, key in enumerate(keys):
            details.tabs.setCurrentIndex(n)
            box = details.texts[key]
            box.setFocus()
            box.moveCursor(box.textCursor().MoveOperation.End)
            qtbot.keyClicks(box, f" Added in turn {turn}.")
            typed[key] = box.toPlainText()
            qtbot.wait(300 * turn)  # the second turn: the next box is typed in while this one saves
        details.label.setFocus()  # left: the last box saves, and the label is changed
        qtbot.keyClicks(details.label, f" {turn}")
        qtbot.keyClick(details.label, Qt.Key.Key_Tab)
        for box in details.texts.values():
            qtbot.waitUntil(lambda box=box: not box.pending(), timeout=3000)
    assert asked == []
    with demo_db.read() as s:
        stored = s.get(Round, round_id)
        assert {key: getattr(stored, key) for key in keys} == {key: text.strip() for key, text in typed.items()}
        assert stored.label == f"{label} 0 1"

    # A real change to the same text elsewhere (another window, the CLI) is still a conflict.
    key = keys[0]
    with demo_db.session() as s:
        setattr(s.get(Round, round_id), key, "Changed in another window.")
    details.tabs.setCurrentIndex(0)
    box = details.texts[key]
    box.setFocus()
    box.moveCursor(box.textCursor().MoveOperation.End)
    qtbot.keyClicks(box, " Mine.")
    box.flush()
    assert len(asked) == 1 and asked[0][0] == "Changed in another window."
    window.close()
