"""The workshop's "Earlier recommendations" tab: the reviewed organisation's still-open
recommendations from earlier rounds and audits, so the panel can ask about progress and record the
answer as a progress note without leaving the workshop. Named in ``ui/workshop/panels.py``."""

from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtCore import QAbstractListModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView, QCheckBox, QHBoxLayout, QLabel, QListView, QPlainTextEdit, QPushButton, QVBoxLayout, QWidget,
)

from ...db import Database
from ...errors import UserError
from ...models import Review
from ...services.tracker.actions import add_progress_note, set_status
from ...services.tracker.rows import TrackerRow, carry_forward
from ..errors import show_error
from .model import OVERDUE_BRUSH, ROW_ROLE, progress_text, short_date

Index = QModelIndex | QPersistentModelIndex


class CarryForwardModel(QAbstractListModel):
    """One item per open recommendation: reference and status on one line, the text below."""

    def __init__(self, today: date, parent: Any = None) -> None:
        super().__init__(parent)
        self.rows: list[TrackerRow] = []
        self.today = today

    def set_rows(self, rows: list[TrackerRow]) -> None:
        self.beginResetModel()
        self.rows = list(rows)
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802 (Qt's name)
        return 0 if parent.isValid() else len(self.rows)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.rows):
            return None
        row = self.rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            state = ", ".join(part for part in (row.status, row.urgency(self.today).lower(), progress_text(row)) if part)
            return f"{row.reference} ({state})\n{' '.join(row.text.split())}"
        if role == Qt.ItemDataRole.ToolTipRole:
            return row.last_note or None
        if role == Qt.ItemDataRole.BackgroundRole and row.is_overdue(self.today):
            return OVERDUE_BRUSH
        if role == ROW_ROLE:
            return row
        return None


class CarryForwardPanel(QWidget):
    # Recommendation ids given a progress note here.
    changed = Signal(list)

    def __init__(self, db: Database, review_id: int, parent: QWidget | None = None,
                 today: date | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.review_id = review_id
        self._fixed_today = today
        self.setWindowTitle("Earlier recommendations")
        with db.session() as session:
            review = session.get(Review, review_id)
            self.round_label = review.round.label if review else ""
            self.organisation = review.organisation.display_name if review else ""
        self.model = CarryForwardModel(self.today, self)
        self.heading = QLabel()
        self.heading.setWordWrap(True)
        self.list = QListView()
        self.list.setModel(self.model)
        self.list.setWordWrap(True)
        self.list.setSpacing(2)
        self.list.setAlternatingRowColors(True)
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.list.setAccessibleName("Open recommendations from earlier rounds and audits")
        self.last = QLabel()  # what was reported last time, to ask about what has happened since
        self.last.setWordWrap(True)
        self.note = QPlainTextEdit()
        self.note.setPlaceholderText("Progress reported in this workshop (Ctrl+Enter to add)")
        self.note.setFixedHeight(64)
        self.in_progress = QCheckBox("Now in progress")
        self.add_button = QPushButton("Add progress note")
        self.add_button.clicked.connect(self.add_note)
        # Only in the note box: window-wide it would clash with the workshop's Ctrl+Return (back to the
        # response) whenever this tab shows, and a clash makes Qt run neither.
        QShortcut(QKeySequence("Ctrl+Return"), self.note, self.add_note).setContext(Qt.ShortcutContext.WidgetShortcut)
        self.state = QLabel()
        self.state.setWordWrap(True)
        buttons = QHBoxLayout()
        buttons.addWidget(self.in_progress)
        buttons.addStretch(1)
        buttons.addWidget(self.add_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.list, 1)
        layout.addWidget(self.last)
        layout.addWidget(self.note)
        layout.addLayout(buttons)
        layout.addWidget(self.state)
        self.list.selectionModel().currentChanged.connect(self._current_changed)
        self.refresh()

    @property
    def today(self) -> date:
        return self._fixed_today or date.today()

    def refresh(self) -> None:
        current = self.current_row()
        with self.db.session() as session:
            rows = carry_forward(session, self.review_id, today=self.today)
        self.model.today = self.today
        self.model.set_rows(rows)
        if rows:
            self.heading.setText(f"<b>{len(rows)}</b> open recommendation{'s' if len(rows) != 1 else ''} for "
                                 f"{self.organisation} from earlier rounds and audits: ask about progress.")
        else:
            self.heading.setText(f"{self.organisation} has no open recommendations from earlier rounds or audits.")
        ids = [row.id for row in rows]
        index = ids.index(current.id) if current is not None and current.id in ids else 0
        if rows:
            self.list.setCurrentIndex(self.model.index(index))
        self._current_changed()

    def current_row(self) -> TrackerRow | None:
        index = self.list.currentIndex()
        return index.data(ROW_ROLE) if index.isValid() else None

    def select(self, rec_id: int) -> None:
        for position, row in enumerate(self.model.rows):
            if row.id == rec_id:
                self.list.setCurrentIndex(self.model.index(position))

    def _current_changed(self, *_: object) -> None:
        row = self.current_row()
        for widget in (self.note, self.add_button, self.in_progress):
            widget.setEnabled(row is not None)
        self.in_progress.setChecked(False)
        if row is not None and row.last_note:
            self.last.setText(f"Last progress ({short_date(row.last_note_date)}): {row.last_note}")
        else:
            self.last.setText("No progress recorded yet." if row is not None else "")
        self.in_progress.setVisible(row is not None and row.status == "not started")

    def add_note(self) -> None:
        row = self.current_row()
        if row is None:
            return
        text = self.note.toPlainText().strip()
        try:
            with self.db.session() as session:
                if not text:
                    raise UserError("Write the progress reported before adding the note.")
                add_progress_note(session, row.id, f"Reported at the {self.round_label} peer review: {text}",
                                  today=self.today)
                if self.in_progress.isChecked() and row.status == "not started":
                    set_status(session, row.id, "in progress", today=self.today)
        except UserError as exc:
            show_error(self, exc)
            return
        self.note.clear()
        self.state.setText(f"Progress note added to {row.reference}.")
        self.refresh()
        self.changed.emit([row.id])
