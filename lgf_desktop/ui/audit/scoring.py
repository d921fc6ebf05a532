"""The scoring grid: one auditor's assigned cases × the audit's questions, graded from the keyboard.

Arrow keys move; the key of a grade (1–4, n, g/a/r … as the scale says) grades the current cell and
then moves as the auditor chose (``MOVES``: right to the next question, down to the next case, or
stay; the legend under the grid says which); Delete clears it. Every grade is saved at once (one small transaction).
A case with an open immediate concern shows a red header until the coordinator resolves it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QKeyEvent
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView

from ...collation import name_key
from ...db import Database
from ...models import Audit, Auditor, Grade
from ...services.audit.grading import set_grade

Index = QModelIndex | QPersistentModelIndex

# Where the cursor goes after a grade key: setting value → words for the chooser and the legend.
MOVES = {"right": "moves right (next question)", "down": "moves down (next case)", "stay": "stays on the cell"}
MOVE_SETTING = "audit/after_grade"
CONCERN = QColor("#c62828")


@dataclass
class Option:
    id: int
    label: str
    key: str
    colour: str


@dataclass
class Row:
    """One assigned case of the auditor."""
    assignment_id: int
    case_id: int
    pseudonym: str
    age_band: str
    concern_open: bool
    grades: dict[int, tuple[int, int | None, str]] = field(default_factory=dict)  # question id → (grade id, option id, evidence)


def short_label(label: str) -> str:
    """A label that fits a grid cell: 'Requires improvement' → 'RI', 'Not applicable' → 'N/A',
    'Outstanding' → 'Outst.'; short words stay as they are."""
    words = label.split()
    if label.lower() == "not applicable":
        return "N/A"
    if len(words) > 1:
        return "".join(w[0].upper() for w in words if w[0].isalnum())
    return label if len(label) <= 7 else label[:5] + "."


def text_colour(background: str) -> QColor:
    colour = QColor(background)
    return QColor("black") if colour.lightness() > 140 else QColor("white")


class ScoringModel(QAbstractTableModel):
    """Rows: the auditor's cases; columns: the questions, then the case's progress."""

    graded = Signal()

    def __init__(self, db: Database, parent: Any = None) -> None:
        super().__init__(parent)
        self.db = db
        self.rows: list[Row] = []
        self.questions: list[tuple[int, str, str, str]] = []  # (id, number, text, guidance)
        self.options: list[Option] = []
        self.auditor_id: int | None = None

    def load(self, audit_id: int, auditor_id: int | None) -> None:
        self.beginResetModel()
        self.auditor_id = auditor_id
        with self.db.session() as session:
            audit = session.get(Audit, audit_id)
            self.questions = [(q.id, f"Q{n}", q.text, q.guidance) for n, q in enumerate(audit.questions, start=1)]
            self.options = [Option(o.id, o.label, o.key, o.colour) for o in audit.grade_options]
            self.rows = []
            auditor = session.get(Auditor, auditor_id) if auditor_id else None
            # A concern raised by any auditor marks the case in every auditor's grid.
            concern_cases = {a.case_id for other in audit.auditors for a in other.assignments
                             if a.immediate_concern and a.concern_resolved_at is None}
            if auditor is not None and auditor.audit_id == audit_id:
                for a in sorted(auditor.assignments, key=lambda a: a.case.position):
                    row = Row(a.id, a.case_id, a.case.pseudonym, a.case.age_band, a.case_id in concern_cases)
                    row.grades = {g.question_id: (g.id, g.grade_option_id, g.evidence) for g in a.grades}
                    self.rows.append(row)
        self.endResetModel()

    # ----- reading ------------------------------------------------------------------------------
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(self.questions) + (1 if self.questions else 0)

    def option(self, option_id: int | None) -> Option | None:
        return next((o for o in self.options if o.id == option_id), None)

    def cell(self, index: Index) -> tuple[int, int | None, str] | None:
        if not index.isValid() or index.column() >= len(self.questions):
            return None
        return self.rows[index.row()].grades.get(self.questions[index.column()][0])

    def progress(self, row: Row) -> tuple[int, int]:
        return sum(1 for _, option_id, _ in row.grades.values() if option_id is not None), len(row.grades)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row = self.rows[index.row()]
        if index.column() == len(self.questions):
            done, total = self.progress(row)
            if role == Qt.ItemDataRole.DisplayRole:
                return f"{done}/{total}"
            if role == Qt.ItemDataRole.TextAlignmentRole:
                return int(Qt.AlignmentFlag.AlignCenter)
            return None
        cell = self.cell(index)
        option = self.option(cell[1]) if cell else None
        if role == Qt.ItemDataRole.DisplayRole:
            return short_label(option.label) if option else ""
        if role == Qt.ItemDataRole.BackgroundRole and option:
            return QBrush(QColor(option.colour))
        if role == Qt.ItemDataRole.ForegroundRole and option:
            return QBrush(text_colour(option.colour))
        if role == Qt.ItemDataRole.ToolTipRole:
            q = self.questions[index.column()]
            evidence = cell[2] if cell else ""
            return f"{row.pseudonym} · {q[1]} {q[2]}\n{option.label if option else 'Not graded'}" + (f"\n{evidence}" if evidence else "")
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(Qt.AlignmentFlag.AlignCenter)
        return None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:  # noqa: N802
        if orientation == Qt.Orientation.Horizontal:
            if section >= len(self.questions):
                return "Done" if role == Qt.ItemDataRole.DisplayRole else None
            number, text = self.questions[section][1], self.questions[section][2]
            return {Qt.ItemDataRole.DisplayRole: number, Qt.ItemDataRole.ToolTipRole: text}.get(role)
        if not 0 <= section < len(self.rows):
            return None
        row = self.rows[section]
        if role == Qt.ItemDataRole.DisplayRole:
            return f"⚠ {row.pseudonym}" if row.concern_open else row.pseudonym
        if role == Qt.ItemDataRole.ForegroundRole and row.concern_open:
            return QBrush(CONCERN)
        if role == Qt.ItemDataRole.ToolTipRole:
            tip = f"{row.pseudonym}, age {row.age_band or 'not recorded'}"
            return tip + ("\nImmediate concern: open until the coordinator records what was done." if row.concern_open else "")
        return None

    # ----- writing ------------------------------------------------------------------------------
    def grade(self, index: Index, option_id: int | None) -> bool:
        """Save the grade of one cell (None clears it); True if it changed."""
        cell = self.cell(index)
        if cell is None:
            return False
        grade_id, _, evidence = cell
        with self.db.session() as session:
            grade = session.get(Grade, grade_id)
            option = next((o for o in grade.question.section.audit.grade_options if o.id == option_id), None)
            changed = set_grade(grade, option)
        if changed:
            row = self.rows[index.row()]
            row.grades[self.questions[index.column()][0]] = (grade_id, option_id, evidence)
            self.dataChanged.emit(index, index)
            done = self.index(index.row(), len(self.questions))
            self.dataChanged.emit(done, done)
            self.graded.emit()
        return changed

    def remember_evidence(self, index: Index, evidence: str) -> None:
        """Keep the grid's copy of the evidence in step after the side panel saved it."""
        cell = self.cell(index)
        if cell is not None:
            self.rows[index.row()].grades[self.questions[index.column()][0]] = (cell[0], cell[1], evidence)

    def option_for_key(self, text: str) -> Option | None:
        return next((o for o in self.options if o.key and o.key.lower() == text.lower()), None)


class ScoringGrid(QTableView):
    """The grid's view: arrow keys move (Qt's own), a grade's key grades, Delete clears."""

    def __init__(self, model: ScoringModel, parent: Any = None) -> None:
        super().__init__(parent)
        self.move = "right"  # one of MOVES; the scoring view sets the auditor's choice
        self.setModel(model)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setTabKeyNavigation(False)
        self.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.horizontalHeader().setMinimumSectionSize(44)
        self.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.verticalHeader().setDefaultSectionSize(34)
        self.setWordWrap(True)
        # The selected cell keeps its grade's colour and gets a frame, so the grade stays readable.
        self.setStyleSheet("QTableView { selection-background-color: rgba(0, 0, 0, 0); selection-color: black; }"
                           "QTableView::item:selected { border: 3px solid #1a237e; }")

    def grid(self) -> ScoringModel:
        return self.model()  # type: ignore[return-value]

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 (Qt's name)
        index = self.currentIndex()
        text = event.text()
        model = self.grid()
        if index.isValid() and event.key() in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace):
            model.grade(index, None)
            return
        option = model.option_for_key(text) if text and text.isprintable() and not event.modifiers() & (
            Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier) else None
        if index.isValid() and option is not None and model.cell(index) is not None:
            model.grade(index, option.id)
            self._advance(index)
            return
        super().keyPressEvent(event)

    def _advance(self, index: QModelIndex) -> None:
        """After grading, as ``self.move`` says. Right: the next question of the same case, after the
        last the next case's first. Down: the next case, after the last the next question's first case."""
        model = self.grid()
        row, column = index.row(), index.column()
        last_row, last_column = model.rowCount() - 1, len(model.questions) - 1
        if self.move == "right":
            row, column = (row, column + 1) if column < last_column else (row + 1, 0) if row < last_row else (row, column)
        elif self.move == "down":
            row, column = (row + 1, column) if row < last_row else (0, column + 1) if column < last_column else (row, column)
        self.setCurrentIndex(model.index(row, column))


def assignment_ids(db: Database, audit_id: int) -> dict[int, str]:
    """Auditor id → 'Name (Agency)' for the auditor chooser."""
    with db.session() as session:
        audit = session.get(Audit, audit_id)
        out = {}
        for auditor in sorted(audit.auditors, key=lambda a: name_key(a.person.name)):
            org = auditor.person.organisation
            out[auditor.id] = f"{auditor.person.name} ({org.display_name})" if org else auditor.person.name
        return out

