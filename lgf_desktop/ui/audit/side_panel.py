"""Beside the scoring grid: the current question with its guidance, the evidence for the current
grade, and the auditor's summary of the current case (working well, needs to improve, the child's
voice, an immediate concern). Text is saved by the app's one autosave (``ui/autosave.py``: after a
pause, at most a second after the first unsaved keystroke, at once on moving to another cell), and
checked as it is typed for what looks like identifying data (a warning under the box; the text is
never altered).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from PySide6.QtWidgets import (
    QCheckBox, QComboBox, QFormLayout, QGroupBox, QLabel, QPlainTextEdit, QVBoxLayout, QWidget,
)

from ...db import Database
from ...models import VOICE_HEARD, Assignment, Grade
from ...services.audit_grading import set_case_summary, set_grade
from ...services.identifying import warning_text
from ...storage_faults import fault_sentence
from ..autosave import PAUSE_MS, AutoSave, SaveTarget

SAVE_DELAY_MS = PAUSE_MS  # the findings boxes' pause (they save on the same rule)
SUMMARY_TEXTS = ("working_well", "needs_improve", "concern_text")


def grade_record(grade_id: int) -> str:
    """The recovery journal's name for one grade."""
    return f"grade/{grade_id}"


def assignment_record(assignment_id: int) -> str:
    return f"assignment/{assignment_id}"


def save_evidence(grade_id: int):
    def save(session, text: str, expected_version: int | None) -> int | None:
        set_grade(session.get(Grade, grade_id), evidence=text)
        return None
    return save


def save_summary_text(assignment_id: int, field: str, raise_concern: bool = False):
    def save(session, text: str, expected_version: int | None) -> int | None:
        fields = {field: text}
        if raise_concern and text.strip():  # ticked before the reason was typed: raised now
            fields["immediate_concern"] = True
        set_case_summary(session.get(Assignment, assignment_id), **fields)
        return None
    return save


class WatchedText(QPlainTextEdit):
    """A text box with an identifying-data warning under it (in ``warning``), updated as you type."""

    def __init__(self, placeholder: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setPlaceholderText(placeholder)
        self.setTabChangesFocus(True)
        self.warning = QLabel()
        self.warning.setWordWrap(True)
        self.warning.setStyleSheet("color: #b00020;")
        self.warning.hide()
        self.textChanged.connect(self._check)

    def _check(self) -> None:
        message = warning_text(self.toPlainText())
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
        self.label = ""

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
        # A failed save is said here, under the text it concerns, in full (not squeezed beside the grid).
        self.not_saved = QLabel(wordWrap=True)
        self.not_saved.setStyleSheet("color: #b00020; font-weight: bold;")
        self.not_saved.setAccessibleName("Save status")
        self.not_saved.hide()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        for widget in (self.question, self.guidance, QLabel("Evidence"), self.evidence, self.evidence.warning,
                       self.not_saved, self.case_box):
            layout.addWidget(widget)
        layout.addStretch(1)
        self.savers: dict[str, AutoSave] = {}
        for name in ("evidence", *SUMMARY_TEXTS):
            box = getattr(self, name)
            saver = AutoSave(db, box, box.toPlainText, self)
            saver.saved.connect(self._saved)
            saver.failed.connect(self._failed)
            self.savers[name] = saver
        self.voice.currentIndexChanged.connect(self._choice_changed)
        self.concern.toggled.connect(self._choice_changed)
        self.show_cell(None, None, "", "")

    def show_cell(self, grade_id: int | None, assignment_id: int | None, question: str, guidance: str) -> None:
        """Show the evidence of ``grade_id`` and the summary of ``assignment_id`` (saving first)."""
        self.save()
        self.grade_id, self.assignment_id = grade_id, assignment_id
        self.label = question.split(". ")[0] if question else ""
        self.question.setText(question or "Choose a case and question in the grid.")
        self.guidance.setText(guidance)
        evidence, summary = "", None
        with self.db.session() as session:
            if grade_id is not None:
                evidence = session.get(Grade, grade_id).evidence
            if assignment_id is not None:
                a = session.get(Assignment, assignment_id)
                summary = (a.case.pseudonym, a.working_well, a.needs_improve, a.voice_heard, a.immediate_concern, a.concern_text)
        self.savers["evidence"].load(
            SaveTarget(grade_record(grade_id), "evidence", f"the evidence for {self.label}", save_evidence(grade_id), key=grade_id)
            if grade_id is not None else None,
            lambda: self.evidence.set_quietly(evidence))
        self.evidence.setEnabled(grade_id is not None)
        self.case_box.setEnabled(summary is not None)
        if summary is None:
            for name in SUMMARY_TEXTS:
                self.savers[name].load(None, lambda: None)
            return
        name, well, improve, voice, concern, concern_text = summary
        self.case_box.setTitle(f"{name}: your summary of the case")
        for widget, value in ((self.voice, voice), (self.concern, concern)):
            widget.blockSignals(True)
            if widget is self.voice:
                self.voice.setCurrentIndex(max(0, self.voice.findText(value)) if value else 0)
            else:
                self.concern.setChecked(bool(value))
            widget.blockSignals(False)
        labels = {"working_well": "what is working well", "needs_improve": "what needs to improve",
                  "concern_text": "the immediate concern"}
        for field, text in zip(SUMMARY_TEXTS, (well, improve, concern_text), strict=True):
            box = getattr(self, field)
            self.savers[field].load(
                SaveTarget(assignment_record(assignment_id), field, f"{labels[field]} for {name}",
                           save_summary_text(assignment_id, field, raise_concern=field == "concern_text" and bool(concern)),
                           key=assignment_id),
                lambda box=box, text=text: box.set_quietly(text))

    def _choice_changed(self) -> None:
        """The voice drop-down and the concern tick box save at once (queued for the writer)."""
        if self.assignment_id is None:
            return
        concern = self.concern.isChecked()
        reason = self.concern_text.toPlainText()
        target = self.savers["concern_text"].target
        if target is not None:  # while ticked, the reason's saves raise the concern
            target.save = save_summary_text(self.assignment_id, "concern_text", raise_concern=concern)
        if concern and not reason.strip():
            # Ticked before the reason is typed: keep everything else, and ask for the reason; the
            # concern is raised with the reason's first save.
            self.concern_text.warning.setText("Say briefly why the child may be at risk now; the concern is raised once you do.")
            self.concern_text.warning.show()
            concern = False
        voice = self.voice.currentText()
        values = {"voice_heard": "" if voice == "not recorded" else voice, "immediate_concern": concern}
        if concern:
            values["concern_text"] = reason
        self.savers["concern_text"].save_now()  # the reason first, in order
        try:  # a click, not typing: it may wait for its turn at the writer
            with self.db.session() as session:
                set_case_summary(session.get(Assignment, self.assignment_id), **values)
        except Exception as exc:  # noqa: BLE001 — said beside the grid, the choice stays on screen
            self.not_saved.setText(f"⚠ {fault_sentence(exc, 'The choice')}")
            self.not_saved.show()
            self.on_saved("⚠ Not saved")
            return
        self.on_saved(f"Saved {datetime.now():%H:%M:%S}")

    def save(self) -> None:
        """Queue what changed (on moving to another cell, switching tabs or closing); never waits."""
        for saver in self.savers.values():
            saver.save_now()

    def flush(self, timeout: float = 5.0) -> bool:
        """Save and wait: True when the database holds every text shown."""
        return all([saver.flush(timeout) for saver in self.savers.values()])

    @property
    def problem(self) -> str:
        return next((s.problem for s in self.savers.values() if s.problem), "")

    def _saved(self, target: SaveTarget, text: str, when: datetime) -> None:
        if not self.problem:
            self.not_saved.hide()
            self.on_saved(f"Saved {when:%H:%M:%S}")

    def _failed(self, target: SaveTarget, sentence: str) -> None:
        shown = target in (saver.target for saver in self.savers.values())
        self.not_saved.setText(f"⚠ {sentence}" + ("" if shown else f" It concerns {target.label}."))
        self.not_saved.show()
        self.on_saved("⚠ Not saved")

    def evidence_text(self) -> str:
        return self.evidence.toPlainText()
