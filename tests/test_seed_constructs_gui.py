"""The seed report's constructs entered on the screens where a business manager enters them: marks on
a question in the workshop (one response for two questions, not discussed) and a note on attendance
there; on the review page a note, the partnership's tick, a full wording and a partnership
recommendation after a declined section; on the round page its numbered appendices."""

from __future__ import annotations

import docx
import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from sqlalchemy import select

from lgf_desktop.exports.report_docx import export_report
from lgf_desktop.models import Recommendation, ReportAppendix, Representative, Response, Review
from lgf_desktop.services.review.numbering import report_numbers
from lgf_desktop.services.review.rounds import find_round
from lgf_desktop.ui import deleting
from lgf_desktop.ui.main_window import MainWindow
from test_workshop_window import open_window
from workshop_support import _demo_template, planned_review_id, workshop_db  # noqa: F401


@pytest.fixture
def db_passphrase() -> None:
    return None


def response(db, review_id: int, question_id: int) -> Response | None:
    with db.session() as session:
        found = session.scalar(select(Response).where(Response.review_id == review_id,
                                                      Response.question_id == question_id))
        if found is not None:
            session.expunge(found)
        return found


def test_workshop_marks_and_a_note_by_keyboard(qtbot, workshop_db, shown_errors, screenshot):
    review_id = planned_review_id(workshop_db)
    w = open_window(qtbot, workshop_db, review_id)
    theme = w.outline_model.themes[1]
    first, second = theme.questions[0].question_id, theme.questions[1].question_id
    w.open_question(first)
    QTest.keyClicks(w.editor, "One answer for the training offer and how staff engage with it.")
    QTest.keyClick(w.editor, Qt.Key.Key_Down, Qt.KeyboardModifier.AltModifier)
    assert w.question_id == second
    QTest.keyClick(w.editor, Qt.Key.Key_U, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert response(workshop_db, review_id, second).answered_above
    assert w.marks.isVisible() and "question above" in w.marks.text()
    assert w.actions_by_key["toggle_answered_above"].isChecked()
    screenshot(w, "marks.png")

    # The first question of a theme has nothing above it in the theme: one sentence, nothing ticked.
    w.open_question(first)
    assert not w.actions_by_key["toggle_answered_above"].isChecked() and not w.marks.isVisible()
    QTest.keyClick(w.editor, Qt.Key.Key_U, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert "first question of its theme" in shown_errors[-1].text
    assert not w.actions_by_key["toggle_answered_above"].isChecked()
    assert not response(workshop_db, review_id, first).answered_above

    third = theme.questions[2].question_id
    w.open_question(third)
    QTest.keyClick(w.editor, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert response(workshop_db, review_id, third).not_discussed and "Not discussed" in w.marks.text()
    QTest.keyClick(w.editor, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert not response(workshop_db, review_id, third).not_discussed and not w.marks.isVisible()

    QTest.keyClick(w.editor, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    QTest.keyClicks(w.attendance.name, "Anne Fry")
    QTest.keyClick(w.attendance.name, Qt.Key.Key_Return)
    QTest.keyClicks(w.attendance.role, "Designated Nurse")
    w.attendance.note.setText("who joined for the last half hour")
    QTest.keyClick(w.attendance.note, Qt.Key.Key_Return)
    with workshop_db.session() as session:
        rep = session.scalar(select(Representative).where(Representative.name == "Anne Fry"))
        assert (rep.role, rep.note, rep.kind) == ("Designated Nurse", "who joined for the last half hour", "attended")
    w.close()


@pytest.fixture
def window(qtbot, demo_db, monkeypatch) -> MainWindow:
    monkeypatch.setattr(deleting, "confirm", lambda parent, title, question: True)
    win = MainWindow(demo_db)
    qtbot.addWidget(win)
    win.resize(1366, 768)
    win.show()
    return win


def test_review_page_note_partnership_tick_full_wording_and_after_the_section(window, tmp_path):
    db = window.db
    with db.session() as session:
        held_id = session.scalar(select(Review.id).where(Review.status == "held").order_by(Review.position))
        declined_id = session.scalar(select(Review.id).where(Review.status == "declined"))
    window.navigator.select("review", held_id)
    page = window.stack.currentWidget()
    page.tabs.setCurrentIndex(1)
    apology = next(i for i, r in enumerate(page.reps.rows) if r["kind"] == "apologies")
    page.reps.setData(page.reps.index(apology, 3), "although Carys had been part of the preparation.")
    page.tabs.setCurrentIndex(3)
    rows = page.recs.rows
    assert [r["number"] for r in rows] == [str(n) for n in range(1, len(rows) + 1)]
    last = rows[-1]["id"]
    page.recs.setData(page.recs.index(len(rows) - 1, 4), Qt.CheckState.Checked.value, Qt.ItemDataRole.CheckStateRole)
    first = page.recs.rows[0]["id"]
    page.recs.setData(page.recs.index(0, 3), "The full wording for the recommendations table.")
    with db.session() as session:
        moved = session.get(Recommendation, last)
        numbers = report_numbers(session, find_round(session, "2021-22"))
        assert moved.is_partnership and moved.organisation_id is None and numbers[last].isalpha()
        assert session.get(Recommendation, first).full_text == "The full wording for the recommendations table."
        note = session.scalar(select(Representative.note).where(Representative.review_id == held_id,
                                                                Representative.kind == "apologies"))
        assert note == "although Carys had been part of the preparation"
    assert next(r for r in page.recs.rows if r["id"] == last)["number"] == numbers[last]

    window.navigator.select("review", declined_id)
    page = window.stack.currentWidget()
    page.tabs.setCurrentIndex(3)
    page.after_section.setText("The Executive to consider how to receive the network's response.")
    page.add_after_section()
    assert any(r["question"] == "(after the section)" and r["partnership"] for r in page.recs.rows)

    path = tmp_path / "report.docx"
    with db.session() as session:
        export_report(session, find_round(session, "2021-22"), path)
    texts = " ".join(p.text for p in docx.Document(str(path)).paragraphs)
    assert "Carys Morgan (Designated Nurse), although Carys had been part of the preparation." in texts
    assert "The Executive to consider how to receive the network's response." in texts


def test_round_page_appendices_numbered_moved_and_the_template_kept(window, shown_errors, screenshot):
    with window.db.session() as session:
        round_id = find_round(session, "2021-22").id
    window.navigator.select("round", round_id)
    page = window.page("round")
    page.tabs.setCurrentWidget(page.appendices)
    tab = page.appendices
    assert [tab.list.item(i).text() for i in range(tab.list.count())] == ["Appendix 1: Question Template"]
    assert not tab.text.isEnabled()
    tab.new_title.setText("Section 11 arrangements")
    tab.add()
    tab.text.setPlainText("✓ A clear line of accountability")
    assert tab.text.flush()
    tab.move(-1)
    assert [tab.list.item(i).text() for i in range(tab.list.count())] == [
        "Appendix 1: Section 11 arrangements", "Appendix 2: Question Template"]
    with window.db.session() as session:
        rows = session.scalars(select(ReportAppendix).order_by(ReportAppendix.position)).all()
        assert [(a.kind, a.title, a.text) for a in rows] == [
            ("text", "Section 11 arrangements", "✓ A clear line of accountability"), ("question template", "", "")]
    screenshot(window, "appendices.png")
    tab.list.setCurrentRow(1)
    tab.remove()
    assert "always one of the report's appendices" in tab.error.text()
    assert tab.list.count() == 2
