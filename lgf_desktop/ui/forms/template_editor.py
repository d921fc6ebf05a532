"""The question template editor: themes in order on the left, the selected theme's questions on
the right, and the selected question's text and sub-prompts below. Titles and questions are
renamed in place; Up/Down reorder; removing asks first and can be undone. The selected question's
text and sub-prompts are on the one autosave (``ui/autosave.py``): saved within a second as typed,
journalled, each checked on its own field so a change made elsewhere is never overwritten."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from PySide6.QtWidgets import QGridLayout, QGroupBox, QHBoxLayout, QLabel, QSplitter, QVBoxLayout, QWidget
from PySide6.QtCore import Qt

from ...models import Question, Theme
from ...services import editing
from ...services.review.rounds import load_round
from .common import AutoSaveText, Column, Message, Page, RecordTableModel, button, selected_id, table_view

THEME_COLUMNS = (Column("Theme", "title", editable=True), Column("Questions", "count"))
QUESTION_COLUMNS = (Column("No.", "number"), Column("Question", "text", editable=True),
                    Column("Sub-prompts", "prompts"))


class TemplateEditor(Page):
    def __init__(self, page: Any) -> None:
        super().__init__(page.main)
        self._quiet = False  # True while this code selects a row it then shows itself
        self.round_id: int | None = None
        self.question_id: int | None = None
        layout = QVBoxLayout(self)
        self.error = Message(self)
        layout.addWidget(self.error)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        layout.addWidget(splitter, 1)

        themes_box = QGroupBox("Themes, in report order")
        themes_layout = QVBoxLayout(themes_box)
        self.themes = RecordTableModel(THEME_COLUMNS, self._edit_theme, self)
        self.theme_view = table_view(self.themes, stretch=0)
        self.theme_view.setAccessibleName("Themes")
        self.theme_view.selectionModel().currentRowChanged.connect(lambda *_: self._quiet or self._show_questions())
        themes_layout.addWidget(self.theme_view, 1)
        themes_layout.addLayout(_buttons(
            button("Add theme", self.add_theme), button("Up", lambda: self.move_theme(-1)),
            button("Down", lambda: self.move_theme(1)), button("Remove…", self.remove_theme)))
        splitter.addWidget(themes_box)

        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        questions_box = QGroupBox("Questions to explore")
        questions_layout = QVBoxLayout(questions_box)
        self.questions = RecordTableModel(QUESTION_COLUMNS, self._edit_question, self)
        self.question_view = table_view(self.questions, stretch=1)
        self.question_view.setAccessibleName("Questions")
        self.question_view.setWordWrap(True)
        self.question_view.selectionModel().currentRowChanged.connect(lambda *_: self._quiet or self._show_question())
        questions_layout.addWidget(self.question_view, 1)
        questions_layout.addLayout(_buttons(
            button("Add question", self.add_question), button("Up", lambda: self.move_question(-1)),
            button("Down", lambda: self.move_question(1)), button("Remove…", self.remove_question),
            button("History…", self._history)))
        right_layout.addWidget(questions_box, 3)

        detail = QGroupBox("Selected question")
        grid = QGridLayout(detail)
        self.question_text = AutoSaveText("The question as the organisation will read it.")
        self.question_text.setAccessibleName("Question text")
        self.prompts = AutoSaveText("One sub-prompt per line (what to cover), or leave empty.")
        self.prompts.setAccessibleName("Sub-prompts")
        self.question_error = Message(self)
        self.question_text.autosave_to(
            self, Question, "text", "question", "the question's text", self.question_error,
            store=lambda session, question_id, text: editing.update(session, Question, question_id, text=text),
            stored=lambda question: question.text)
        self.prompts.autosave_to(
            self, Question, "sub_prompts", "question", "the question's sub-prompts", self.question_error,
            store=lambda session, question_id, text: editing.set_sub_prompts(session, question_id, text.splitlines()),
            stored=lambda question: "\n".join(question.sub_prompts), stored_as=editing.prompt_lines)
        self.question_text.autosave.saved.connect(lambda target, text, _when: self._question_saved(target.key, text))
        self.prompts.autosave.saved.connect(lambda target, text, _when: self._prompts_saved(target.key, text))
        grid.addWidget(QLabel("Question"), 0, 0)
        grid.addWidget(QLabel("Sub-prompts, one per line"), 0, 1)
        grid.addWidget(self.question_text, 1, 0)
        grid.addWidget(self.prompts, 1, 1)
        grid.addWidget(self.question_error, 2, 0, 1, 2)
        right_layout.addWidget(detail, 2)
        splitter.addWidget(right)
        splitter.setSizes([330, 700])
        self._show_question()

    # ----- loading ------------------------------------------------------------------------------
    @contextmanager
    def _selecting(self) -> Iterator[None]:
        """A selection made by this code, which then shows it itself (once, not once per signal)."""
        self._quiet = True
        try:
            yield
        finally:
            self._quiet = False

    def load(self, round_id: int, theme_id: int | None = None, question_id: int | None = None) -> None:
        self.flush()
        self.round_id = round_id
        theme_id = theme_id if theme_id is not None else selected_id(self.theme_view)
        with self.db.session() as session:
            round_ = load_round(session, round_id, template=True)
            self.themes.set_rows([{"id": t.id, "title": t.title, "count": len(t.questions)} for t in round_.themes])
        row = self.themes.row_of(theme_id) if theme_id is not None else -1
        with self._selecting():  # shown once below, not also on the selection signal
            self.theme_view.selectRow(row if row >= 0 else 0)
        self._show_questions(question_id)

    def _show_questions(self, question_id: int | None = None) -> None:
        theme_id = selected_id(self.theme_view)
        rows = []
        if theme_id is not None:
            with self.db.session() as session:
                theme = session.get(Theme, theme_id)
                if theme is not None:
                    rows = [{"id": q.id, "number": i + 1, "text": q.text, "prompts": len(q.sub_prompts)}
                            for i, q in enumerate(theme.questions)]
        self.questions.set_rows(rows)
        self.question_view.resizeColumnToContents(0)
        self.question_view.resizeColumnToContents(2)
        self.question_view.resizeRowsToContents()
        row = self.questions.row_of(question_id) if question_id is not None else -1
        if rows:
            with self._selecting():  # shown once below, not also on the selection signal
                self.question_view.selectRow(max(row, 0))
        self._show_question()

    def _show_question(self) -> None:
        # What the boxes showed is queued first; the read below waits for it (the one writer's order).
        self.question_text.autosave.save_now()
        self.prompts.autosave.save_now()
        self.question_id = selected_id(self.question_view)
        text, prompts, shown = "", [], None
        if self.question_id is not None:
            with self.db.session() as session:
                question = session.get(Question, self.question_id)
                if question is not None:
                    text, prompts, shown = question.text, question.sub_prompts, self.question_id
        self.question_text.show_record(shown, text, None)
        self.prompts.show_record(shown, "\n".join(prompts), None)
        self.question_text.setEnabled(self.question_id is not None)
        self.prompts.setEnabled(self.question_id is not None)
        self.question_error.show_messages([])

    # ----- edits --------------------------------------------------------------------------------
    def _edit_theme(self, row: dict, key: str, value: Any) -> bool:
        return self.save(Theme, row["id"], "theme", self.error, title=value)

    def _edit_question(self, row: dict, key: str, value: Any) -> bool:
        if self.save(Question, row["id"], "question", self.error, text=value):
            if row["id"] == self.question_id:
                self.question_text.show_record(self.question_id, value.strip(), None)
            return True
        return False

    def _question_saved(self, question_id: int, text: str) -> None:
        row = self.questions.row_of(question_id)
        if row >= 0:
            self.questions.rows[row]["text"] = text.strip()
            self.questions.dataChanged.emit(self.questions.index(row, 1), self.questions.index(row, 1))

    def _prompts_saved(self, question_id: int, text: str) -> None:
        row = self.questions.row_of(question_id)
        if row >= 0:
            self.questions.rows[row]["prompts"] = len(editing.prompt_lines(text))
            self.questions.dataChanged.emit(self.questions.index(row, 2), self.questions.index(row, 2))

    def add_theme(self) -> None:
        created: list[int] = []
        if self.apply(lambda s: created.append(editing.add_theme(s, self.round_id, "New theme").id), "theme", self.error):
            self.load(self.round_id, created[0])
            self.theme_view.edit(self.themes.index(self.themes.row_of(created[0]), 0))

    def add_question(self) -> None:
        theme_id = selected_id(self.theme_view)
        if theme_id is None:
            self.error.show_messages(["Add a theme first: every question belongs to a theme."])
            return
        created: list[int] = []
        if self.apply(lambda s: created.append(editing.add_question(s, theme_id, "New question").id), "question", self.error):
            self.load(self.round_id, theme_id, created[0])
            self.question_text.setFocus()
            self.question_text.selectAll()

    def move_theme(self, delta: int) -> None:
        theme_id = selected_id(self.theme_view)
        if theme_id is not None and self.apply(lambda s: editing.move_theme(s, theme_id, delta), "theme"):
            self.load(self.round_id, theme_id)

    def move_question(self, delta: int) -> None:
        theme_id, question_id = selected_id(self.theme_view), selected_id(self.question_view)
        if question_id is not None and self.apply(lambda s: editing.move_question(s, question_id, delta), "question"):
            self.load(self.round_id, theme_id, question_id)

    def remove_theme(self) -> None:
        theme_id = selected_id(self.theme_view)
        if theme_id is not None:
            title = self.themes.rows[self.themes.row_of(theme_id)]["title"]
            if self.main.delete_with_undo(Theme, theme_id, f"the theme '{title}' and its questions"):
                self.load(self.round_id)

    def remove_question(self) -> None:
        question_id = selected_id(self.question_view)
        if question_id is not None:
            number = self.questions.rows[self.questions.row_of(question_id)]["number"]
            if self.main.delete_with_undo(Question, question_id, f"question {number} of this theme"):
                self.load(self.round_id)

    def _history(self) -> None:
        if self.question_id is not None:
            self.main.show_history(Question, self.question_id)


def _buttons(*widgets: QWidget) -> QHBoxLayout:
    row = QHBoxLayout()
    for widget in widgets:
        row.addWidget(widget)
    row.addStretch(1)
    return row
