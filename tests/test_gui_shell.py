"""The GUI shell driven with pytest-qt: welcome screen, creating a round, the chair, the template,
deleting with undo, the extension API and the remembered layout."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QMessageBox
from sqlalchemy import select

from lgf_desktop.db import Database
from lgf_desktop.models import PanelMember, Person, Question, Review, Round, Theme
from lgf_desktop.ui import deleting
from lgf_desktop.ui.forms.common import Column, RecordTableModel
from lgf_desktop.ui.main_window import MainWindow


@pytest.fixture
def boxes(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Information boxes shown (recorded instead of blocking); deletes are confirmed with Yes. Errors
    go through conftest's ``shown_errors`` (an unexpected one fails the test)."""
    shown: list[str] = []

    def record(kind: str):
        def box(parent, title, text, *args, **kwargs):
            shown.append(f"{kind}: {text}")
            return QMessageBox.StandardButton.Ok
        return box

    for kind in ("information", "about"):
        monkeypatch.setattr(QMessageBox, kind, staticmethod(record(kind)))
    monkeypatch.setattr(deleting, "confirm", lambda parent, title, question: True)
    return shown


@pytest.fixture
def window(qtbot, db: Database, boxes: list[str]) -> MainWindow:
    win = MainWindow(db)
    qtbot.addWidget(win)
    win.resize(1366, 768)
    win.show()
    return win


@pytest.fixture
def demo_window(qtbot, demo_db: Database, boxes: list[str]) -> MainWindow:
    win = MainWindow(demo_db)
    qtbot.addWidget(win)
    win.resize(1366, 768)
    win.show()
    return win


def _round(db: Database, label: str) -> Round | None:
    with db.session() as session:
        round_ = session.scalar(select(Round).where(Round.label == label))
        if round_ is not None:
            round_.themes  # noqa: B018 — loaded while the session is open
        return round_


def test_empty_database_opens_on_the_welcome_screen_and_loads_the_demo(window: MainWindow, qtbot, boxes) -> None:
    welcome = window.stack.currentWidget()
    assert type(welcome).__name__ == "WelcomePage"
    qtbot.mouseClick(welcome.demo_button, Qt.MouseButton.LeftButton)
    assert _round(window.db, "2021-22") is not None
    assert window.current_round_id() == _round(window.db, "2021-22").id
    assert type(window.stack.currentWidget()).__name__ == "RoundPage"
    # The demo's rounds in label order: the 2020-21 self-assessment, then the 2021-22 peer reviews.
    round_item = window.navigator.rounds_item.child(1)
    assert round_item.text(0) == "2021-22"
    round_item.setExpanded(True)
    assert round_item.childCount() == 3  # the demo's three reviews
    assert boxes == []


def test_create_a_round_add_the_chair_and_watch_the_message_go(window: MainWindow, qtbot, boxes) -> None:
    box = window.stack.currentWidget().new_round
    box.partnership.setText("Eastbrook Safeguarding Children Partnership")
    box.label.setText("2025-26")
    qtbot.mouseClick(box.create_button, Qt.MouseButton.LeftButton)
    created = _round(window.db, "2025-26")
    assert created is not None and len(created.themes) == 7
    page = window.stack.currentWidget()
    assert type(page).__name__ == "RoundPage"
    assert page.problems.isVisible()
    assert "no chair" in page.problems.text()

    people = window.page("people")
    people.new_name.setText("Priya Chandran")
    people.new_role.setText("Partnership Business Manager")
    people.add()
    window.navigator.select("round", created.id)
    page.tabs.setCurrentWidget(page.panel)  # the Panel tab, as a person clicks it
    panel = page.panel
    panel.person.setCurrentIndex(panel.person.findText("Priya Chandran"))
    assert panel.chair_problem.text() and not panel.chair_problem.isHidden()
    panel.add(chair=True)
    assert not page.problems.isVisible()
    assert panel.chair_problem.isHidden()
    with window.db.session() as session:
        chair = session.scalar(select(PanelMember).where(PanelMember.round_id == created.id))
        assert chair.role == "chair" and chair.person.name == "Priya Chandran"
    assert boxes == []


def test_a_bad_round_label_is_told_beside_the_field_and_changes_nothing(demo_window: MainWindow, qtbot) -> None:
    details = demo_window.page("round").details
    details.label.setText("   ")
    details.label.editingFinished.emit()
    assert details.label_error.isVisible()
    assert "needs a label" in details.label_error.text()
    assert _round(demo_window.db, "2021-22") is not None
    details.label.setText("2021-22 (demo)")
    details.label.editingFinished.emit()
    assert not details.label_error.isVisible()
    assert _round(demo_window.db, "2021-22 (demo)") is not None
    assert demo_window.navigator.rounds_item.child(1).text(0) == "2021-22 (demo)"


def test_texts_save_themselves_after_a_pause(demo_window: MainWindow, qtbot) -> None:
    text = demo_window.page("round").details.texts["conclusion_text"]
    text.setPlainText("A new conclusion.")
    assert text.pending()
    qtbot.waitUntil(lambda: not text.pending(), timeout=2000)
    assert _round(demo_window.db, "2021-22").conclusion_text == "A new conclusion."


def test_reorder_a_question_and_the_order_persists(demo_window: MainWindow, qtbot) -> None:
    page = demo_window.page("round")
    page.tabs.setCurrentWidget(page.template)
    editor = page.template
    editor.theme_view.selectRow(1)  # Learning & Development
    editor.question_view.selectRow(1)
    second = editor.questions.rows[1]
    first = editor.questions.rows[0]
    editor.move_question(-1)
    assert [r["id"] for r in editor.questions.rows[:2]] == [second["id"], first["id"]]
    with demo_window.db.session() as session:
        theme = session.get(Theme, editor.themes.rows[1]["id"])
        assert [q.id for q in theme.questions[:2]] == [second["id"], first["id"]]
    # …and a theme moves too
    theme_id = editor.themes.rows[2]["id"]
    editor.theme_view.selectRow(2)
    editor.move_theme(-1)
    with demo_window.db.session() as session:
        assert session.get(Theme, theme_id).position == 1


def test_rename_a_theme_in_place_and_edit_sub_prompts(demo_window: MainWindow, qtbot) -> None:
    page = demo_window.page("round")
    page.tabs.setCurrentWidget(page.template)
    editor = page.template
    index = editor.themes.index(0, 0)
    assert editor.themes.setData(index, "Safeguarding arrangements")
    assert not editor.themes.setData(index, "  ")  # refused: the title stays
    assert "needs a title" in editor.error.text()
    editor.question_view.selectRow(0)
    editor.prompts.setPlainText("Policies\n\nTraining")
    editor.prompts.flush()
    with demo_window.db.session() as session:
        theme = session.get(Theme, editor.themes.rows[0]["id"])
        assert theme.title == "Safeguarding arrangements"
        assert session.get(Question, editor.question_id).sub_prompts == ["Policies", "Training"]


def test_delete_a_review_and_undo_it_with_ctrl_z(demo_window: MainWindow, qtbot) -> None:
    with demo_window.db.session() as session:
        review = session.scalar(select(Review).where(Review.status == "held"))
        review_id, responses = review.id, len(review.responses)
    assert demo_window.navigator.select("review", review_id)
    page = demo_window.stack.currentWidget()
    page.delete()
    with demo_window.db.session() as session:
        assert session.get(Review, review_id) is None
    assert demo_window.navigator.current_review_id() is None
    assert demo_window.undo_action.isEnabled()
    demo_window.navigator.setFocus()
    qtbot.keyClick(demo_window.navigator, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    with demo_window.db.session() as session:
        back = session.get(Review, review_id)
        assert back is not None and len(back.responses) == responses
    assert not demo_window.undo_action.isEnabled()
    assert demo_window.navigator.select("review", review_id)


def test_a_held_review_without_a_date_is_pointed_out(demo_window: MainWindow, qtbot) -> None:
    with demo_window.db.session() as session:
        review_id = session.scalar(select(Review.id).where(Review.status == "planned")) or \
            session.scalar(select(Review.id).where(Review.status == "declined"))
    demo_window.navigator.select("review", review_id)
    page = demo_window.stack.currentWidget()
    page.status.setCurrentText("held")
    page.status.activated.emit(page.status.currentIndex())
    assert "needs the date" in page.problems.text()
    assert page.date_problem.isVisible()  # beside the date field too
    page.review_date.setDate(page.review_date.date().addYears(22))
    page.review_date.editingFinished.emit()
    assert "needs the date" not in page.problems.text()
    assert not page.date_problem.isVisible()


def test_the_extension_api(demo_window: MainWindow, qtbot) -> None:
    seen: list[int] = []
    export_menu = demo_window.menu("&Export")
    assert demo_window.menu("&Export") is export_menu
    titles = [a.text() for a in demo_window.menuBar().actions()]
    assert titles[-1] == "&Help" and "E&xport" in titles  # Alt+E is Edit: Export gets Alt+X
    demo_window.add_section("tracker", "Recommendations", lambda: QLabel("the tracker"))
    action = demo_window.add_review_action("Run workshop", "F5", seen.append)
    assert not action.isEnabled()
    assert demo_window.navigator.select("tracker", None)
    assert demo_window.stack.currentWidget().text() == "the tracker"
    with demo_window.db.session() as session:
        review_id = session.scalar(select(Review.id))
        round_id = session.scalar(select(Round.id))
    demo_window.navigator.select("review", review_id)
    assert demo_window.current_review_id() == review_id and demo_window.current_round_id() == round_id
    assert action.isEnabled()
    action.trigger()
    assert seen == [review_id]
    changed: list[str] = []
    demo_window.data_changed.connect(changed.append)
    demo_window.stack.currentWidget().comment.setPlainText("Changed.")
    demo_window.stack.currentWidget().comment.flush()
    assert changed == ["review"]


def test_layout_is_remembered(qtbot, db: Database, boxes) -> None:
    first = MainWindow(db)
    qtbot.addWidget(first)
    first.resize(760, 560)  # within the offscreen screen (800 × 600), which restoring clamps to
    first.show()
    first.splitter.setSizes([300, 450])
    kept = first.splitter.sizes()
    first.close()
    second = MainWindow(db)
    qtbot.addWidget(second)
    second.show()
    assert second.size().width() == 760
    assert second.splitter.sizes() == kept
    assert kept[0] > 275  # not the default width (260)


def test_preferences_name_reaches_the_history(demo_window: MainWindow, qtbot) -> None:
    from lgf_desktop.ui.forms.dialogs import HistoryDialog, PreferencesDialog

    dialog = PreferencesDialog(demo_window)
    dialog.name.setText("Jo Bloggs")
    dialog.accept()
    people = demo_window.page("people")
    people.new_name.setText("Kim Hart")
    people.add()
    with demo_window.db.session() as session:
        person_id = session.scalar(select(Person.id).where(Person.name == "Kim Hart"))
    history = HistoryDialog(demo_window, Person, person_id)
    qtbot.addWidget(history)
    # The name from this person's settings, and their login (account@machine) telling them apart.
    assert history.model.rows[0]["who"] == f"Jo Bloggs ({demo_window.db.login})"
    assert history.model.rows[0]["action"] == "created"


def test_table_models_pass_the_model_tester(demo_window: MainWindow, qtmodeltester) -> None:
    model = RecordTableModel((Column("On", "on", editable=True, check=True), Column("Name", "name", editable=True),
                              Column("Kind", "kind", editable=True, choices=(("a", "Attended"), ("b", "Apologies")))),
                             lambda row, key, value: True)
    model.set_rows([{"id": 1, "on": True, "name": "A", "kind": "a"}, {"id": 2, "on": False, "name": "B", "kind": "b"}])
    qtmodeltester.check(model)
    page = demo_window.page("round")
    for tab in (page.template, page.panel, page.reviews):
        page.tabs.setCurrentWidget(tab)  # each tab is filled when first shown
    for each in (page.template.themes, page.template.questions, page.panel.model, page.reviews.model):
        assert each.rowCount() > 0
        qtmodeltester.check(each)
    qtmodeltester.check(demo_window.page("organisations").proxy)
    qtmodeltester.check(demo_window.page("people").model)
    qtmodeltester.check(demo_window.page("rounds").model)


def test_app_refuses_a_foreign_file_with_a_message(tmp_path: Path, shown_errors, qapp) -> None:
    from lgf_desktop.ui.app import main

    path = tmp_path / "notes.sqlite3"
    path.write_bytes(b"not a database at all\n" * 20)
    assert main(["--db", str(path)]) == 1
    assert shown_errors and "not a SQLite file" in shown_errors[0].text
    assert path.read_bytes() == b"not a database at all\n" * 20


def test_ctrl_z_in_a_text_field_undoes_typing_not_the_delete(demo_window: MainWindow, qtbot) -> None:
    with demo_window.db.session() as session:
        reviews = session.scalars(select(Review.id).order_by(Review.id)).all()
    demo_window.navigator.select("review", reviews[0])
    demo_window.stack.currentWidget().delete()
    demo_window.navigator.select("review", reviews[1])
    page = demo_window.stack.currentWidget()
    page.rep_name.setFocus()
    qtbot.waitUntil(page.rep_name.hasFocus, timeout=2000)
    qtbot.keyClicks(page.rep_name, "Dr Ann")
    qtbot.keyClick(page.rep_name, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert len(demo_window.undo_stack) == 1  # the deleted review is still waiting to be undone
    with demo_window.db.session() as session:
        assert session.get(Review, reviews[0]) is None


def test_a_second_window_on_the_same_file_is_told_it_is_in_use(db_path: Path, db, shown_errors, qapp) -> None:
    from lgf_desktop.storage.locking import DatabaseLock
    from lgf_desktop.ui.app import main

    with DatabaseLock(db_path):
        assert main(["--db", str(db_path)]) == 1
    assert shown_errors and "in use by another LGF Desktop window" in shown_errors[0].text


def test_a_new_round_can_start_from_a_copy_of_last_years_template(demo_window: MainWindow, qtbot) -> None:
    assert demo_window.navigator.select("rounds", None)
    box = demo_window.stack.currentWidget().new_round
    assert box.source.currentData() == _round(demo_window.db, "2021-22").id  # last year's, by default
    box.label.setText("2022-23")
    box.create()
    old, new = _round(demo_window.db, "2021-22"), _round(demo_window.db, "2022-23")
    assert [t.title for t in new.themes] == [t.title for t in old.themes]
    page = demo_window.page("round")
    page.tabs.setCurrentWidget(page.template)
    editor = page.template
    assert demo_window.current_round_id() == new.id
    editor.themes.setData(editor.themes.index(0, 0), "Renamed this year")
    assert _round(demo_window.db, "2021-22").themes[0].title == old.themes[0].title  # last year's record kept
    box.label.setText("2022-23")
    demo_window.navigator.select("rounds", None)
    box.create()
    assert "already a round labelled 2022-23" in box.error.text()
