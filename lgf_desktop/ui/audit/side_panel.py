"""Beside the scoring grid: the current question with its guidance, the evidence for the current
grade, and the auditor's summary of the current case (working well, needs to improve, the child's
voice, an immediate concern). Text is saved within a second of the last keystroke, and checked as it
is typed for what looks like identifying data (a warning under the box; the text is never altered).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import (
    QCheckBox, QComboBox, QFormLayout, QGroupBox, QLabel, QPlainTextEdit, QVBoxLayout, QWidget,
)

from ...db import Database
from ...errors import UserError
from ...models import VOICE_HEARD, Assignment, Grade
from ...services.audit_grading import set_case_summary, set_grade
from ...services.child_names import child_names
from ...services.identifying import ChildNames, warning_text
from ..errors import show_error

SAVE_DELAY_MS = 500  # well inside the one-second promise


class WatchedText(QPlainTextEdit):
    """A text box with an identifying-data warning under it (in ``warning``), updated as you type."""

    def __init__(self, placeholder: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.names = ChildNames()  # the audited children's names (keyed hashes), set by the screen
        self.setPlaceholderText(placeholder)
        self.setTabChangesFocus(True)
        self.warning = QLabel()
        self.warning.setWordWrap(True)
        self.warning.setStyleSheet("color: #b00020;")
        self.warning.hide()
        self.textChanged.connect(self._check)

    def _check(self) -> None:
        message = warning_text(self.toPlainText(), names=self.names)
        self.warning.setText(message)
        self.warning.setVisible(bool(message))

    def set_quietly(self, text: str) -> None:
        self.blockSignals(True)
        self.setPlainText(text)
        self.blockSignals(False)
        self._check()


class CasePanel(QWidget):
    """Evidence and case summary for the grid's current cell; autosaves."""

    def __init__(self, db: Database, on_saved: Callable[[str], None], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.on_saved = on_saved
        self.grade_id: int | None = None
        self.assignment_id: int | None = None
        self.timer = QTimer(self, singleShot=True, interval=SAVE_DELAY_MS)
        self.timer.timeout.connect(self.save)

        self.question = QLabel(wordWrap=True)
        self.question.setStyleSheet("font-weight: bold;")
        self.guidance = QLabel(wordWrap=True)
        self.guidance.setStyleSheet("color: #555;")
        self.evidence = WatchedText("Evidence for this grade: what you saw in the record")
        self.evidence.setMaximumHeight(90)
        self.case_box = QGroupBox("Case")
        self.working_well = WatchedText("What is working well")
        self.needs_improve = WatchedText("What needs to improve")
        for box in (self.working_well, self.needs_improve):
            box.setMaximumHeight(70)
        self.voice = QComboBox()
        self.voice.addItems(["not recorded", *VOICE_HEARD])
        self.concern = QCheckBox("Immediate concern: this child may be at risk now")
        self.concern.setStyleSheet("QCheckBox { color: #b00020; font-weight: bold; }")
        self.concern_text = WatchedText("Why: what the coordinator needs to know to act today")
        self.concern_text.setMaximumHeight(60)

        form = QFormLayout(self.case_box)
        form.addRow("Working well", self.working_well)
        form.addRow("", self.working_well.warning)
        form.addRow("Needs to improve", self.needs_improve)
        form.addRow("", self.needs_improve.warning)
        form.addRow("Child's voice heard", self.voice)
        form.addRow(self.concern)
        form.addRow(self.concern_text)
        form.addRow(self.concern_text.warning)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        for widget in (self.question, self.guidance, QLabel("Evidence"), self.evidence, self.evidence.warning, self.case_box):
            layout.addWidget(widget)
        layout.addStretch(1)
        for box in (self.evidence, self.working_well, self.needs_improve, self.concern_text):
            box.textChanged.connect(self.timer.start)
        self.voice.currentIndexChanged.connect(self.timer.start)
        self.concern.toggled.connect(self.timer.start)
        self.show_cell(None, None, "", "")

    def show_cell(self, grade_id: int | None, assignment_id: int | None, question: str, guidance: str) -> None:
        """Show the evidence of ``grade_id`` and the summary of ``assignment_id`` (saving first)."""
        self.save()
        self.grade_id, self.assignment_id = grade_id, assignment_id
        self.question.setText(question or "Choose a case and question in the grid.")
        self.guidance.setText(guidance)
        evidence, summary = "", None
        with self.db.session() as session:
            names = child_names(session)
            for box in (self.evidence, self.working_well, self.needs_improve, self.concern_text):
                box.names = names
            if grade_id is not None:
                evidence = session.get(Grade, grade_id).evidence
            if assignment_id is not None:
                a = session.get(Assignment, assignment_id)
                summary = (a.case.pseudonym, a.working_well, a.needs_improve, a.voice_heard, a.immediate_concern, a.concern_text)
        self.evidence.set_quietly(evidence)
        self.evidence.setEnabled(grade_id is not None)
        self.case_box.setEnabled(summary is not None)
        if summary is not None:
            name, well, improve, voice, concern, concern_text = summary
            self.case_box.setTitle(f"{name}: your summary of the case")
            self.working_well.set_quietly(well)
            self.needs_improve.set_quietly(improve)
            for widget, value in ((self.voice, voice), (self.concern, concern)):
                widget.blockSignals(True)
                if widget is self.voice:
                    self.voice.setCurrentIndex(max(0, self.voice.findText(value)) if value else 0)
                else:
                    self.concern.setChecked(bool(value))
                widget.blockSignals(False)
            self.concern_text.set_quietly(concern_text)

    def save(self) -> None:
        """Write what changed (called by the timer, on moving to another cell, and on close)."""
        self.timer.stop()
        if self.grade_id is None and self.assignment_id is None:
            return
        saved = False
        concern = self.concern.isChecked()
        if concern and not self.concern_text.toPlainText().strip():
            # Ticked before the reason is typed: keep everything else, and ask for the reason.
            concern = False
            self.concern_text.warning.setText("Say briefly why the child may be at risk now; the concern is raised once you do.")
            self.concern_text.warning.show()
        try:
            with self.db.session() as session:
                if self.grade_id is not None:
                    saved |= set_grade(session.get(Grade, self.grade_id), evidence=self.evidence.toPlainText())
                if self.assignment_id is not None:
                    voice = self.voice.currentText()
                    saved |= set_case_summary(
                        session.get(Assignment, self.assignment_id),
                        working_well=self.working_well.toPlainText(), needs_improve=self.needs_improve.toPlainText(),
                        voice_heard="" if voice == "not recorded" else voice,
                        immediate_concern=concern, concern_text=self.concern_text.toPlainText())
        except UserError as exc:
            show_error(self, exc)
            return
        if saved:
            self.on_saved(f"Saved {datetime.now():%H:%M:%S}")

    def evidence_text(self) -> str:
        return self.evidence.toPlainText()

