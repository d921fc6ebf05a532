"""A round's report appendices: numbered in order, texts of the round's own and the question template
among them (its number is what the Methodology refers to, "Appendix 2" in the seed report). Add one,
give it a title and a text (with the round's placeholders), move it with Up/Down; the question
template's place can be moved but not removed. Every field saves itself."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QFormLayout, QHBoxLayout, QLabel, QLineEdit, QListWidget, QListWidgetItem, QVBoxLayout, QWidget,
)

from ...models import ReportAppendix, Round
from ...services.editing import get
from ...services.review import appendices as service
from .common import AutoSaveText, Message, Page, button

TEMPLATE_HINT = ("The round's question template, with the Responses column empty; its cover is the round's "
                 "Template cover text. Move it with Up and Down; the report always has it.")


class AppendicesTab(Page):
    def __init__(self, page: Any) -> None:
        super().__init__(page.main)
        self.round_id: int | None = None
        layout = QVBoxLayout(self)
        intro = QLabel("The report's appendices, numbered in this order. The Methodology names the question "
                       "template's number (\"can be found at Appendix 2\"); {template_appendix} prints it in any text.")
        intro.setWordWrap(True)
        layout.addWidget(intro)
        columns = QHBoxLayout()
        layout.addLayout(columns, 1)
        left = QVBoxLayout()
        self.list = QListWidget()
        self.list.setAccessibleName("Appendices")
        self.list.currentRowChanged.connect(lambda _row: self._show_current())
        left.addWidget(self.list, 1)
        row = QHBoxLayout()
        self.new_title = QLineEdit()
        self.new_title.setPlaceholderText("Title of a new appendix, e.g. Section 11 standards")
        self.new_title.setAccessibleName("New appendix title")
        self.new_title.returnPressed.connect(self.add)
        row.addWidget(self.new_title, 1)
        row.addWidget(button("Add appendix", self.add))
        left.addLayout(row)
        moves = QHBoxLayout()
        moves.addWidget(button("Up", lambda: self.move(-1)))
        moves.addWidget(button("Down", lambda: self.move(1)))
        moves.addWidget(button("Remove…", self.remove))
        moves.addStretch(1)
        left.addLayout(moves)
        columns.addLayout(left, 2)
        right = QFormLayout()
        self.title = QLineEdit()
        self.title.setAccessibleName("Appendix title")
        self.error = Message(self)
        self.title.editingFinished.connect(self._save_title)
        right.addRow("Title", self.title)
        self.text = AutoSaveText("The appendix's text: paragraphs, '- ' bullets and '✓ ' ticks, links and footnotes "
                                 "as in the other texts.")
        self.text.setAccessibleName("Appendix text")
        self.text.autosave_to(self, ReportAppendix, "text", "report_appendix", "the appendix's text", self.error)
        right.addRow(self.text)
        self.template_hint = QLabel(TEMPLATE_HINT)
        self.template_hint.setWordWrap(True)
        right.addRow(self.template_hint)
        right.addRow(self.error)
        columns.addLayout(right, 3)
        self.rows: list[tuple[int, str, int | None]] = []

    def load(self, round_id: int, select_id: int | None = None) -> None:
        self.flush()
        self.round_id = round_id
        chosen = select_id if select_id is not None else self._current_id()
        with self.db.session() as session:
            self.rows = service.numbered(get(session, Round, round_id))
        self.list.blockSignals(True)
        self.list.clear()
        for number, title, record_id in self.rows:
            item = QListWidgetItem(f"Appendix {number}: {title}")
            item.setData(Qt.ItemDataRole.UserRole, record_id)
            self.list.addItem(item)
        ids = [record_id for _n, _t, record_id in self.rows]
        self.list.setCurrentRow(ids.index(chosen) if chosen in ids else 0)
        self.list.blockSignals(False)
        self._show_current()

    def _current_id(self) -> int | None:
        item = self.list.currentItem()
        return item.data(Qt.ItemDataRole.UserRole) if item is not None else None

    def _show_current(self) -> None:
        record_id = self._current_id()
        appendix = None
        if record_id is not None:
            with self.db.session() as session:
                found = session.get(ReportAppendix, record_id)
                if found is not None:
                    appendix = (found.kind, found.title, found.text, found.version)
        is_text = appendix is not None and appendix[0] != service.TEMPLATE
        self.title.setEnabled(is_text)
        self.text.setEnabled(is_text)
        self.title.setVisible(True)
        self.template_hint.setVisible(not is_text)
        self.title.setText(appendix[1] if is_text else "Question Template")
        self.text.show_record(record_id if is_text else None, appendix[2] if is_text else "",
                              appendix[3] if is_text else None)
        self.error.show_messages([])

    def _save_title(self) -> None:
        record_id = self._current_id()
        if record_id is None or not self.title.isEnabled():
            return
        if self.save(ReportAppendix, record_id, "report_appendix", self.error, title=self.title.text()):
            self.load(self.round_id, record_id)

    def add(self) -> None:
        title, added = self.new_title.text(), []
        if self.round_id is not None and self.apply(
                lambda session: added.append(service.add_appendix(session, self.round_id, title).id),
                "report_appendix", self.error):
            self.new_title.clear()
            self.load(self.round_id, added[0])
            self.text.setFocus()

    def move(self, delta: int) -> None:
        record_id = self._current_id()
        if self.round_id is None:
            return
        moved: list[int] = []

        def action(session: Any) -> None:
            # The implied template is given a row of its own the first time it is moved.
            target = record_id
            if target is None:
                round_ = get(session, Round, self.round_id)
                service.placed(round_)
                session.flush()
                target = next(a.id for a in round_.appendices if a.kind == service.TEMPLATE)
            service.move_appendix(session, target, delta)
            moved.append(target)

        if self.apply(action, "report_appendix", self.error):
            self.load(self.round_id, moved[0])

    def remove(self) -> None:
        record_id = self._current_id()
        if record_id is None or not self.apply(lambda session: service.check_removable(session, record_id),
                                               "report_appendix", self.error):
            return
        if self.main.delete_with_undo(ReportAppendix, record_id, f"the appendix “{self.title.text()}”"):
            self.load(self.round_id)
