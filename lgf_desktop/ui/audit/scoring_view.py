"""The scoring tab: choose the auditor, grade in the grid, write evidence and summaries beside it,
and see progress per case (last column) and per auditor (above the grid)."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QSplitter, QVBoxLayout, QWidget

from ...collation import name_key
from ...db import Database
from ...models import Assignment, Audit, Grade
from ...services.audit.grading import progress_by_auditor
from .scoring import MOVE_SETTING, MOVES, ScoringGrid, ScoringModel, assignment_ids
from .side_panel import CasePanel


class ScoringView(QWidget):
    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.audit_id: int | None = None
        self.auditor = QComboBox()
        self.auditor.setMinimumWidth(260)
        self.progress = QLabel()
        self.saved = QLabel()
        self.saved.setStyleSheet("color: #2e7d32;")
        self.keys = QLabel()
        self.keys.setStyleSheet("color: #555;")
        self.keys.setWordWrap(True)
        self.after_grade = QComboBox()  # where a grade key moves the cursor, remembered
        self.after_grade.setAccessibleName("After a grade key the cursor")
        for value, words in MOVES.items():
            self.after_grade.addItem(words, value)
        self.model = ScoringModel(db, self)
        self.grid = ScoringGrid(self.model)
        self.panel = CasePanel(db, self._say)

        top = QHBoxLayout()
        top.addWidget(QLabel("Auditor"))
        top.addWidget(self.auditor)
        top.addWidget(self.progress, 1)
        top.addWidget(self.saved)
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(self.grid, 1)
        left_layout.addWidget(self.keys)
        move_row = QHBoxLayout()
        move_row.addWidget(QLabel("After a grade key the cursor"))
        move_row.addWidget(self.after_grade)
        move_row.addStretch(1)
        left_layout.addLayout(move_row)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(left)
        splitter.addWidget(self.panel)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        splitter.setSizes([700, 420])
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(splitter, 1)

        self.auditor.currentIndexChanged.connect(self._load_grid)
        self.grid.selectionModel().currentChanged.connect(self._cell_changed)
        self.model.graded.connect(self._graded)
        self.model.modelReset.connect(self._show_keys)
        self.after_grade.setCurrentIndex(max(0, self.after_grade.findData(self._saved_move())))
        self._move_chosen()
        self.after_grade.currentIndexChanged.connect(self._move_chosen)

    def load(self, audit_id: int) -> None:
        self.panel.save()
        self.audit_id = audit_id
        chosen = self.auditor.currentData()
        self.auditor.blockSignals(True)
        self.auditor.clear()
        for auditor_id, name in assignment_ids(self.db, audit_id).items():
            self.auditor.addItem(name, auditor_id)
        self.auditor.setCurrentIndex(max(0, self.auditor.findData(chosen)))
        self.auditor.blockSignals(False)
        self._load_grid()

    def _load_grid(self) -> None:
        if self.audit_id is None:
            return
        self.panel.save()
        self.model.load(self.audit_id, self.auditor.currentData())
        if self.model.rowCount():
            self.grid.setCurrentIndex(self.model.index(0, 0))
        else:
            self.panel.show_cell(None, None, "", "")
        self._show_progress()

    def _show_keys(self) -> None:
        keys = "   ".join(f"{o.key} {o.label}" for o in self.model.options if o.key)
        self.keys.setText(f"Keys: {keys}. A grade key grades the cell and then {MOVES[self.grid.move]}. "
                          "Delete clears; arrows move.")

    @staticmethod
    def _saved_move() -> str:
        from ..settings import settings

        value = settings().value(MOVE_SETTING, "right")
        return value if value in MOVES else "right"

    def _move_chosen(self, *_: object) -> None:
        from ..settings import settings

        self.grid.move = self.after_grade.currentData()
        settings().setValue(MOVE_SETTING, self.grid.move)
        self._show_keys()

    def _cell_changed(self, current: QModelIndex, previous: QModelIndex) -> None:
        if previous.isValid():
            self.model.remember_evidence(previous, self.panel.evidence_text())
        cell = self.model.cell(current)
        if cell is None:
            row = self.model.rows[current.row()] if current.isValid() else None
            self.panel.show_cell(None, row.assignment_id if row else None, "", "")
            return
        row = self.model.rows[current.row()]
        _, number, text, guidance = self.model.questions[current.column()]
        self.panel.show_cell(cell[0], row.assignment_id, f"{row.pseudonym} · {number}. {text}", guidance)

    def _say(self, sentence: str) -> None:
        """The save state beside the auditor's name: green when saved, red when not."""
        self.saved.setText(sentence)
        self.saved.setWordWrap(True)
        self.saved.setStyleSheet("color: #b00020; font-weight: bold;" if sentence.startswith("⚠") else "color: #2e7d32;")

    def _graded(self) -> None:
        self.saved.setText("Saved")
        self._show_progress()

    def _show_progress(self) -> None:
        if self.audit_id is None:
            return
        with self.db.session() as session:
            audit = session.get(Audit, self.audit_id)
            parts = [f"{a.person.name.split()[0]} {p.graded}/{p.total}" for a, p in
                     sorted(progress_by_auditor(audit).items(), key=lambda item: name_key(item[0].person.name))]
        self.progress.setText("Progress: " + "   ".join(parts))

    def save(self) -> None:
        self.panel.save()

    def show_answer(self, grade_id: int | None, assignment_id: int | None = None) -> bool:
        """Select the cell of a grade (or the first cell of an assignment's case), switching to its
        auditor; the side panel then shows its evidence and summary. False if it is not in the grid."""
        with self.db.session() as session:
            if grade_id is not None:
                grade = session.get(Grade, grade_id)
                assignment_id = grade.assignment_id if grade else None
            assignment = session.get(Assignment, assignment_id) if assignment_id else None
            auditor_id = assignment.auditor_id if assignment else None
        index = self.auditor.findData(auditor_id)
        if auditor_id is None or index < 0:
            return False
        self.auditor.setCurrentIndex(index)
        for row in range(self.model.rowCount()):
            if self.model.rows[row].assignment_id != assignment_id:
                continue
            for column in range(self.model.columnCount()):
                cell = self.model.cell(self.model.index(row, column))
                if grade_id is None or (cell is not None and cell[0] == grade_id):
                    self.grid.setCurrentIndex(self.model.index(row, column))
                    self.grid.setFocus()
                    return True
        return False

    def refresh_from_database(self, _table: str = "*") -> None:
        """After a change elsewhere: the open answer and the progress as stored."""
        if self.audit_id is not None:
            self.panel.refresh()
            self._show_progress()
