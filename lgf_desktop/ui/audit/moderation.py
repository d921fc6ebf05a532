"""The moderation view: per case and question, each auditor's grade side by side and the agreed grade.

Keyboard-driven like the scoring grid: the grade's key sets the agreed grade of the current row,
Delete clears it. Rows where auditors disagree are marked, and can be shown alone.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, QSortFilterProxyModel, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QFontMetrics, QKeyEvent
from PySide6.QtWidgets import QAbstractItemView, QCheckBox, QHBoxLayout, QHeaderView, QLabel, QTableView, QVBoxLayout, QWidget

from ...collation import name_key
from ...db import Database
from ...models import Audit, AuditCase, AuditQuestion, GradeOption
from ...services.audit.findings import moderation_rows, set_moderated_grade
from .scoring import CONCERN, text_colour

Index = QModelIndex | QPersistentModelIndex
DISAGREE = QColor("#fff4d6")


class ModerationModel(QAbstractTableModel):
    """Columns: Case, Question, one per auditor, Agreed."""

    def __init__(self, db: Database, parent: Any = None) -> None:
        super().__init__(parent)
        self.db = db
        self.audit_id: int | None = None
        self.auditors: list[tuple[int, str]] = []
        self.options: dict[int, tuple[str, str, str]] = {}  # id → (label, key, colour)
        self.rows: list[dict[str, Any]] = []

    def load(self, audit_id: int) -> None:
        self.beginResetModel()
        self.audit_id = audit_id
        with self.db.session() as session:
            audit = session.get(Audit, audit_id)
            self.options = {o.id: (o.label, o.key, o.colour) for o in audit.grade_options}
            self.auditors = sorted(((a.id, f"{a.person.name}\n{a.person.organisation.display_name if a.person.organisation else ''}")
                                    for a in audit.auditors), key=lambda item: name_key(item[1]))
            concern_cases = {a.case_id for auditor in audit.auditors for a in auditor.assignments
                             if a.immediate_concern and a.concern_resolved_at is None}
            numbers = {q.id: n for n, q in enumerate(audit.questions, start=1)}
            self.rows = [{
                "case_id": r.case.id, "case": r.case.pseudonym, "concern": r.case.id in concern_cases,
                "question_id": r.question.id, "question": f"Q{numbers[r.question.id]} {r.question.text}",
                "grades": {auditor.id: (o.id if o else None) for auditor, o in r.grades.items()},
                "agreed": r.agreed_option.id if r.agreed_option else None, "disagree": r.disagree,
            } for r in moderation_rows(session, audit)]
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else 3 + len(self.auditors)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:  # noqa: N802
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.ToolTipRole:
            if 2 <= section < self.columnCount() - 1:
                return "Grades given by " + self.auditors[section - 2][1].replace("\n", ", ")
            return {1: "The audit tool's question (its full text in each row's tooltip)",
                    self.columnCount() - 1: "The grade agreed at moderation"}.get(section)
        if orientation != Qt.Orientation.Horizontal or role != Qt.ItemDataRole.DisplayRole:
            return None
        if section == 0:
            return "Case"
        if section == 1:
            return "Question"
        if section == self.columnCount() - 1:
            return "Agreed"
        return self.auditors[section - 2][1]

    def option_at(self, index: Index) -> int | None:
        row = self.rows[index.row()]
        if index.column() == self.columnCount() - 1:
            return row["agreed"]
        if 2 <= index.column() < self.columnCount() - 1:
            return row["grades"].get(self.auditors[index.column() - 2][0])
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row, column = self.rows[index.row()], index.column()
        auditor_column = 2 <= column < self.columnCount() - 1
        assigned = not auditor_column or self.auditors[column - 2][0] in row["grades"]
        option = self.options.get(self.option_at(index))
        if role == Qt.ItemDataRole.DisplayRole:
            if column == 0:
                return f"⚠ {row['case']}" if row["concern"] else row["case"]
            if column == 1:
                return row["question"]
            return option[0] if option else ("" if assigned else "—")
        if role == Qt.ItemDataRole.BackgroundRole:
            if option:
                return QBrush(QColor(option[2]))
            if row["disagree"] and column < 2:
                return QBrush(DISAGREE)
        if role == Qt.ItemDataRole.ForegroundRole:
            if option:
                return QBrush(text_colour(option[2]))
            if column == 0 and row["concern"]:
                return QBrush(CONCERN)
        if role == Qt.ItemDataRole.FontRole and column == self.columnCount() - 1:
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.ToolTipRole and column == 1:
            return row["question"] + ("\nAuditors gave different grades." if row["disagree"] else "")
        if role == Qt.ItemDataRole.ToolTipRole and column >= 2:
            who = "Agreed" if column == self.columnCount() - 1 else self.auditors[column - 2][1].split("\n")[0]
            return f"{row['case']} · {row['question'].split(' ')[0]} · {who}: " + (
                option[0] if option else "not graded" if assigned else "not assigned to this case")
        if role == Qt.ItemDataRole.UserRole:
            return row["disagree"]
        return None

    def agree(self, row_number: int, option_id: int | None) -> None:
        row = self.rows[row_number]
        with self.db.session() as session:
            option = session.get(GradeOption, option_id) if option_id else None
            set_moderated_grade(session, session.get(AuditCase, row["case_id"]), session.get(AuditQuestion, row["question_id"]), option)
        row["agreed"] = option_id
        index = self.index(row_number, self.columnCount() - 1)
        self.dataChanged.emit(index, index)

    def option_for_key(self, text: str) -> int | None:
        return next((oid for oid, (_, key, _) in self.options.items() if key and key.lower() == text.lower()), None)


class DisagreementFilter(QSortFilterProxyModel):
    only_disagreements = False

    def filterAcceptsRow(self, source_row: int, source_parent: Index) -> bool:  # noqa: N802
        if not self.only_disagreements:
            return True
        return bool(self.sourceModel().rows[source_row]["disagree"])


class ModerationTable(QTableView):
    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        proxy: DisagreementFilter = self.model()  # type: ignore[assignment]
        source: ModerationModel = proxy.sourceModel()  # type: ignore[assignment]
        index = self.currentIndex()
        if index.isValid():
            row = proxy.mapToSource(index).row()
            if event.key() in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace):
                source.agree(row, None)
                return
            option_id = source.option_for_key(event.text()) if event.text() else None
            if option_id is not None:
                source.agree(row, option_id)
                self.setCurrentIndex(proxy.index(min(index.row() + 1, proxy.rowCount() - 1), index.column()))
                return
        super().keyPressEvent(event)


class ModerationView(QWidget):
    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = ModerationModel(db, self)
        self.proxy = DisagreementFilter(self)
        self.proxy.setSourceModel(self.model)
        self.table = ModerationTable()
        self.table.setModel(self.proxy)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setWordWrap(True)  # the question in two lines, the rest in its tooltip
        self.table.verticalHeader().setDefaultSectionSize(2 * self.fontMetrics().lineSpacing() + 8)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(False)
        self.only = QCheckBox("Only where auditors disagree")
        self.only.toggled.connect(self._filter)
        self.hint = QLabel()
        self.hint.setStyleSheet("color: #555;")
        bar = QHBoxLayout()
        bar.addWidget(self.only)
        bar.addStretch(1)
        bar.addWidget(self.hint)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.table, 1)

    def load(self, audit_id: int) -> None:
        self.model.load(audit_id)
        keys = "  ".join(f"{key} {label}" for label, key, _ in self.model.options.values() if key)
        self.hint.setText(f"Agreed grade of the selected row: {keys}; Delete clears")
        # Grade columns as wide as the longest grade (bold in Agreed), the question takes the rest.
        bold = QFont(self.table.font())
        bold.setBold(True)
        labels = [label for label, _key, _colour in self.model.options.values()] or ["Not graded"]
        plain_width = max(self.table.fontMetrics().horizontalAdvance(t) for t in labels) + 16
        bold_width = max(QFontMetrics(bold).horizontalAdvance(t) for t in labels) + 16
        self.table.setColumnWidth(0, self.table.fontMetrics().horizontalAdvance("⚠ Child A") + 20)
        for column in range(2, self.model.columnCount()):
            self.table.setColumnWidth(column, bold_width if column == self.model.columnCount() - 1 else plain_width)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setMinimumSectionSize(60)
        self.table.horizontalHeader().setMinimumHeight(40)

    def _filter(self, on: bool) -> None:
        self.proxy.only_disagreements = on
        self.proxy.invalidateFilter()
