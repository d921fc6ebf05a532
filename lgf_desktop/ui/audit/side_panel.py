"""Beside the scoring grid: the current question with its guidance, the evidence for the current
grade, and the auditor's summary of the current case (working well, needs to improve, the child's
voice, an immediate concern). Each text box is on the app's one autosave (``ui/autosave.py``: after a pause and at most a second
after the first unsaved keystroke, queued for the writer, typed text in the recovery journal
meanwhile), so typing never waits for the database; texts are checked as they are typed for what
looks like identifying data (a warning under the box; the text is never altered). The evidence is
saved over the grade version it loaded, each summary box over the text it loaded: an answer changed
meanwhile by an imported return, another window or the CLI is never overwritten (``conflict.settle``).
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import Future
from datetime import datetime
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import (
    QCheckBox, QComboBox, QFormLayout, QGroupBox, QLabel, QPlainTextEdit, QVBoxLayout, QWidget,
)

from ...db import Database
from ...models import VOICE_HEARD, Assignment, Grade
from ...services.audit.grading import set_case_summary, set_grade
from ...services.privacy.child_names import child_names
from ...services.privacy.identifying import ChildNames, warning_text
from ...storage.faults import fault_sentence
from ..autosave import AutoSave, SaveTarget, refuse_if_field_changed
from ..typing_undo import SmallUndoSteps

SAVE_DELAY_MS = 500  # the findings boxes' pause (they save on the same rule)
JOURNAL_LABELS = {"evidence": "the evidence", "working_well": "what is working well",
                  "needs_improve": "what needs to improve", "concern_text": "the immediate concern"}


def grade_record(grade_id: int) -> str:
    """The recovery journal's name for one grade."""
    return f"grade/{grade_id}"


def assignment_record(assignment_id: int) -> str:
    return f"assignment/{assignment_id}"


class WatchedText(SmallUndoSteps, QPlainTextEdit):
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
        self.moveCursor(QTextCursor.MoveOperation.End)  # typing carries on after what is there
        self.blockSignals(False)
        self._check()


class CasePanel(QWidget):
    """Evidence and case summary for the grid's current cell; autosaves."""

    _choice_done = Signal(object)  # the future of a saved choice (voice heard, concern ticked)

    def __init__(self, db: Database, on_saved: Callable[[str], None], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.on_saved = on_saved
        self.grade_id: int | None = None
        self.assignment_id: int | None = None
        self.audit_id: int | None = None
        self.label = ""
        self._concern_wanted = False  # the tick, as the writer thread reads it with the reason's save
        self._choices_stored: dict[str, Any] = {}
        self._choice_problem = ""
        self._choices_inflight: list[Future] = []
        self._where = ""  # the last place told to the recovery journal
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
        # After a crash: what was brought back from the recovery journal, said once where it was typed.
        self.recovered = QLabel(wordWrap=True)
        self.recovered.setStyleSheet("color: #8a5300; font-weight: bold;")
        self.recovered.setAccessibleName("Recovered text")
        self.recovered.hide()
        # A failed save is said here, under the text it concerns, in full (not squeezed beside the grid).
        self.not_saved = QLabel(wordWrap=True)
        self.not_saved.setStyleSheet("color: #b00020; font-weight: bold;")
        self.not_saved.setAccessibleName("Save status")
        self.not_saved.hide()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        for widget in (self.question, self.guidance, self.recovered, QLabel("Evidence"), self.evidence,
                       self.evidence.warning, self.not_saved, self.case_box):
            layout.addWidget(widget)
        layout.addStretch(1)
        self.texts = {"evidence": self.evidence, "working_well": self.working_well,
                      "needs_improve": self.needs_improve, "concern_text": self.concern_text}
        self.autosaves: dict[str, AutoSave] = {}
        for field, box in self.texts.items():
            autosave = AutoSave(db, box, parent=self)
            autosave.saved.connect(self._saved)
            autosave.failed.connect(self._failed)
            box.textChanged.connect(lambda field=field: self._typed(field))
            self.autosaves[field] = autosave
        self._choice_done.connect(self._choice_finished)
        self.voice.currentIndexChanged.connect(self._choice_changed)
        self.concern.toggled.connect(self._choice_changed)
        self.show_cell(None, None, "", "")

    # --- what is shown --------------------------------------------------------------------------
    def show_cell(self, grade_id: int | None, assignment_id: int | None, question: str, guidance: str) -> None:
        """Show the evidence of ``grade_id`` and the summary of ``assignment_id`` (saving first)."""
        if (grade_id, assignment_id) != (self.grade_id, self.assignment_id):
            self.recovered.hide()
        self.grade_id, self.assignment_id = grade_id, assignment_id
        self.label = question.split(". ")[0] if question else ""
        self.question.setText(question or "Choose a case and question in the grid.")
        self.guidance.setText(guidance)
        self._show_stored(evidence=True, summary=True)

    def _stored(self) -> tuple[tuple[str, int] | None, dict | None]:
        """(evidence, version) of the grade and the summary's fields with its version, as stored."""
        grade, summary = None, None
        with self.db.session() as session:  # after the saves queued before it: what is stored now
            names = child_names(session)  # the children's names, as keyed hashes, for the warnings
            for box in self.texts.values():
                box.names = names
            if self.grade_id is not None:
                g = session.get(Grade, self.grade_id)
                grade = (g.evidence, g.version)
            if self.assignment_id is not None:
                a = session.get(Assignment, self.assignment_id)
                self.audit_id = a.case.audit_id
                summary = {"name": a.case.pseudonym, "version": a.version,
                           **{f: getattr(a, f) for f in ("working_well", "needs_improve", "voice_heard",
                                                         "immediate_concern", "concern_text")}}
        return grade, summary

    def _target(self, field: str, text: str, version: int | None) -> SaveTarget:
        label = f"{JOURNAL_LABELS[field]} for {self.label}" if self.label else JOURNAL_LABELS[field]
        if field == "evidence":
            grade_id = self.grade_id

            def save_evidence(session: Any, text: str, expected_version: int | None) -> int:
                grade = session.get(Grade, grade_id)
                set_grade(grade, evidence=text, expected_version=expected_version)
                session.flush()
                return grade.version

            return SaveTarget(grade_record(grade_id), field, label, save_evidence, version, key=grade_id)
        assignment_id = self.assignment_id
        target = SaveTarget(assignment_record(assignment_id), field, label, None, None, key=assignment_id,
                            what="case summary", written=text)

        def save_summary(session: Any, text: str, _version: int | None) -> None:
            assignment = session.get(Assignment, assignment_id)
            refuse_if_field_changed(session, assignment, getattr(assignment, field), target, text)
            values: dict[str, object] = {field: text}
            if field == "concern_text":  # the tick waits for its reason, and is raised with it
                values["immediate_concern"] = self._concern_wanted and bool(text.strip())
            set_case_summary(assignment, **values)

        target.save = save_summary
        return target

    def _show_stored(self, *, evidence: bool, summary: bool) -> None:
        stored_grade, stored_summary = self._stored()
        if evidence:
            text, version = stored_grade if stored_grade else ("", None)
            target = self._target("evidence", text, version) if self.grade_id is not None else None
            self.autosaves["evidence"].load(target, lambda: self.evidence.set_quietly(text))
            self.evidence.setEnabled(self.grade_id is not None)
        if summary:
            self.case_box.setEnabled(stored_summary is not None)
            for field in ("working_well", "needs_improve", "concern_text"):
                value = stored_summary[field] if stored_summary else ""
                target = self._target(field, value, None) if stored_summary is not None else None
                self.autosaves[field].load(target, lambda box=self.texts[field], value=value: box.set_quietly(value))
            if stored_summary is not None:
                self.case_box.setTitle(f"{stored_summary['name']}: your summary of the case")
                self._show_choices(stored_summary)

    def _show_choices(self, values: dict) -> None:
        for widget in (self.voice, self.concern):
            widget.blockSignals(True)
        self.voice.setCurrentIndex(max(0, self.voice.findText(values["voice_heard"])) if values["voice_heard"] else 0)
        self.concern.setChecked(bool(values["immediate_concern"]))
        for widget in (self.voice, self.concern):
            widget.blockSignals(False)
        self._concern_wanted = bool(values["immediate_concern"])
        self._choices_stored = {"voice_heard": values["voice_heard"], "immediate_concern": values["immediate_concern"]}

    def refresh(self) -> None:
        """After a change elsewhere (an import, another window, the CLI): show what is stored now,
        except where something typed here is waiting to be saved (its save's check settles it)."""
        if self.grade_id is None and self.assignment_id is None:
            return
        stored_grade, stored_summary = self._stored()
        if stored_grade is not None:
            self.autosaves["evidence"].refresh(*stored_grade)
        if stored_summary is not None:
            for field in ("working_well", "needs_improve", "concern_text"):
                self.autosaves[field].refresh(stored_summary[field], None)
            if not self._choices_inflight and self._choices_stored != {
                    f: stored_summary[f] for f in ("voice_heard", "immediate_concern")}:
                self._show_choices(stored_summary)

    # --- saving -----------------------------------------------------------------------------------
    def _typed(self, field: str) -> None:
        if self.autosaves[field].target is None:
            return
        # The recovery journal knows where the auditor was typing: a start after a crash goes back there.
        where = f"{self.grade_id}/{self.assignment_id}/{field}"
        if where != self._where and self.audit_id is not None:
            self._where = where
            self.db.journal.window_opened("audit", audit_id=self.audit_id, grade_id=self.grade_id,
                                          assignment_id=self.assignment_id, field=field)

    def _choice_changed(self, *_: object) -> None:
        if self.assignment_id is None:
            return
        concern = self.concern.isChecked()
        self._concern_wanted = concern
        voice = "" if self.voice.currentText() == "not recorded" else self.voice.currentText()
        reason = self.concern_text.toPlainText()
        if concern and not reason.strip():
            self.concern_text.warning.setText(
                "Say briefly why the child may be at risk now; the concern is raised once you do.")
            self.concern_text.warning.show()
        assignment_id = self.assignment_id

        def save_choices(session: Any) -> None:
            assignment = session.get(Assignment, assignment_id)
            values: dict[str, object] = {"voice_heard": voice}
            if not concern or assignment.concern_text.strip():
                values["immediate_concern"] = concern  # else raised with the reason's save
            set_case_summary(assignment, **values)

        future = self.db.write(save_choices)
        self._choices_inflight.append(future)
        future.add_done_callback(self._choice_reported)

    def _choice_reported(self, future: Future) -> None:
        try:  # on the writer thread: hand over to the main thread
            self._choice_done.emit(future)
        except RuntimeError:  # the panel is gone
            pass

    def _choice_finished(self, future: Future) -> None:
        if future not in self._choices_inflight:
            return
        self._choices_inflight.remove(future)
        error = future.exception()
        if error is None:
            self._choice_problem = ""
            self._saved(None, "", datetime.now())
        else:
            self._choice_problem = fault_sentence(error, "Your choice", self.db.location)
            self._failed(None, self._choice_problem)

    def _saved(self, _target: object, _text: str, when: datetime) -> None:
        """Said only after the commit returned; a problem still unsaved elsewhere stays said."""
        if not self.problem:
            self.not_saved.hide()
            self.on_saved(f"Saved {when:%H:%M:%S}")

    def _failed(self, _target: object, sentence: str) -> None:
        self.not_saved.setText(f"⚠ {sentence}")
        self.not_saved.show()
        self.on_saved("⚠ Not saved")

    @property
    def problem(self) -> str:
        """The sentence of a failed save still unsaved, or ""."""
        return next((a.problem for a in self.autosaves.values() if a.problem), self._choice_problem)

    def save(self) -> None:
        """Queue a save of whatever changed (on moving to another cell or tab); never waits."""
        for autosave in self.autosaves.values():
            autosave.save_now()

    def flush(self) -> bool:
        """Save now and wait (closing): True when the database holds every text shown."""
        done = all([autosave.flush() for autosave in self.autosaves.values()])
        for future in list(self._choices_inflight):
            future.exception(5.0)
            self._choice_finished(future)
        return done and not self.problem

    def show_recovery(self, sentence: str) -> None:
        """After a crash: say once, above the evidence, what was brought back."""
        self.recovered.setText(sentence)
        self.recovered.show()

    def evidence_text(self) -> str:
        return self.evidence.toPlainText()
