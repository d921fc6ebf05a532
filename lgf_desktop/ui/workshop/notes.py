"""Panel members' notes beside the chair's response: for the current question, each imported note
waiting to be merged, with its author, and three choices — append it to the response, use it (then
edit it in the editor), or dismiss it."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QFrame, QHBoxLayout, QLabel, QPlainTextEdit, QPushButton, QScrollArea, QVBoxLayout, QWidget,
)

from ...errors import UserError
from ...services.review import notes_exchange as notes
from ..errors import show_error

if TYPE_CHECKING:
    from ...db import Database

class NotesPanel(QWidget):
    """Hidden when the current question has no notes waiting."""

    merged = Signal(int, str)  # question_id, the response's new text
    changed = Signal()

    def __init__(self, db: Database, review_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.review_id = review_id
        self.question_id: int | None = None
        self.title = QLabel()
        self.title.setStyleSheet("font-weight: bold")
        self.cards = QVBoxLayout()
        self.cards.addStretch(1)
        holder = QWidget()
        holder.setLayout(self.cards)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(holder)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.title)
        layout.addWidget(scroll, 1)
        self.count = 0
        # Set by the window: saves the editor, so a merge starts from what is on screen.
        self.before_merge = lambda: None

    def set_question(self, question_id: int | None) -> None:
        self.question_id = question_id
        self.refresh()

    def refresh(self) -> None:
        while self.cards.count() > 1:
            item = self.cards.takeAt(0)
            if item.widget() is not None:
                item.widget().deleteLater()
        pending = []
        if self.question_id is not None:
            with self.db.session() as session:
                pending = [(n.id, n.author, n.text) for n in notes.pending_notes(session, self.review_id, self.question_id)]
        for note_id, author, text in pending:
            self.cards.insertWidget(self.cards.count() - 1, self._card(note_id, author, text))
        self.count = len(pending)
        self.title.setText(f"Panel members' notes on this question ({len(pending)})")
        self.setVisible(bool(pending))

    def _card(self, note_id: int, author: str, text: str) -> QWidget:
        card = QFrame()
        card.setFrameShape(QFrame.Shape.StyledPanel)
        card.setObjectName(f"note-{note_id}")
        body = QPlainTextEdit(text)
        body.setReadOnly(True)
        body.setAccessibleName(f"Notes by {author}")
        append = QPushButton("Append")
        append.setToolTip("Add these notes after your response")
        append.clicked.connect(lambda: self._merge(lambda s: notes.merge_append(s, note_id)))
        use = QPushButton("Use and edit")
        use.setToolTip("Replace your response with these notes, then edit them")
        use.clicked.connect(lambda: self._merge(lambda s: notes.merge_pick(s, note_id, text)))
        dismiss = QPushButton("Dismiss")
        dismiss.clicked.connect(lambda: self._merge(lambda s: notes.dismiss(s, note_id)))
        buttons = QHBoxLayout()
        for button in (append, use, dismiss):
            buttons.addWidget(button)
        layout = QVBoxLayout(card)
        layout.addWidget(QLabel(f"From {author}:"))
        layout.addWidget(body, 1)
        layout.addLayout(buttons)
        return card

    def _merge(self, action) -> None:
        """Merge or dismiss one note, after the editor's text is saved."""
        question_id = self.question_id
        self.before_merge()
        try:
            with self.db.session() as session:
                result = action(session)
        except UserError as exc:
            show_error(self, exc)
            self.refresh()
            return
        self.refresh()
        if isinstance(result, str) and question_id is not None:
            self.merged.emit(question_id, result)
        self.changed.emit()