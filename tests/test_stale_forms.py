"""The main window's pages and another program on the same file: the data watcher notices the other
program's commits (not the window's own), pages refresh, and a text typed here is never saved over
a change made there — the person chooses."""

from __future__ import annotations

import pytest
from PySide6.QtTest import QTest
from sqlalchemy import select

from lgf_desktop.db import Database
from lgf_desktop.models import Review, Round
from lgf_desktop.services import editing
from lgf_desktop.ui import conflict
from lgf_desktop.ui.forms.common import AutoSaveText
from lgf_desktop.ui.main_window import MainWindow


@pytest.fixture
def window(qtbot, demo_db: Database) -> MainWindow:
    win = MainWindow(demo_db)
    qtbot.addWidget(win)
    win.resize(1366, 768)
    win.show()
    yield win
    win.close()


@pytest.fixture
def elsewhere(demo_db: Database):
    """Another program's connection to the same file (as the CLI or a second copy of the app)."""
    other = Database.open(demo_db.path)
    yield other
    other.close()


def review_page(window: MainWindow):
    with window.db.session() as s:
        review_id = s.scalar(select(Review.id).where(Review.status == "held").limit(1))
    assert window.navigator.select("review", review_id)
    return window.stack.currentWidget(), review_id


def comment_of(db, review_id) -> str:
    with db.session() as s:
        return s.get(Review, review_id).overall_comment


def test_the_watcher_notices_other_programs_not_the_windows_own_saves(window, elsewhere) -> None:
    page, review_id = review_page(window)
    assert not window.watcher.poll()
    QTest.keyClicks(page.comment, " Own words.")
    page.comment.flush()
    assert comment_of(window.db, review_id).endswith(" Own words.")
    assert not window.watcher.poll()  # its own commit: the page knows already
    with elsewhere.session() as s:
        editing.update(s, Review, review_id, overall_comment="Rewritten by the other program.")
    changed = []
    window.data_changed.connect(changed.append)
    assert window.watcher.poll()
    assert changed == ["*"]


def test_a_clean_page_refreshes_after_another_programs_change(window, elsewhere) -> None:
    page, review_id = review_page(window)
    with elsewhere.session() as s:
        editing.update(s, Review, review_id, overall_comment="Rewritten by the other program.")
    assert window.watcher.poll()
    assert page.comment.toPlainText() == "Rewritten by the other program."
    QTest.keyClicks(page.comment, " Then added here.")
    page.comment.flush()
    assert comment_of(window.db, review_id) == "Rewritten by the other program. Then added here."


def test_typing_on_a_page_while_another_program_changes_the_text_keeps_both(window, elsewhere, monkeypatch) -> None:
    page, review_id = review_page(window)
    before = page.comment.toPlainText()
    asked = []
    monkeypatch.setattr(conflict.ConflictDialog, "ask", classmethod(
        lambda cls, parent, message, theirs, mine, what="answer": asked.append((theirs, mine)) or conflict.KEEP_BOTH))
    QTest.keyClicks(page.comment, " Mine.")  # waiting for its debounce
    with elsewhere.session() as s:
        editing.update(s, Review, review_id, overall_comment="Theirs.")
    assert window.watcher.poll()  # the page reloads: its waiting text goes through the version check first
    assert asked == [("Theirs.", before + " Mine.")]
    assert comment_of(window.db, review_id) == "Theirs.\n\n" + before + " Mine."
    assert page.comment.toPlainText() == "Theirs.\n\n" + before + " Mine."


def test_a_round_text_is_not_saved_over_a_change_made_elsewhere(window, elsewhere, monkeypatch) -> None:
    with window.db.session() as s:
        round_id = s.scalar(select(Round.id).limit(1))
    assert window.navigator.select("round", round_id)
    page = window.stack.currentWidget()
    conclusion = next(e for e in page.findChildren(AutoSaveText) if e.accessibleName() == "Conclusion")
    asked = []
    monkeypatch.setattr(conflict.ConflictDialog, "ask", classmethod(
        lambda cls, parent, message, theirs, mine, what="answer": asked.append(message) or conflict.KEEP_MINE))
    conclusion.selectAll()
    QTest.keyClicks(conclusion, "Our conclusion.")
    with elsewhere.session() as s:
        editing.update(s, Round, round_id, conclusion_text="Their conclusion.")
    conclusion.flush()
    assert len(asked) == 1 and "changed elsewhere" in asked[0]
    with window.db.session() as s:
        assert s.get(Round, round_id).conclusion_text == "Our conclusion."


def test_tracker_evidence_typed_while_another_program_changes_it_keeps_both(qtbot, demo_db, elsewhere, monkeypatch) -> None:
    from lgf_desktop.models import Recommendation
    from lgf_desktop.services.tracker.actions import set_details
    from lgf_desktop.ui.tracker.screen import TrackerScreen

    screen = TrackerScreen(demo_db)
    qtbot.addWidget(screen)
    with qtbot.waitSignal(screen.loaded, timeout=10000):
        pass
    screen.table.selectRow(0)
    row = screen.detail.row
    assert row is not None
    asked = []
    monkeypatch.setattr(conflict.ConflictDialog, "ask", classmethod(
        lambda cls, parent, message, theirs, mine, what="answer": asked.append((theirs, mine)) or conflict.KEEP_BOTH))
    screen.detail.evidence.setPlainText("Ours: attendance rose.")  # waiting for its debounce
    with elsewhere.session() as s:
        set_details(s, row.id, evidence_of_impact="Theirs: audit shows improvement.")
    screen.detail.flush()
    assert asked == [("Theirs: audit shows improvement.", "Ours: attendance rose.")]
    with demo_db.session() as s:
        assert s.get(Recommendation, row.id).evidence_of_impact == "Theirs: audit shows improvement.\n\nOurs: attendance rose."
    assert screen.detail.evidence.toPlainText() == "Theirs: audit shows improvement.\n\nOurs: attendance rose."
    screen.detail.evidence.setPlainText("Theirs: audit shows improvement.\n\nOurs: attendance rose. More.")
    screen.detail.flush()  # its own save moved the version on: no second question
    assert len(asked) == 1


def test_a_representative_changed_elsewhere_is_not_overwritten_from_an_old_list(window, elsewhere) -> None:
    from PySide6.QtCore import Qt

    from lgf_desktop.models import Representative
    page, review_id = review_page(window)
    rep_id = page.reps.rows[0]["id"]
    with elsewhere.session() as s:
        editing.update(s, Representative, rep_id, role="Director of Nursing (acting)")
    name_column = [c.key for c in page.reps.columns].index("name")
    assert not page.reps.setData(page.reps.index(0, name_column), "Dr A. Renamed", Qt.ItemDataRole.EditRole)
    assert "changed elsewhere" in page.error.text()
    with window.db.session() as s:
        rep = s.get(Representative, rep_id)
        assert rep.role == "Director of Nursing (acting)" and rep.name != "Dr A. Renamed"
    row = page.reps.row_of(rep_id)
    assert page.reps.rows[row]["role"] == "Director of Nursing (acting)"  # the list shows what is stored
    assert page.reps.setData(page.reps.index(row, name_column), "Dr A. Renamed", Qt.ItemDataRole.EditRole)
    with window.db.session() as s:
        assert s.get(Representative, rep_id).name == "Dr A. Renamed"


def test_the_watcher_knows_commits_of_sessions_bound_to_one_connection_as_its_own(window) -> None:
    from sqlalchemy.orm import Session
    with window.db.engine.connect() as connection:  # as the one writer binds its sessions
        session = Session(bind=connection)
        editing.update(session, Review, 1, overall_comment="Written through a connection-bound session.")
        session.commit()
        session.close()
    assert not window.watcher.poll()


def test_a_reader_keeps_their_place_when_a_colleague_changes_the_text(window, elsewhere) -> None:
    """A refresh after someone else's save replaces the text, not where the person was reading."""
    page, review_id = review_page(window)
    long_text = "\n".join(f"Line {n} of a long comment." for n in range(200))
    with elsewhere.session() as s:
        editing.update(s, Review, review_id, overall_comment=long_text)
    assert window.watcher.poll()
    cursor = page.comment.textCursor()
    cursor.setPosition(100)
    page.comment.setTextCursor(cursor)
    page.comment.verticalScrollBar().setValue(0)
    with elsewhere.session() as s:
        editing.update(s, Review, review_id, overall_comment=long_text + "\nAdded by a colleague.")
    assert window.watcher.poll()
    assert page.comment.toPlainText().endswith("Added by a colleague.")
    assert page.comment.textCursor().position() == 100 and page.comment.verticalScrollBar().value() == 0
