"""Earlier versions of a response: kept once a minute and before a large deletion, listed and
compared in the workshop's "Earlier versions…" view, and restored (which keeps the text it replaces)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from sqlalchemy import select

from lgf_desktop.models import Response, ResponseVersion
from lgf_desktop.services.differences import compare_html
from lgf_desktop.services.review import response_versions as rv
from lgf_desktop.services.review import workshop as ws
from lgf_desktop.ui.workshop.earlier_versions import EarlierVersionsDialog
from lgf_desktop.ui.workshop.window import WorkshopWindow
from workshop_support import _demo_template, planned_review_id, workshop_db  # noqa: F401

ANSWER = ("The trust described its induction: every new starter completes level 1 safeguarding in the "
          "first week and level 3 within three months for patient-facing staff; compliance is 94 % and "
          "reported monthly to the board, with named leads chasing anyone overdue.")


def first_question(db, review_id) -> int:
    with db.session() as s:
        return ws.get_review(s, review_id).round.questions[0].id


def kept(db, review_id, question_id) -> list[tuple[str, str]]:
    with db.session() as s:
        response_id = ws.response_id(s, review_id, question_id)
        return [(v.reason, v.text) for v in rv.earlier_versions(s, response_id)]


def backdate_versions(db, minutes: int) -> None:
    """As if the kept versions were saved ``minutes`` ago (the one-a-minute rule without waiting)."""
    with db.session() as s:
        for version in s.scalars(select(ResponseVersion)):
            version.saved_at -= timedelta(minutes=minutes)


def test_text_is_kept_once_a_minute_and_before_a_large_deletion(workshop_db) -> None:
    review_id = planned_review_id(workshop_db)
    question_id = first_question(workshop_db, review_id)
    version = 0
    for n in range(1, 6):  # five saves within a minute: the first text is kept, then nothing more
        with workshop_db.session() as s:
            version = ws.save_response(s, review_id, question_id, ANSWER[: n * 30], version)
    assert kept(workshop_db, review_id, question_id) == [("typing", ANSWER[:30])]
    backdate_versions(workshop_db, 2)
    with workshop_db.session() as s:  # more than a minute on: the text as it stood is kept
        version = ws.save_response(s, review_id, question_id, ANSWER, version)
    assert kept(workshop_db, review_id, question_id)[0] == ("typing", ANSWER[:150])
    with workshop_db.session() as s:  # a large cut, seconds later: kept before it happens
        version = ws.save_response(s, review_id, question_id, ANSWER[:40], version)
    assert kept(workshop_db, review_id, question_id)[0] == ("deletion", ANSWER)
    with workshop_db.session() as s:  # emptied by accident
        ws.save_response(s, review_id, question_id, "", version)
    assert kept(workshop_db, review_id, question_id)[0] == ("deletion", ANSWER[:40])


def test_a_text_already_kept_is_not_kept_twice(workshop_db) -> None:
    """Typed on, then undone back to the text kept a minute ago, then typed on again: the kept text
    is not kept a second time."""
    review_id = planned_review_id(workshop_db)
    question_id = first_question(workshop_db, review_id)
    version = 0
    for text in (ANSWER[:60], ANSWER[:75], ANSWER[:60]):
        with workshop_db.session() as s:
            version = ws.save_response(s, review_id, question_id, text, version)
    assert kept(workshop_db, review_id, question_id) == [("typing", ANSWER[:60])]
    backdate_versions(workshop_db, 2)
    with workshop_db.session() as s:
        ws.save_response(s, review_id, question_id, ANSWER[:70], version)
    assert kept(workshop_db, review_id, question_id) == [("typing", ANSWER[:60])]


@pytest.mark.parametrize("old, new, large", [
    ("x" * 1000, "x" * 790, True),   # more than 200 characters
    ("x" * 100, "x" * 60, True),     # more than 30 %
    ("x" * 100, "x" * 80, False),
    ("short note", "", True),        # all of it
    ("abc", "ab", False),            # a backspace in a short note
])
def test_what_counts_as_a_large_deletion(old, new, large) -> None:
    assert rv.is_large_deletion(old, new) is large


def open_window(qtbot, db, review_id) -> WorkshopWindow:
    window = WorkshopWindow(db, review_id)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    return window


def test_an_answer_emptied_by_accident_is_brought_back_from_earlier_versions(qtbot, workshop_db, monkeypatch) -> None:
    review_id = planned_review_id(workshop_db)
    w = open_window(qtbot, workshop_db, review_id)
    w.editor.insertPlainText(ANSWER)
    assert w.autosaver.flush()
    w.editor.selectAll()
    QTest.keyClick(w.editor, Qt.Key.Key_Delete)  # select all, delete: the slip of a tired chair
    assert w.autosaver.flush()
    assert kept(workshop_db, review_id, w.question_id)[0] == ("deletion", ANSWER)
    QTest.keyClicks(w.editor, "New start")
    assert w.autosaver.flush()

    opened = []

    def run(dialog):
        opened.append(dialog)
        number = w.questions[w.question_id][0]
        assert dialog.title.text().startswith(f"<b>{number} ")  # "1.1 How …", as the outline numbers it
        assert dialog.list.count() == 2  # now, and the version kept before the deletion
        assert dialog.list.item(0).text().startswith("Now\n9 characters")
        assert "before a large deletion" in dialog.list.item(1).text()
        assert dialog.selected().text == ANSWER
        html = dialog.compare.toHtml()
        assert "induction" in html and "New start" in html
        dialog.restore_button.click()
        return 1

    monkeypatch.setattr(EarlierVersionsDialog, "exec", run)
    assert any(a.shortcut().toString() == "Ctrl+Shift+H" for a in [w.actions_by_key["show_earlier_versions"]])
    w.actions_by_key["show_earlier_versions"].trigger()
    assert opened
    assert w.editor.text() == ANSWER
    with workshop_db.session() as s:
        response = s.scalar(select(Response).where(Response.review_id == review_id, Response.question_id == w.question_id))
        assert response.text == ANSWER
        assert response.version == w.autosaver.version
    # restoring kept the text it replaced: nothing is lost
    assert ("restore", "New start") in kept(workshop_db, review_id, w.question_id)
    QTest.keyClick(w.editor, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)  # and Ctrl+Z undoes the restore
    assert w.editor.text() == "New start"


def test_restore_is_refused_when_the_response_changed_since_it_was_shown(workshop_db) -> None:
    review_id = planned_review_id(workshop_db)
    question_id = first_question(workshop_db, review_id)
    with workshop_db.session() as s:
        v = ws.save_response(s, review_id, question_id, ANSWER, 0)
    with workshop_db.session() as s:
        v = ws.save_response(s, review_id, question_id, "", v)
    with workshop_db.session() as s:
        response_id = ws.response_id(s, review_id, question_id)
        version_id = s.scalar(select(ResponseVersion.id).where(ResponseVersion.response_id == response_id))
    from lgf_desktop.errors import StaleEdit
    with pytest.raises(StaleEdit), workshop_db.session() as s:
        rv.restore_version(s, response_id, version_id, v - 1)
    with workshop_db.session() as s:
        assert rv.restore_version(s, response_id, version_id, v) == v + 1
        assert s.get(Response, response_id).text == ANSWER


def test_compare_marks_what_was_removed_and_added() -> None:
    html = compare_html("level 1 in the first week", "level 1 in the first month <b>")
    assert "line-through'>week</span>" in html and "underline'>month &lt;b&gt;</span>" in html
