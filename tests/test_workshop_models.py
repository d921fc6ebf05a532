"""The workshop's Qt models pass qtmodeltester, and merging a member's notes works from the window."""

from __future__ import annotations

import shutil

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPushButton
from sqlalchemy import select

from lgf_desktop.db import Database
from lgf_desktop.importing import import_file
from lgf_desktop.models import NoteContribution, Response
from lgf_desktop.services.review import notes_exchange
from lgf_desktop.services.review import workshop as ws
from lgf_desktop.ui.workshop.window import WorkshopWindow
from workshop_support import _demo_template, planned_review_id, workshop_db  # noqa: F401


def test_models_pass_the_model_tester(qtbot, qtmodeltester, workshop_db):
    review_id = planned_review_id(workshop_db)
    with workshop_db.session() as s:
        review = ws.get_review(s, review_id)
        ws.add_recommendation(s, review, review.round.questions[0].id, "One")
        ws.add_representative(s, review, "Ada Jones", "Head of Service")
    w = WorkshopWindow(workshop_db, review_id)
    qtbot.addWidget(w)
    for model in (w.outline_model, w.clock.model, w.attendance.panel_model, w.attendance.reps_model,
                  w.recommendations.model, w.partnership.model):
        qtmodeltester.check(model)
    # Ticking a member through the model writes the presence.
    index = w.attendance.panel_model.index(2, 0)
    assert w.attendance.panel_model.setData(index, Qt.CheckState.Checked.value, Qt.ItemDataRole.CheckStateRole)
    with workshop_db.session() as s:
        assert [p.panel_member_id for p in ws.get_review(s, review_id).panel_present] == [
            w.attendance.panel_model.members[2][0]]
    # A budget typed into the theme table is stored; nonsense is not.
    budget = w.clock.model.index(0, 1)
    assert w.clock.model.setData(budget, "30")
    assert w.clock.model.rows[0].budget_seconds == 1800 and w.clock.model.rows[0].explicit
    assert not w.clock.model.setData(budget, "half an hour")
    assert w.clock.model.rows[0].budget_seconds == 1800


def test_merge_members_notes_in_the_window(qtbot, workshop_db, tmp_path, screenshot):
    review_id = planned_review_id(workshop_db)
    # The member's laptop: a copy of the database with their notes.
    member_path = tmp_path / "member.sqlite3"
    workshop_db.engine.dispose()
    shutil.copy(workshop_db.path, member_path)
    member = Database.open(member_path)
    with member.session() as s:
        q1, q2 = [q.id for q in ws.get_review(s, review_id).round.questions[:2]]
        ws.save_response(s, review_id, q1, "Priya: induction is tracked monthly.")
        ws.save_response(s, review_id, q2, "Priya: newsletter goes to all GP practices.")
    with member.session() as s:
        path, _ = notes_exchange.export_notes(s, review_id, "Priya Member", tmp_path / "p.lgfx")
    member.close()
    with workshop_db.session() as s:
        ws.save_response(s, review_id, q1, "Chair: induction within three months.")
    import_file(workshop_db, path)

    w = WorkshopWindow(workshop_db, review_id)
    qtbot.addWidget(w)
    w.show()
    qtbot.waitExposed(w)
    assert w.question_id == q1 and w.notes.isVisible() and w.notes.count == 1
    screenshot(w, "workshop-notes.png")
    buttons = {b.text(): b for b in w.notes.findChildren(QPushButton)}
    buttons["Append"].click()
    assert w.editor.text() == "Chair: induction within three months.\nPriya: induction is tracked monthly."
    assert not w.notes.isVisible()
    w.next_question()
    assert w.notes.count == 1
    {b.text(): b for b in w.notes.findChildren(QPushButton)}["Use and edit"].click()
    assert w.editor.text() == "Priya: newsletter goes to all GP practices."
    w.editor.moveCursor(w.editor.textCursor().MoveOperation.End)
    w.editor.insertPlainText(" (confirmed)")
    w.close()
    with workshop_db.session() as s:
        texts = {r.question_id: r.text for r in s.scalars(select(Response).where(Response.review_id == review_id))}
        assert texts[q2] == "Priya: newsletter goes to all GP practices. (confirmed)"
        assert {n.status for n in s.scalars(select(NoteContribution))} == {"merged"}
        assert {n.author for n in s.scalars(select(NoteContribution))} == {"Priya Member"}


def test_the_theme_table_tells_the_view_only_the_rows_that_changed(qtbot, workshop_db):
    """The clock refreshes the theme table once a second: only the running theme's row (and a row
    that becomes or stops being the current theme) is repainted. The view asks again for every
    role of every cell it is told about, each a call into Python that waits for the interpreter
    while an import runs on a worker; told the whole table, a tick stalled typing for 50-70 ms."""
    from dataclasses import replace

    review_id = planned_review_id(workshop_db)
    w = WorkshopWindow(workshop_db, review_id)
    qtbot.addWidget(w)
    model = w.clock.model
    rows, current = list(model.rows), model.current_theme_id
    told: list[tuple[int, int]] = []
    model.dataChanged.connect(lambda first, last, roles=(): told.append((first.row(), last.row())))
    model.set_rows(list(rows), current)
    assert told == []  # nothing changed: nothing repainted
    ticked = [replace(rows[0], spent_seconds=rows[0].spent_seconds + 1), *rows[1:]]
    model.set_rows(ticked, current)
    assert told == [(0, 0)]
    told.clear()
    model.set_rows(ticked, rows[1].theme_id)  # the chair moved on to the next theme
    assert sorted(told) == [(0, 0), (1, 1)]
