"""The theme → question outline on the left of the workshop: each question marked empty, started or
answered, each theme with its count of answered questions and the time it has left."""

from __future__ import annotations

from dataclasses import dataclass, field

from PySide6.QtCore import QAbstractItemModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor, QFont

from ...services.review.workshop import question_state

MARKS = {"empty": "○", "started": "◐", "answered": "●", "above": "↑", "blank": "–"}
STATE_WORDS = {"empty": "not started", "started": "started", "answered": "answered",
               "above": "answered with the question above", "blank": "not discussed (blank on purpose)"}
BUDGET_COLOURS = {"near": QColor("#b36b00"), "over": QColor("#b00020")}

Index = QModelIndex | QPersistentModelIndex


@dataclass
class OutlineQuestion:
    question_id: int
    number: str
    text: str
    state: str = "empty"
    mark: str = ""  # "above" (answered with the question above) or "blank" (not discussed), when the text is empty

    @property
    def shown(self) -> str:
        """What the outline says of it: a mark the chair put on it counts while nothing is typed."""
        return self.mark if self.mark and self.state == "empty" else self.state


@dataclass
class OutlineTheme:
    theme_id: int
    title: str
    questions: list[OutlineQuestion] = field(default_factory=list)
    time_left: str = ""
    budget_state: str = "ok"

    @property
    def answered(self) -> int:
        return sum(q.shown in ("answered", "above", "blank") for q in self.questions)


class OutlineModel(QAbstractItemModel):
    """Two levels: themes (internal id 0) and their questions (internal id = theme row + 1)."""

    def __init__(self, themes: list[OutlineTheme], parent=None) -> None:
        super().__init__(parent)
        self.themes = themes
        self.current_question_id: int | None = None

    # --- structure ---
    def index(self, row: int, column: int, parent: Index = QModelIndex()) -> QModelIndex:
        if column != 0 or row < 0:
            return QModelIndex()
        if not parent.isValid():
            return self.createIndex(row, 0, 0) if row < len(self.themes) else QModelIndex()
        if parent.internalId() == 0 and row < len(self.themes[parent.row()].questions):
            return self.createIndex(row, 0, parent.row() + 1)
        return QModelIndex()

    def parent(self, index: Index = QModelIndex()) -> QModelIndex:  # type: ignore[override]
        if not index.isValid() or index.internalId() == 0:
            return QModelIndex()
        return self.createIndex(index.internalId() - 1, 0, 0)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802 (Qt's name)
        if not parent.isValid():
            return len(self.themes)
        if parent.column() == 0 and parent.internalId() == 0:
            return len(self.themes[parent.row()].questions)
        return 0

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802
        return 1

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):  # noqa: N802
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole and section == 0:
            return "Themes and questions"
        return None

    # --- content ---
    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        if index.internalId() == 0:
            theme = self.themes[index.row()]
            if role == Qt.ItemDataRole.DisplayRole:
                # The time left is in the tooltip and the clock's table; here it would be cut off.
                return f"{index.row() + 1}. {theme.title}  ({theme.answered}/{len(theme.questions)})"
            if role == Qt.ItemDataRole.ToolTipRole:
                return (f"{theme.title}: {theme.answered} of {len(theme.questions)} questions answered"
                        + (f"; {theme.time_left}" if theme.time_left else ""))
            if role == Qt.ItemDataRole.FontRole:
                font = QFont()
                font.setBold(True)
                return font
            if role == Qt.ItemDataRole.ForegroundRole and theme.budget_state in BUDGET_COLOURS:
                return QBrush(BUDGET_COLOURS[theme.budget_state])
            return None
        question = self.themes[index.internalId() - 1].questions[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return f"{MARKS[question.shown]} {question.number} {question.text}"
        if role == Qt.ItemDataRole.ToolTipRole:
            return f"{question.number} {question.text} ({STATE_WORDS[question.shown]})"
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return f"Question {question.number}, {STATE_WORDS[question.shown]}: {question.text}"
        if role == Qt.ItemDataRole.FontRole and question.question_id == self.current_question_id:
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.UserRole:
            return question.question_id
        return None

    # --- lookups and updates ---
    def question_index(self, question_id: int) -> QModelIndex:
        for t_row, theme in enumerate(self.themes):
            for q_row, question in enumerate(theme.questions):
                if question.question_id == question_id:
                    return self.index(q_row, 0, self.index(t_row, 0))
        return QModelIndex()

    def ordered_ids(self) -> list[int]:
        return [q.question_id for t in self.themes for q in t.questions]

    def theme_of(self, question_id: int) -> int:
        """The row of the theme holding a question."""
        for t_row, theme in enumerate(self.themes):
            if any(q.question_id == question_id for q in theme.questions):
                return t_row
        return -1

    def set_text(self, question_id: int, text: str) -> None:
        """Recompute a question's mark from its response text."""
        index = self.question_index(question_id)
        if not index.isValid():
            return
        question = self.themes[index.internalId() - 1].questions[index.row()]
        state = question_state(text)
        if state != question.state:
            question.state = state
            self.dataChanged.emit(index, index)
            theme_index = index.parent()
            self.dataChanged.emit(theme_index, theme_index)

    def set_mark(self, question_id: int, mark: str) -> None:
        """Show the chair's mark on a question ("above", "blank" or "")."""
        index = self.question_index(question_id)
        if not index.isValid():
            return
        question = self.themes[index.internalId() - 1].questions[index.row()]
        if mark != question.mark:
            question.mark = mark
            self.dataChanged.emit(index, index)
            self.dataChanged.emit(index.parent(), index.parent())

    def set_current(self, question_id: int | None) -> None:
        previous, self.current_question_id = self.current_question_id, question_id
        for qid in (previous, question_id):
            if qid is not None:
                index = self.question_index(qid)
                if index.isValid():
                    self.dataChanged.emit(index, index)

    def set_theme_times(self, times: dict[int, tuple[str, str]]) -> None:
        """theme_id → (time-left text, budget state); only rows that change are repainted."""
        for row, theme in enumerate(self.themes):
            value = times.get(theme.theme_id, ("", "ok"))
            if (theme.time_left, theme.budget_state) != value:
                theme.time_left, theme.budget_state = value
                index = self.index(row, 0)
                self.dataChanged.emit(index, index)
