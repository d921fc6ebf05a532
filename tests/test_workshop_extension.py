"""The workshop inside the main window: Open workshop on the selected review, the notes exchange menu."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QMessageBox
from sqlalchemy import select

from lgf_desktop.models import NoteContribution
from lgf_desktop.services.review import workshop as ws
from lgf_desktop.ui.tasks import wait_for_tasks
from lgf_desktop.ui.workshop import extension
from lgf_desktop.ui.workshop.window import WorkshopWindow
from workshop_support import _demo_template, planned_review_id, workshop_db  # noqa: F401

main_window = pytest.importorskip("lgf_desktop.ui.main_window")


@pytest.fixture
def window(qtbot, workshop_db, monkeypatch):
    monkeypatch.setattr(QMessageBox, "information", lambda *a, **k: QMessageBox.StandardButton.Ok)
    w = main_window.MainWindow(workshop_db)
    qtbot.addWidget(w)
    w.show()
    qtbot.waitExposed(w)
    return w


def test_open_workshop_on_the_selected_review(qtbot, window, workshop_db):
    review_id = planned_review_id(workshop_db)
    assert window.navigator.select("review", review_id)
    action = next(a for a in window.review_actions if a.text() == "Open workshop")
    assert action.shortcut().toString() == "Ctrl+Shift+W"
    assert any(a.text() == "Import panel member's notes…" for a in window.menu("&Workshop").actions())
    window.activateWindow()
    QTest.keyClick(window, Qt.Key.Key_W, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    workshops = [w for w in window.findChildren(WorkshopWindow) if w.isVisible()]
    if not workshops:  # the shortcut may not reach an inactive offscreen window; the action must work
        action.trigger()
        workshops = [w for w in window.findChildren(WorkshopWindow) if w.isVisible()]
    assert len(workshops) == 1 and workshops[0].review_id == review_id
    action.trigger()  # a second open raises the same window
    assert len([w for w in window.findChildren(WorkshopWindow) if w.isVisible()]) == 1
    workshops[0].close()


def test_export_and_import_from_the_menu(qtbot, window, workshop_db, tmp_path):
    review_id = planned_review_id(workshop_db)
    with workshop_db.session() as s:
        question = ws.get_review(s, review_id).round.questions[0]
        ws.save_response(s, review_id, question.id, "Member's notes")
    window.navigator.select("review", review_id)
    target = tmp_path / "mine.lgfx"
    extension.export_notes(window, str(target))
    qtbot.waitUntil(target.exists)
    wait_for_tasks()
    with qtbot.waitSignal(window.data_changed, timeout=5000):
        extension.import_notes(window, str(target))
    with workshop_db.session() as s:
        assert [n.text for n in s.scalars(select(NoteContribution))] == ["Member's notes"]
