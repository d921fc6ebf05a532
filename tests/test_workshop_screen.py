"""The workshop's right column at 1366×768: partnership recommendations lettered as in the report,
theme budgets that add up to the workshop's length and say how they were set, every theme in sight,
a clock in focus mode, and a question before the clock marks an old round's review held."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from lgf_desktop.models import Review
from lgf_desktop.services.review import workshop as ws
from lgf_desktop.services.review.numbering import report_numbers
from lgf_desktop.ui.workshop.window import WorkshopWindow
from workshop_support import _demo_template, planned_review_id, workshop_db  # noqa: F401


def open_window(qtbot, db) -> WorkshopWindow:
    window = WorkshopWindow(db, planned_review_id(db))
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    qtbot.waitUntil(window.editor.hasFocus)
    return window


def test_shares_add_up_exactly():
    assert ws.shares(90, [1, 1, 1, 1, 1, 1, 1]) == [13, 13, 13, 13, 13, 13, 12]
    for total in (0, 1, 7, 89, 90, 91, 240):
        for weights in ([1], [1, 1, 1], [3, 2, 3, 2, 3, 2, 3], [5, 0, 1]):
            parts = ws.shares(total, weights)
            assert sum(parts) == total and all(p >= 0 for p in parts)
            assert all(abs(p - total * w / sum(weights)) < 1 for p, w in zip(parts, weights))


def test_partnership_recommendations_are_lettered_as_in_the_report(qtbot, workshop_db):
    w = open_window(qtbot, workshop_db)
    QTest.keyClick(w.editor, Qt.Key.Key_R, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    QTest.keyClicks(w.partnership.entry, "Publish a shared escalation policy")
    QTest.keyClick(w.partnership.entry, Qt.Key.Key_Return)
    model = w.partnership.model
    shown = [model.headerData(r, Qt.Orientation.Vertical) for r in range(model.rowCount())]
    with workshop_db.session() as session:
        numbers = report_numbers(session, session.get(Review, w.review_id).round)
    assert shown == [numbers[rec_id] for rec_id, _ in model.rows]
    assert shown == [chr(ord("A") + i) for i in range(len(shown))] and len(shown) >= 2


def test_theme_budgets_add_up_to_the_length_and_say_how_they_were_set(qtbot, workshop_db):
    w = open_window(qtbot, workshop_db)
    model = w.clock.model

    def minutes() -> list[int]:
        return [int(model.index(r, 1).data().split()[0]) for r in range(model.rowCount())]

    with workshop_db.session() as session:
        length = session.get(Review, w.review_id).duration_minutes
    assert sum(minutes()) == length
    assert "(share)" not in " ".join(model.index(r, 1).data() for r in range(model.rowCount()))
    assert "shared by number of questions" in w.clock.budget_note.text()
    assert f"together {length} of {length} min" in w.clock.budget_note.text()
    assert "share of the time by its number of questions" in model.index(0, 1).data(Qt.ItemDataRole.ToolTipRole)
    model.setData(model.index(0, 1), "10")  # the chair sets one by hand
    assert minutes()[0] == 10 and sum(minutes()) == length
    assert model.index(0, 1).data() == "10 (set)" and "set by hand" in model.index(0, 1).data(Qt.ItemDataRole.ToolTipRole)
    assert "1 set by hand" in w.clock.budget_note.text()


def test_every_theme_shows_without_scrolling_at_768(qtbot, workshop_db):
    w = open_window(qtbot, workshop_db)
    QApplication.processEvents()
    table = w.clock.table
    rows = w.clock.model.rowCount()
    assert rows == 7
    last = table.rowViewportPosition(rows - 1) + table.rowHeight(rows - 1)
    assert 0 <= table.rowViewportPosition(0) and last <= table.viewport().height()
    assert table.verticalScrollBar().maximum() == 0


def test_focus_mode_keeps_a_compact_clock_and_the_theme_time(qtbot, workshop_db):
    w = open_window(qtbot, workshop_db)
    w.clock.ask = lambda parent, question: True
    QTest.keyClick(w.editor, Qt.Key.Key_F5)
    QTest.keyClick(w.editor, Qt.Key.Key_F11)
    assert w.focus_mode and not w.clock.isVisible()
    assert w.compact_clock.isVisible()
    text = w.compact_clock.text()
    assert w.clock.elapsed.text() in text and "left of 90 min" in text and "running" in text
    assert "Safeguarding Structures: " in text
    QTest.keyClick(w.editor, Qt.Key.Key_F11)
    assert not w.compact_clock.isVisible() and w.clock.isVisible()


def test_starting_the_clock_on_an_old_rounds_review_asks_first(qtbot, workshop_db):
    w = open_window(qtbot, workshop_db)
    asked: list[str] = []
    w.clock.ask = lambda parent, question: asked.append(question) and False
    QTest.keyClick(w.editor, Qt.Key.Key_F5)
    assert asked and "round 2021-22, which is over" in asked[0] and "marks the review held" in asked[0]
    with workshop_db.session() as session:
        review = session.get(Review, w.review_id)
        assert not review.clock_running and review.status == "planned" and review.review_date is None
    w.clock.ask = lambda parent, question: True
    QTest.keyClick(w.editor, Qt.Key.Key_F5)
    with workshop_db.session() as session:
        review = session.get(Review, w.review_id)
        assert review.clock_running and review.status == "held"
    asked.clear()
    w.clock.ask = lambda parent, question: asked.append(question) or True
    QTest.keyClick(w.editor, Qt.Key.Key_F5)  # pausing and starting again asks nothing
    QTest.keyClick(w.editor, Qt.Key.Key_F5)
    assert asked == []
