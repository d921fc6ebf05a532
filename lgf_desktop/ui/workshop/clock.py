"""The workshop clock on the right of the workshop: elapsed and remaining time, start / pause,
the workshop's length, and each theme's time budget (editable), amber near and red past it."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt, QTimer, Signal
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import (
    QHBoxLayout, QHeaderView, QLabel, QMessageBox, QPushButton, QSpinBox, QTableView, QVBoxLayout, QWidget,
)

from shiboken6 import isValid

from ...errors import UserError
from ...services.review import workshop as ws
from ..errors import show_error
from ..tasks import run_task
from ..table_models import RowsTableModel

if TYPE_CHECKING:
    from ...db import Database


def set_style(widget: QWidget, style: str) -> None:
    """Set a style sheet only when it changes: each call re-polishes the widget (about a millisecond)."""
    if widget.styleSheet() != style:
        widget.setStyleSheet(style)

STATE_BACKGROUND = {"near": QColor("#ffe0a3"), "over": QColor("#ffb3b3")}
STATE_TEXT = {"ok": "#1b5e20", "near": "#8a4b00", "over": "#b00020"}

Index = QModelIndex | QPersistentModelIndex


def mmss(seconds: float) -> str:
    sign = "−" if seconds < 0 else ""
    seconds = int(abs(seconds))
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{sign}{hours}:{minutes:02d}:{secs:02d}" if hours else f"{sign}{minutes:02d}:{secs:02d}"


class ThemeTimeModel(RowsTableModel):
    """Theme | Budget (min, editable) | Spent | Left."""

    HEADERS = ("Theme", "Budget (min)", "Spent", "Left")
    budget_edited = Signal(int, object)  # theme_id, minutes or None (back to the share by questions)

    def __init__(self, parent=None) -> None:
        super().__init__(parent=parent)
        self.rows: list[ws.ThemeBudget] = []
        self.current_theme_id: int | None = None

    def set_rows(self, rows: list[ws.ThemeBudget], current_theme_id: int | None) -> None:
        if len(rows) != len(self.rows) or [r.theme_id for r in rows] != [r.theme_id for r in self.rows]:
            self.beginResetModel()
            self.rows, self.current_theme_id = rows, current_theme_id
            self.endResetModel()
            return
        before, current_before = self.rows, self.current_theme_id
        self.rows, self.current_theme_id = rows, current_theme_id
        # Only the rows that changed (the running theme's, once a second): the view asks again for
        # every role of every cell it is told about, each a call into Python that waits for the
        # interpreter while an import runs on a worker (50-70 ms a tick when the whole table was).
        for n, (old_row, new_row) in enumerate(zip(before, rows)):
            current_changed = (old_row.theme_id == current_before) != (new_row.theme_id == current_theme_id)
            if old_row != new_row or current_changed:
                self.dataChanged.emit(self.index(n, 0), self.index(n, len(self.HEADERS) - 1))

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        return flags | Qt.ItemFlag.ItemIsEditable if index.column() == 1 else flags

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        row = self.rows[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return (row.title, f"{row.budget_seconds / 60:.0f}{' (set)' if row.explicit else ''}",
                    mmss(row.spent_seconds), mmss(row.remaining_seconds))[column]
        if role == Qt.ItemDataRole.EditRole and column == 1:
            return f"{row.budget_seconds / 60:.0f}"
        if role == Qt.ItemDataRole.BackgroundRole and row.state in STATE_BACKGROUND:
            return QBrush(STATE_BACKGROUND[row.state])
        if role == Qt.ItemDataRole.FontRole and row.theme_id == self.current_theme_id:
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.ToolTipRole and column == 1:
            if row.explicit:
                return f"{row.budget_seconds / 60:.0f} min, set by hand. Clear it to go back to a share by questions."
            return (f"{row.budget_seconds / 60:.0f} min: this theme's share of the time by its number of questions "
                    f"({row.questions}). Double-click to set it by hand.")
        if role == Qt.ItemDataRole.ToolTipRole:
            words = {"ok": "within its time", "near": "near its time", "over": "past its time"}[row.state]
            return f"{row.title}: {mmss(row.spent_seconds)} of {row.budget_seconds / 60:.0f} min, {words}."
        return None

    def setData(self, index: Index, value, role: int = Qt.ItemDataRole.EditRole) -> bool:  # noqa: N802
        if not index.isValid() or index.column() != 1 or role != Qt.ItemDataRole.EditRole:
            return False
        text = str(value).strip()
        if text == "":
            minutes = None
        else:
            try:
                minutes = float(text)
            except ValueError:
                return False
        self.budget_edited.emit(self.rows[index.row()].theme_id, minutes)
        return True


class ClockPanel(QWidget):
    """Shows the review's clock from the database and ticks the display once a second."""

    toggled = Signal()  # the clock was started or paused
    ticked = Signal()  # the display was refreshed (theme_times is current)

    def __init__(self, db: Database, review_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.review_id = review_id
        self.elapsed = QLabel()
        self.elapsed.setAccessibleName("Elapsed time")
        big = QFont(self.font())
        big.setPointSizeF(big.pointSizeF() * 2.2)
        big.setBold(True)
        self.elapsed.setFont(big)
        self.remaining = QLabel()
        self.theme_left = QLabel()
        self.theme_left.setWordWrap(True)
        self.start_button = QPushButton()
        self.start_button.clicked.connect(self.toggle)
        self.length = QSpinBox()
        self.length.setRange(1, ws.MAX_DURATION_MINUTES)
        self.length.setSuffix(" min")
        self.length.setToolTip("Length of this workshop")
        self.length.setAccessibleName("Workshop length in minutes")
        self.length.editingFinished.connect(self._length_edited)
        self.model = ThemeTimeModel(self)
        self.model.budget_edited.connect(self._budget_edited)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.verticalHeader().hide()
        self.table.setAlternatingRowColors(False)
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for column in (1, 2, 3):
            self.table.horizontalHeader().setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().lineSpacing() + 6)
        self.table.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.budget_note = QLabel()  # how the budgets were set, and that they add up to the length
        self.budget_note.setWordWrap(True)
        self.budget_note.setStyleSheet("color: #555")

        top = QHBoxLayout()
        top.addWidget(self.elapsed, 1)
        top.addWidget(self.start_button)
        second = QHBoxLayout()
        second.addWidget(self.remaining, 1)
        second.addWidget(QLabel("Length"))
        second.addWidget(self.length)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top)
        layout.addLayout(second)
        layout.addWidget(self.theme_left)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.budget_note)

        self._timer = QTimer(self)
        self._timer.setInterval(1000)
        self._timer.timeout.connect(self._tick)
        self._reading = False
        self._timer.start()
        self.theme_times: dict[int, tuple[str, str]] = {}
        self.refresh()

    def _read(self) -> tuple:
        """The clock's figures as stored, read on a connection of its own (never waiting behind an
        import's write); plain values, so a worker may read them."""
        with self.db.read() as session:
            review = ws.get_review(session, self.review_id)
            return (ws.elapsed_seconds(review), ws.remaining_seconds(review), ws.theme_budgets(session, review),
                    ws.current_theme_id(session, review), review.clock_running, review.duration_minutes,
                    review.actual_start)

    def _tick(self) -> None:
        """Every second: the figures are read on a worker (``run_task``): the reading and the theme
        budgets' queries take tens of milliseconds, which the chair's typing must never wait for."""
        if self._reading:
            return
        self._reading = True

        def done(figures: tuple | None, error: BaseException | None) -> None:
            if not isValid(self):  # the workshop closed meanwhile
                return
            self._reading = False
            if error is None:
                self._show(figures)

        run_task(lambda progress: self._read(), done)

    def refresh(self) -> None:
        """At once (after the chair's own action on the clock)."""
        self._show(self._read())

    def _show(self, figures: tuple) -> None:
        elapsed, remaining, budgets, current, running, duration, started = figures
        self.running = running
        self.elapsed.setText(mmss(elapsed))
        state = "over" if remaining < 0 else "near" if remaining < 0.2 * duration * 60 else "ok"
        self.remaining.setText(f"{mmss(remaining)} left of {duration} min" if remaining >= 0
                               else f"{mmss(-remaining)} over the {duration} min")
        set_style(self.remaining, f"color: {STATE_TEXT[state]}")
        self.start_button.setText(("Pause" if running else "Resume" if started else "Start") + " (F5)")
        if not self.length.hasFocus():
            self.length.setValue(duration)
        self.model.set_rows(budgets, current)
        self._fit_table(len(budgets))
        total = round(sum(b.budget_seconds for b in budgets) / 60)
        set_by_hand = sum(b.explicit for b in budgets)
        how = ("shared by number of questions" if not set_by_hand else
               f"{set_by_hand} set by hand, the rest shared by number of questions")
        self.budget_note.setText(f"Budgets (min): {how}; together {total} of {duration} min. "
                                 "Double-click one to change it.")
        self.theme_times = {b.theme_id: (f"{mmss(b.remaining_seconds)} left" if b.remaining_seconds >= 0
                                         else f"{mmss(-b.remaining_seconds)} over", b.state) for b in budgets}
        theme = next((b for b in budgets if b.theme_id == current), None)
        self.theme_words = ""  # "Child Exploitation: 04:10 left", for the window's focus mode
        if theme is not None:
            self.theme_words = f"{theme.title}: {mmss(abs(theme.remaining_seconds))} " + (
                "left" if theme.remaining_seconds >= 0 else "over")
        if theme is None:
            self.theme_left.setText("")
        else:
            left = theme.remaining_seconds
            words = f"{mmss(left)} left" if left >= 0 else f"{mmss(-left)} over its time"
            self.theme_left.setText(f"This theme ({theme.title}): {words}")
            set_style(self.theme_left, f"color: {STATE_TEXT[theme.state]}; font-weight: bold")
        self.ticked.emit()

    def _fit_table(self, rows: int) -> None:
        """Every theme shows without scrolling (a template has 7; up to 10 fit a 768-pixel screen)."""
        height = (self.table.horizontalHeader().height() + rows * self.table.verticalHeader().defaultSectionSize()
                  + 2 * self.table.frameWidth())
        if self.table.minimumHeight() != height:
            self.table.setMinimumHeight(height)

    @staticmethod
    def ask(parent: QWidget, question: str) -> bool:
        """Yes or no; tests replace it."""
        answer = QMessageBox.question(parent, "Start the clock", question,
                                      QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                                      QMessageBox.StandardButton.No)
        return answer == QMessageBox.StandardButton.Yes

    def toggle(self) -> None:
        with self.db.session() as session:
            review = ws.get_review(session, self.review_id)
            question = None if review.clock_running else ws.clock_start_question(review)
        if question is not None and not self.ask(self, question):
            return
        with self.db.session() as session:
            review = ws.get_review(session, self.review_id)
            if review.clock_running:
                ws.pause_clock(session, review)
            else:
                ws.start_clock(session, review)
        self.refresh()
        self.toggled.emit()

    def _length_edited(self) -> None:
        self._change(lambda session, review: ws.set_duration(session, review, self.length.value()))

    def _budget_edited(self, theme_id: int, minutes: float | None) -> None:
        self._change(lambda session, review: ws.set_theme_budget(session, review, theme_id, minutes))

    def _change(self, change) -> None:
        try:
            with self.db.session() as session:
                change(session, ws.get_review(session, self.review_id))
        except UserError as exc:
            show_error(self, exc)
        self.refresh()
