"""Small things that decide whether the app feels finished, each tried at 1366×768 as a user would:
the Export menu's Alt letter, Return on the welcome screen, the contact attempts table, the navigator's
width between sections, and the Panel tab's person picker."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QMessageBox
from sqlalchemy import func, select

from lgf_desktop.models import Audit, Review, Round
from lgf_desktop.ui.main_window import MainWindow, mnemonic, unique_mnemonic


def shown(qtbot, db) -> MainWindow:
    window = MainWindow(db)
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    qtbot.waitExposed(window)
    return window


def test_every_menu_has_its_own_alt_letter(qtbot, demo_db):
    window = shown(qtbot, demo_db)
    titles = [a.text() for a in window.menuBar().actions()]
    letters = [mnemonic(t) for t in titles]
    assert "" not in letters and len(set(letters)) == len(letters), titles
    assert "E&xport" in titles
    assert unique_mnemonic("&Export", {"e", "x"}) == "Ex&port"


def test_return_presses_the_focused_button_on_the_welcome_screen(qtbot, db):
    window = shown(qtbot, db)
    page = window.stack.currentWidget()
    page.demo_button.setFocus()
    qtbot.waitUntil(page.demo_button.hasFocus)
    said = page.demo_text.text()  # the screen says all the demo adds …
    QTest.keyClick(page.demo_button, Qt.Key.Key_Return)
    with db.session() as session:
        assert session.scalar(select(func.count()).select_from(Round)) == 2  # the peer-review and year-one rounds
        labels = session.scalars(select(Round.label).order_by(Round.label)).all()
        assert labels and all(label in said for label in labels)  # … every round …
        assert session.scalar(select(func.count()).select_from(Audit)) == 1 and "audit" in said  # … and the audit


def test_the_contact_attempts_table_shows_what_was_offered(qtbot, demo_db):
    window = shown(qtbot, demo_db)
    with demo_db.session() as session:
        review_id = session.scalar(select(Review.id).where(Review.status == "declined"))
    window.navigator.select("review", review_id)
    page = window.stack.currentWidget()
    QApplication.processEvents()
    view, model = page.contact_view, page.contacts
    column = next(c for c in range(model.columnCount()) if model.headerData(c, Qt.Orientation.Horizontal) == "What was offered")
    assert view.columnWidth(column) >= view.fontMetrics().horizontalAdvance("What was offered")
    assert view.horizontalScrollBar().maximum() == 0  # nothing pushed off to the right


def test_the_contact_attempts_fit_after_coming_from_another_review(qtbot, demo_db):
    # The page is reused: it loads the declined review while its contacts tab is hidden, and the
    # stretched columns used to keep the width of the longest text (found at 1366×768 under X).
    window = shown(qtbot, demo_db)
    with demo_db.session() as session:
        held = session.scalar(select(Review.id).where(Review.status == "held"))
        declined = session.scalar(select(Review.id).where(Review.status == "declined"))
    window.navigator.select("review", held)
    window.stack.currentWidget().tabs.setCurrentIndex(1)
    QApplication.processEvents()
    window.navigator.select("review", declined)
    QApplication.processEvents()
    view = window.stack.currentWidget().contact_view
    assert view.isVisible()
    assert view.horizontalScrollBar().maximum() == 0
    header = view.horizontalHeader()
    assert sum(header.sectionSize(c) for c in range(header.count())) <= view.viewport().width()
    # Back to a held review: it opens on who was present, not on an empty contacts table.
    window.navigator.select("review", held)
    QApplication.processEvents()
    assert window.stack.currentWidget().tabs.currentIndex() == 0


def test_the_navigator_keeps_its_width_between_sections(qtbot, demo_db):
    window = shown(qtbot, demo_db)
    width = window.navigator.width()
    with demo_db.session() as session:
        review_id = session.scalar(select(Review.id))
        round_id = session.scalar(select(Round.id))
    for kind, record in (("round", round_id), ("tracker", None), ("audits", None), ("review", review_id),
                         ("people", None), ("organisations", None), ("round", round_id)):
        window.navigator.select(kind, record)
        qtbot.wait(50)
        assert window.navigator.width() == width, kind


@pytest.fixture
def no_boxes(monkeypatch):
    for kind in ("warning", "critical", "information"):
        monkeypatch.setattr(QMessageBox, kind, staticmethod(lambda *a, **k: QMessageBox.StandardButton.Ok))


def test_the_panel_picker_says_add_people_only_when_there_are_none(qtbot, demo_db, no_boxes):
    window = shown(qtbot, demo_db)
    with demo_db.session() as session:
        round_id = session.scalar(select(Round.id))
    window.navigator.select("round", round_id)
    picker = window.stack.currentWidget().panel.person
    assert picker.count() > 0  # the demo has people not on the panel
    assert picker.placeholderText() == "Choose a person…"
    for _ in range(picker.count()):  # everyone added: the hint says so, not "add people first"
        picker.setCurrentIndex(0)
        window.stack.currentWidget().panel.add()
    assert picker.count() == 0
    assert "add people on the People page first" not in picker.placeholderText()
    assert "everyone is on the panel" in picker.placeholderText()
