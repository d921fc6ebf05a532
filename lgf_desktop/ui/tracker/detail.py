"""The tracker's side panel for the selected recommendation: its details (lead, due date, evidence,
status), a box to add a dated progress note, and its full history — progress notes and every
recorded change, newest first.

The evidence and the no-evidence reason are on the app's one autosave (``ui/autosave.py``: after a
pause, at most a second after the first unsaved keystroke, queued for the writer so typing never
waits, typed text in the recovery journal meanwhile); each is saved over the text it loaded, so a
change made elsewhere is never overwritten (``conflict.settle``). The lead and due date are saved on
the same schedule. A progress note typed and not yet added is a draft on the same autosave
(``ui/drafts.py``): in the database within a second, shown again after a restart or a crash, and
gone once the note is added. "Saved" is said only after the commit; a refused or failed save is said
beside the fields in one sentence, not in a pop-up.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from concurrent.futures import Future
from datetime import date, datetime
from typing import Any

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QCheckBox, QComboBox, QDateEdit, QFormLayout, QHBoxLayout, QLabel, QLineEdit, QPlainTextEdit, QPushButton,
    QTextBrowser, QVBoxLayout, QWidget,
)

from ...dates import long_date, short_date, short_date_time
from ...db import Database
from ...errors import UserError
from ...models import RECOMMENDATION_STATUSES, Recommendation
from ...services.drafts import clear_draft, draft_text, progress_note_place
from ...services.tracker.actions import add_progress_note, set_details
from ...services.tracker.history import HistoryEntry, recommendation_history
from ...services.tracker.rows import TrackerRow
from ...storage.faults import fault_sentence
from ..autosave import AutoSave, SaveSchedule, SaveTarget, refuse_if_field_changed
from ..date_picker import uk_date_picker
from ..drafts import draft_target
from ..errors import show_error
from ..typing_undo import UndoableText
from .dialogs import NO_DATE, optional_date, to_qdate



def history_html(entries: list[HistoryEntry]) -> str:
    if not entries:
        return "<p>No history yet.</p>"
    parts = []
    for entry in entries:
        when = short_date(entry.when) if entry.kind == "progress" else short_date_time(entry.when)
        who = f" · {html.escape(entry.who)}" if entry.who else ""
        if entry.kind == "progress":
            parts.append(f"<p><b>{when}</b> · progress note{who}<br>{html.escape(entry.text)}</p>")
        else:
            parts.append(f"<p style='color:#555'><b>{when}</b>{who}<br>{html.escape(entry.text)}</p>")
    return "".join(parts)


def recommendation_record(rec_id: int) -> str:
    """The recovery journal's name for one recommendation."""
    return f"recommendation/{rec_id}"


class DetailPanel(QWidget):
    # Recommendation ids that this panel changed and committed.
    changed = Signal(list)
    _choice_done = Signal(object, int)  # the future of a saved lead/due date, the recommendation id

    def __init__(self, db: Database, change_status: Callable[[list[int], str], bool],
                 today: date | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self._fixed_today = today
        self.change_status = change_status
        self.row: TrackerRow | None = None
        self._loading = False
        self._choices_inflight: list[Future] = []
        self._choice_problem = ""

        self.title = QLabel("Select a recommendation to see its history.")
        self.title.setWordWrap(True)
        self.title.setStyleSheet("font-weight: bold; font-size: 11pt")
        self.origin = QLabel()
        self.origin.setWordWrap(True)
        self.text = QLabel()
        self.text.setWordWrap(True)
        self.text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.lead = QComboBox()
        self.has_due = QCheckBox("Due")
        self.due = QDateEdit()
        self.due.setCalendarPopup(True)
        self.status = QComboBox()
        self.status.addItems(RECOMMENDATION_STATUSES)
        self.evidence = UndoableText()
        self.evidence.setPlaceholderText("What will show (or showed) that it worked")
        self.evidence.setFixedHeight(60)
        self.no_evidence = QLineEdit()
        # Short enough to read whole in the panel at 1366×768; the full hint is the tooltip.
        self.no_evidence.setPlaceholderText("Why there can be none")
        self.no_evidence.setToolTip("Only if there can be no evidence of impact: say why.")
        self.save_state = QLabel()
        self.closed = QLabel()
        self.save_state.setWordWrap(True)
        form = QFormLayout()
        form.addRow("Lead", self.lead)
        due_row = QHBoxLayout()
        due_row.addWidget(self.has_due)
        due_row.addWidget(self.due, 1)
        form.addRow("Status", self.status)
        form.addRow("", self.closed)
        form.addRow(due_row)
        form.addRow("Evidence of impact", self.evidence)
        form.addRow("No evidence because", self.no_evidence)

        self.note = UndoableText()
        self.note.setPlaceholderText("Progress reported (Ctrl+Enter to add)")
        self.note.setFixedHeight(54)
        self.note_date = QDateEdit(to_qdate(self.today))
        self.note_date.setCalendarPopup(True)
        uk_date_picker(self.note_date)
        self.add_note_button = QPushButton("Add progress note")
        self.add_note_button.clicked.connect(self.add_note)
        QShortcut(QKeySequence("Ctrl+Return"), self.note, self.add_note)
        # The note typed before it is added is a draft on the one autosave (``ui/drafts.py``).
        self.note_draft = AutoSave(db, self.note, parent=self)
        self.note_draft.saved.connect(self._note_draft_saved)
        self.note_draft.failed.connect(self._failed)
        note_row = QHBoxLayout()
        note_row.addWidget(self.note_date)
        note_row.addStretch(1)
        note_row.addWidget(self.add_note_button)
        self.history = QTextBrowser()
        self.history.setOpenLinks(False)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 0, 0, 0)
        for widget in (self.title, self.origin, self.text):
            layout.addWidget(widget)
        layout.addLayout(form)
        layout.addWidget(self.save_state)
        layout.addWidget(QLabel("<b>Progress</b>"))
        layout.addWidget(self.note)
        layout.addLayout(note_row)
        layout.addWidget(QLabel("<b>History</b>"))
        layout.addWidget(self.history, 1)

        # The app's one autosave (ui/autosave.py) for each text; the lead and due date on the same rule.
        self.autosaves: dict[str, AutoSave] = {}
        for field, box in (("evidence_of_impact", self.evidence), ("no_evidence_reason", self.no_evidence)):
            autosave = AutoSave(db, box, parent=self)
            autosave.saved.connect(self._saved)
            autosave.failed.connect(self._failed)
            autosave.refreshed.connect(lambda *_: self.save_state.setText("Changed elsewhere: this shows what is saved."))
            box.textChanged.connect(self._typed)
            self.autosaves[field] = autosave
        self._choices = SaveSchedule([self.lead, self.has_due, self.due], self)
        self._choices.due.connect(self._save_choices)
        self._choice_done.connect(self._choice_finished)
        for signal in (self.lead.currentIndexChanged, self.has_due.toggled, self.due.dateChanged):
            signal.connect(self._choice_edited)
        optional_date(self.has_due, self.due, lambda: self.today)
        self.status.activated.connect(self._status_chosen)
        self.show_row(None)

    @property
    def today(self) -> date:
        return self._fixed_today or date.today()

    def set_people(self, people: list[tuple[int, str]]) -> None:
        self._loading = True
        self.lead.clear()
        self.lead.addItem("", None)
        for person_id, name in people:
            self.lead.addItem(name, person_id)
        if self.row is not None:
            self.lead.setCurrentIndex(max(self.lead.findData(self.row.lead_person_id), 0))
        self._loading = False

    def show_row(self, row: TrackerRow | None) -> None:
        """Show ``row`` (saving any pending edit of the one shown before)."""
        self.save_details()
        self.row = row
        self._loading = True
        enabled = row is not None
        for widget in (self.lead, self.has_due, self.due, self.status, self.evidence, self.no_evidence, self.note,
                       self.note_date, self.add_note_button):
            widget.setEnabled(enabled)
        if row is None:
            self.title.setText("Select a recommendation to see its details and history.")
            for label in (self.origin, self.text, self.save_state):
                label.clear()
            self.has_due.setChecked(False)
            self.due.setDate(NO_DATE)
            for autosave in self.autosaves.values():
                autosave.load(None, autosave.widget.clear)
            self.note_draft.load(None, self.note.clear)
            self.history.clear()
            self.closed.clear()
        else:
            self._fill(row, editors=True)
            self._show_note_draft(row)
            self.save_state.clear()
        self._loading = False
        self._choices.stop()

    def refresh_row(self, row: TrackerRow) -> None:
        """A fresh copy of the row shown (after a save or a change elsewhere): the editors keep what
        is being typed (its save's check settles it)."""
        self._loading = True
        self.row = row
        self._fill(row, editors=not self._choices.waiting and not self._choices_inflight, texts=False)
        for field, autosave in self.autosaves.items():
            autosave.refresh(getattr(row, field), None)
        self._loading = False

    def _fill(self, row: TrackerRow, editors: bool, texts: bool = True) -> None:
        self.title.setText(row.reference)
        self.origin.setText(" · ".join(part for part in (row.organisation_full, row.source) if part))
        self.text.setText(row.text)
        self.status.setCurrentText(row.status)
        self.closed.setText(f"Closed on {long_date(row.closed_on)}." if row.closed_on else "")
        self.closed.setVisible(row.closed_on is not None)
        if editors:
            # Only what differs is set, so the cursor of a field being typed in stays where it is.
            if self.lead.currentData() != row.lead_person_id:
                self.lead.setCurrentIndex(max(self.lead.findData(row.lead_person_id), 0))
            if self.has_due.isChecked() != (row.due_date is not None):
                self.has_due.setChecked(row.due_date is not None)
            self.due.setEnabled(row.due_date is not None)
            if self.due.date() != (to_qdate(row.due_date) if row.due_date else NO_DATE):
                self.due.setDate(to_qdate(row.due_date) if row.due_date else NO_DATE)
        if texts:
            for field, autosave in self.autosaves.items():
                value = getattr(row, field)
                autosave.load(self._target(row, field, value), lambda box=autosave.widget, value=value: (
                    box.setPlainText(value) if isinstance(box, QPlainTextEdit) else box.setText(value)))
        self.load_history()

    def _target(self, row: TrackerRow, field: str, text: str) -> SaveTarget:
        label = {"evidence_of_impact": "the evidence of impact", "no_evidence_reason": "the reason for no evidence"}[field]
        rec_id = row.id
        target = SaveTarget(recommendation_record(rec_id), field, f"{label} of {row.reference}", None, None,
                            key=rec_id, what="recommendation", written=text)

        def save(session: Any, text: str, _version: int | None) -> None:
            rec = session.get(Recommendation, rec_id)
            if rec is None:
                raise UserError("That recommendation is no longer in the database.")
            refuse_if_field_changed(session, rec, getattr(rec, field), target, text)
            set_details(session, rec_id, **{field: text})

        target.save = save
        return target

    def _show_note_draft(self, row: TrackerRow) -> None:
        """The progress note typed for this recommendation and not yet added (after a restart too)."""
        place = progress_note_place(row.id)
        with self.db.session() as session:
            text = draft_text(session, place)
        self.note_draft.load(draft_target(place, f"the progress note on {row.reference}", text),
                             lambda: self.note.setPlainText(text))

    def _note_draft_saved(self, target: SaveTarget, _text: str, when: datetime) -> None:
        if target is self.note_draft.target and not self.problem:  # not a draft added as a note meanwhile
            self.save_state.setText(f"Progress note kept as a draft at {when:%H:%M:%S}; not added yet.")

    def load_history(self) -> None:
        if self.row is None:
            return
        with self.db.session() as session:
            entries = recommendation_history(session, self.row.id)
        self.history.setHtml(history_html(entries))

    # --- saving -----------------------------------------------------------------------------------
    def _typed(self) -> None:
        if not self._loading and self.row is not None and any(a.pending for a in self.autosaves.values()):
            self.save_state.setText("Not saved yet…")

    def _choice_edited(self, *_: object) -> None:
        if self._loading or self.row is None:
            return
        self.save_state.setText("Not saved yet…")
        self._choices.edited()

    def _save_choices(self) -> None:
        """Queue the lead and due date shown for the writer (never waits)."""
        if self.row is None:
            return
        rec_id, lead = self.row.id, self.lead.currentData()
        due = self.due.date().toPython() if self.has_due.isChecked() else None
        if (lead, due) == (self.row.lead_person_id, self.row.due_date):
            return
        future = self.db.write(lambda session: set_details(session, rec_id, lead_person_id=lead, due_date=due))
        self._choices_inflight.append(future)
        future.add_done_callback(lambda f: self._choice_reported(f, rec_id))

    def _choice_reported(self, future: Future, rec_id: int) -> None:
        try:  # on the writer thread: hand over to the main thread
            self._choice_done.emit(future, rec_id)
        except RuntimeError:  # the panel is gone
            pass

    def _choice_finished(self, future: Future, rec_id: int) -> None:
        if future not in self._choices_inflight:
            return
        self._choices_inflight.remove(future)
        error = future.exception()
        if error is None:
            self._choice_problem = ""
            self._saved(rec_id, "", datetime.now())
        else:
            self._choice_problem = fault_sentence(error, "The change", self.db.location)
            self._failed(None, self._choice_problem)

    def _saved(self, target: object, _text: str, when: datetime) -> None:
        """Said only after the commit returned; a problem still unsaved stays said."""
        rec_id = target.key if isinstance(target, SaveTarget) else target
        if not self.problem:
            self.save_state.setText(f"Saved {when:%H:%M:%S}")
        self.changed.emit([rec_id])

    def _failed(self, _target: object, sentence: str) -> None:
        self.save_state.setText(f"<span style='color:#8a1010'>⚠ {html.escape(sentence)}</span>")

    @property
    def problem(self) -> str:
        return next((a.problem for a in [*self.autosaves.values(), self.note_draft] if a.problem),
                    self._choice_problem)

    def save_details(self) -> None:
        """Queue whatever changed (on moving to another recommendation, or before a status change)."""
        if self._choices.waiting:
            self._choices.fire()
        for autosave in [*self.autosaves.values(), self.note_draft]:
            autosave.save_now()

    def flush(self) -> bool:
        """Save now and wait (closing): True when the database holds everything shown."""
        self.save_details()
        done = all([autosave.flush() for autosave in [*self.autosaves.values(), self.note_draft]])
        for future in list(self._choices_inflight):
            future.exception(5.0)
            self._choice_finished(future, self.row.id if self.row else 0)
        return done and not self.problem

    def _status_chosen(self, index: int) -> None:
        if self.row is None:
            return
        status = self.status.itemText(index)
        if status == self.row.status:
            return
        self.save_details()  # evidence typed just now counts towards completing
        if not self.change_status([self.row.id], status) and self.row is not None:
            self.status.setCurrentText(self.row.status)

    def add_note(self) -> None:
        if self.row is None:
            return
        row, text, target = self.row, self.note.toPlainText(), self.note_draft.target

        def add(session: Any) -> None:
            add_progress_note(session, row.id, text, note_date=self.note_date.date().toPython(), today=self.today)
            clear_draft(session, progress_note_place(row.id))  # added: the draft goes with the same commit

        # The draft typed so far is queued first (the add waits for it), then the box empties.
        self.note_draft.load(None, self.note.clear)
        try:
            with self.db.session() as session:
                add(session)
        except UserError as exc:
            self.note_draft.load(target, lambda: self.note.setPlainText(text))  # still a draft, to correct
            show_error(self, exc)
            return
        if target is not None:
            self.db.journal.saved(target.record, target.field, text)  # it is a progress note now
        self._show_note_draft(row)
        self.note_date.setDate(QDate(to_qdate(self.today)))
        self.changed.emit([self.row.id])
