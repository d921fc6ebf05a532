"""Beside the scoring grid: the current question with its guidance, the evidence for the current
grade, and the auditor's summary of the current case (working well, needs to improve, the child's
voice, an immediate concern). Text is saved within a second of the last keystroke, and checked as it
is typed for what looks like identifying data (a warning under the box; the text is never altered).
Each save names the versions it loaded: an answer changed meanwhile by an imported return, another
window or the CLI is never overwritten (see ``conflict.settle``).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from PySide6.QtCore import QTimer
from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import (
    QCheckBox, QComboBox, QFormLayout, QGroupBox, QLabel, QPlainTextEdit, QVBoxLayout, QWidget,
)

from ...db import Database
from ...errors import StaleEdit, UserError
from ...models import VOICE_HEARD, Assignment, Grade
from ...services.audit.grading import SUMMARY_FIELDS, set_case_summary, set_grade
from ...services.privacy.child_names import child_names
from ...services.privacy.identifying import ChildNames, warning_text
from ...storage_faults import fault_sentence
from ..autosave import JOURNAL_MS, RETRY_MS, SaveSchedule
from ..conflict import settle
from ..errors import show_error
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

    def __init__(self, db: Database, on_saved: Callable[[str], None], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.on_saved = on_saved
        self.grade_id: int | None = None
        self.assignment_id: int | None = None
        # The versions and texts the panel loaded: a save names them, and typing is what differs.
        self.grade_version: int | None = None
        self.summary_version: int | None = None
        self.base: dict[str, object] = {}
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
        # The app's one rule for when text saves (ui/autosave.py): after a pause, and at most a second
        # after the first unsaved keystroke; typed text goes to the recovery journal meanwhile.
        self.texts = {"evidence": self.evidence, "working_well": self.working_well,
                      "needs_improve": self.needs_improve, "concern_text": self.concern_text}
        self.timer = SaveSchedule(list(self.texts.values()), self)
        self.timer.due.connect(self.save)
        self._journal_timer = QTimer(self, singleShot=True, interval=JOURNAL_MS)
        self._journal_timer.timeout.connect(self._journal)
        self._retry = QTimer(self, singleShot=True, interval=RETRY_MS)
        self._retry.timeout.connect(self.save)
        self.problem = ""
        for box in self.texts.values():
            box.textChanged.connect(self._typed)
        self.voice.currentIndexChanged.connect(self.timer.edited)
        self.concern.toggled.connect(self.timer.edited)
        self.show_cell(None, None, "", "")

    def _typed(self) -> None:
        self.timer.edited()
        if not self._journal_timer.isActive():
            self._journal_timer.start()

    def _record(self, field: str) -> str | None:
        if field == "evidence":
            return grade_record(self.grade_id) if self.grade_id is not None else None
        return assignment_record(self.assignment_id) if self.assignment_id is not None else None

    def _journal(self) -> None:
        """Each text typed and not yet saved, to the recovery journal (a cheap append)."""
        self._journal_timer.stop()
        for field, box in self.texts.items():
            record, text = self._record(field), box.toPlainText()
            if record is not None and text != self.base.get(field):
                self.db.journal.note(record, field, text, f"{JOURNAL_LABELS[field]} for {self.label}")

    def _journal_saved(self, fields: dict) -> None:
        for field, text in fields.items():
            record = self._record(field)
            if record is not None and field in self.texts:
                self.db.journal.saved(record, field, text)

    def flush(self) -> bool:
        """Save now (closing): True when the database holds every text shown."""
        self.save()
        return not self.problem and not self._evidence_edited() and not self._summary_edited()

    def show_cell(self, grade_id: int | None, assignment_id: int | None, question: str, guidance: str) -> None:
        """Show the evidence of ``grade_id`` and the summary of ``assignment_id`` (saving first)."""
        self.save()
        self._journal()
        self.grade_id, self.assignment_id = grade_id, assignment_id
        self.label = question.split(". ")[0] if question else ""
        self.question.setText(question or "Choose a case and question in the grid.")
        self.guidance.setText(guidance)
        self._show_stored(evidence=True, summary=True)

    def _stored(self) -> tuple[tuple[str, int] | None, dict | None]:
        """(evidence, version) of the grade and the summary's fields with its version, as stored."""
        grade, summary = None, None
        with self.db.session() as session:
            names = child_names(session)  # the children's names, as keyed hashes, for the warnings
            for box in (self.evidence, self.working_well, self.needs_improve, self.concern_text):
                box.names = names
            if self.grade_id is not None:
                g = session.get(Grade, self.grade_id)
                grade = (g.evidence, g.version)
            if self.assignment_id is not None:
                a = session.get(Assignment, self.assignment_id)
                summary = {"name": a.case.pseudonym, "version": a.version,
                           **{f: getattr(a, f) for f in ("working_well", "needs_improve", "voice_heard",
                                                         "immediate_concern", "concern_text")}}
        return grade, summary

    def _show_stored(self, *, evidence: bool, summary: bool) -> None:
        stored_grade, stored_summary = self._stored()
        if evidence:
            text, self.grade_version = stored_grade if stored_grade else ("", None)
            self.evidence.set_quietly(text)
            self.base["evidence"] = text
            self.evidence.setEnabled(self.grade_id is not None)
        if summary:
            self.case_box.setEnabled(stored_summary is not None)
            self.summary_version = stored_summary["version"] if stored_summary else None
            if stored_summary is not None:
                self.case_box.setTitle(f"{stored_summary['name']}: your summary of the case")
                self._fill_summary(stored_summary)

    def _fill_summary(self, values: dict) -> None:
        self.working_well.set_quietly(values["working_well"])
        self.needs_improve.set_quietly(values["needs_improve"])
        for widget in (self.voice, self.concern):
            widget.blockSignals(True)
        self.voice.setCurrentIndex(max(0, self.voice.findText(values["voice_heard"])) if values["voice_heard"] else 0)
        self.concern.setChecked(bool(values["immediate_concern"]))
        for widget in (self.voice, self.concern):
            widget.blockSignals(False)
        self.concern_text.set_quietly(values["concern_text"])
        self.base.update({f: values[f] for f in SUMMARY_FIELDS})

    def _summary_on_screen(self) -> dict:
        voice = self.voice.currentText()
        return {"working_well": self.working_well.toPlainText(), "needs_improve": self.needs_improve.toPlainText(),
                "voice_heard": "" if voice == "not recorded" else voice, "immediate_concern": self.concern.isChecked(),
                "concern_text": self.concern_text.toPlainText()}

    def _summary_edited(self) -> bool:
        return self.assignment_id is not None and self._summary_on_screen() != {f: self.base.get(f) for f in SUMMARY_FIELDS}

    def _evidence_edited(self) -> bool:
        return self.grade_id is not None and self.evidence.toPlainText() != self.base.get("evidence")

    def refresh(self) -> None:
        """After a change elsewhere (an import, another window, the CLI): show what is stored now,
        except where something typed here is waiting to be saved (its save's version check settles it)."""
        if self.timer.waiting:
            return
        stored_grade, stored_summary = self._stored()
        if stored_grade is not None and stored_grade[1] != self.grade_version and not self._evidence_edited():
            self._show_stored(evidence=True, summary=False)
        if stored_summary is not None and stored_summary["version"] != self.summary_version and not self._summary_edited():
            self._show_stored(evidence=False, summary=True)

    def save(self) -> None:
        """Write what changed (called by the timer, on moving to another cell, and on close). A save
        refused because the answer changed elsewhere is settled (``conflict.settle``) and retried."""
        self.timer.stop()
        if self.grade_id is None and self.assignment_id is None:
            return
        self._journal()  # exactly the texts being saved, so their commit clears them
        saved = False
        concern = self.concern.isChecked()
        if concern and not self.concern_text.toPlainText().strip():
            # Ticked before the reason is typed: keep everything else, and ask for the reason.
            concern = False
            self.concern_text.warning.setText("Say briefly why the child may be at risk now; the concern is raised once you do.")
            self.concern_text.warning.show()
        try:
            for _attempt in range(3):  # a refused save is settled, then tried once more over the new version
                try:
                    saved |= self._save_evidence()
                    saved |= self._save_summary(concern)
                    break
                except StaleEdit as exc:
                    if not self._settle(exc):
                        break
        except UserError as exc:
            show_error(self, exc)
            return
        except Exception as exc:  # noqa: BLE001 — the environment's fault: the text stays, said here, retried
            self._journal()
            self.problem = fault_sentence(exc, "Your text", self.db.path)
            self.not_saved.setText(f"⚠ {self.problem}")
            self.not_saved.show()
            self.on_saved("⚠ Not saved")
            self._retry.start()
            return
        if self.problem:
            self.problem = ""
            self.not_saved.hide()
        if saved:
            self.on_saved(f"Saved {datetime.now():%H:%M:%S}")

    def _save_evidence(self) -> bool:
        if not self._evidence_edited():
            return False
        text = self.evidence.toPlainText()
        with self.db.session() as session:
            grade = session.get(Grade, self.grade_id)
            changed = set_grade(grade, evidence=text, expected_version=self.grade_version)
            session.flush()
            version = grade.version
        self.grade_version, self.base["evidence"] = version, text
        self._journal_saved({"evidence": text})
        return changed

    def _save_summary(self, concern: bool) -> bool:
        if not self._summary_edited():
            return False
        values = {**self._summary_on_screen(), "immediate_concern": concern}
        with self.db.session() as session:
            assignment = session.get(Assignment, self.assignment_id)
            changed = set_case_summary(assignment, expected_version=self.summary_version, **values)
            session.flush()
            version = assignment.version
        self.summary_version = version
        self.base.update(values)
        self._journal_saved(values)
        return changed

    def _settle(self, exc: StaleEdit) -> bool:
        """Both answers changed: keep theirs where nothing was typed here, ask where both typed."""
        stored_grade, stored_summary = self._stored()
        if exc.current_text is not None and stored_grade is not None and self._evidence_edited() \
                and stored_grade[1] != self.grade_version:
            keep = settle(self, StaleEdit(str(exc), current_text=stored_grade[0], current_version=stored_grade[1]),
                          self.base["evidence"], self.evidence.toPlainText(), "evidence")
            self.grade_version, self.base["evidence"] = stored_grade[1], stored_grade[0]
            self.evidence.set_quietly(keep)
            return True
        if stored_summary is not None and stored_summary["version"] != self.summary_version:
            mine = self._summary_on_screen()
            kept = dict(mine)
            for field in ("working_well", "needs_improve", "concern_text"):
                kept[field] = settle(self, StaleEdit(str(exc), current_text=stored_summary[field]),
                                     self.base[field], mine[field], "case summary")
            for field in ("voice_heard", "immediate_concern"):
                kept[field] = stored_summary[field] if mine[field] == self.base[field] else mine[field]
            self._fill_summary(stored_summary)
            self.summary_version = stored_summary["version"]
            self._fill_on_screen(kept)
            return True
        return False

    def _fill_on_screen(self, values: dict) -> None:
        """Put values on screen as edits still to be saved (the base stays what is stored)."""
        base = dict(self.base)
        self._fill_summary({**values, "name": ""})
        self.base = base

    def evidence_text(self) -> str:
        return self.evidence.toPlainText()

