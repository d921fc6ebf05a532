"""The tracker's side panel for the selected recommendation: its details (lead, due date, evidence,
status), a box to add a dated progress note, and its full history — progress notes and every
recorded change, newest first.

Edits to the details are saved a moment after typing stops (and before another recommendation is
shown), so nothing typed is lost; a refused edit is said beside the fields, not in a pop-up.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from dataclasses import replace
from datetime import date, datetime

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QCheckBox, QComboBox, QDateEdit, QFormLayout, QHBoxLayout, QLabel, QLineEdit, QPlainTextEdit, QPushButton,
    QTextBrowser, QVBoxLayout, QWidget,
)

from ...dates import long_date, short_date, short_date_time
from ...db import Database
from ...errors import StaleEdit, UserError
from ...models import RECOMMENDATION_STATUSES
from ...services.tracker.actions import add_progress_note, set_details
from ...services.tracker.history import HistoryEntry, recommendation_history
from ...services.tracker.rows import TrackerRow, tracker_rows
from ...storage_faults import fault_sentence
from ..autosave import SaveSchedule
from ..conflict import settle
from ..date_picker import uk_date_picker
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


class DetailPanel(QWidget):
    # Recommendation ids that this panel changed and committed.
    changed = Signal(list)

    def __init__(self, db: Database, change_status: Callable[[list[int], str], bool],
                 today: date | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self._fixed_today = today
        self.change_status = change_status
        self.row: TrackerRow | None = None
        self._loading = False
        self._dirty = False
        self._drafts: dict[int, str] = {}  # unsent progress notes, per recommendation

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

        # The app's one rule for when text saves (ui/autosave.py): a pause, or a second at most.
        self._timer = SaveSchedule([self.evidence, self.no_evidence], self)
        self._timer.due.connect(self.save_details)
        for signal in (self.lead.currentIndexChanged, self.has_due.toggled, self.due.dateChanged,
                       self.evidence.textChanged, self.no_evidence.textChanged):
            signal.connect(self._edited)
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
        if self._dirty:
            self.save_details()
        if self.row is not None:
            self._drafts[self.row.id] = self.note.toPlainText()
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
            self.evidence.clear()
            self.no_evidence.clear()
            self.note.clear()
            self.history.clear()
            self.closed.clear()
        else:
            self._fill(row, editors=True)
            self.note.setPlainText(self._drafts.get(row.id, ""))
            self.save_state.clear()
        self._loading = False
        self._dirty = False

    def refresh_row(self, row: TrackerRow) -> None:
        """A fresh copy of the row shown (after a save): the editors keep what is being typed."""
        self._loading = True
        self.row = row
        self._fill(row, editors=not self._dirty)
        self._loading = False

    def _fill(self, row: TrackerRow, editors: bool) -> None:
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
            if self.evidence.toPlainText() != row.evidence_of_impact:
                self.evidence.setPlainText(row.evidence_of_impact)
            if self.no_evidence.text() != row.no_evidence_reason:
                self.no_evidence.setText(row.no_evidence_reason)
        self.load_history()

    def load_history(self) -> None:
        if self.row is None:
            return
        with self.db.session() as session:
            entries = recommendation_history(session, self.row.id)
        self.history.setHtml(history_html(entries))

    def _edited(self, *_: object) -> None:
        if self._loading or self.row is None:
            return
        self._dirty = True
        self.save_state.setText("Saving…")
        self._timer.edited()

    def save_details(self) -> None:
        self._timer.stop()
        if not self._dirty or self.row is None:
            return
        self._dirty = False
        try:
            for _attempt in range(3):
                try:
                    with self.db.session() as session:
                        rec = set_details(session, self.row.id, lead_person_id=self.lead.currentData(),
                                          due_date=self.due.date().toPython() if self.has_due.isChecked() else None,
                                          evidence_of_impact=self.evidence.toPlainText(),
                                          no_evidence_reason=self.no_evidence.text(), expected_version=self.row.version)
                        # What is stored now is the base the next save (and any conflict) is judged against.
                        self.row = replace(self.row, version=rec.version, evidence_of_impact=rec.evidence_of_impact,
                                           no_evidence_reason=rec.no_evidence_reason, due_date=rec.due_date,
                                           lead_person_id=rec.lead_person_id)
                    break
                except StaleEdit as exc:
                    if not self._settle(exc):
                        return
        except Exception as exc:  # noqa: BLE001 — the text stays; said in one sentence, tried again
            self.save_state.setText(f"<span style='color:#8a1010'>⚠ {html.escape(fault_sentence(exc, 'The change', self.db.path))}</span>")
            self._dirty = True
            if not isinstance(exc, UserError):
                self._timer.edited()
            return
        self.save_state.setText(f"Saved {datetime.now():%H:%M:%S}")
        self.changed.emit([self.row.id])

    def _settle(self, exc: StaleEdit) -> bool:
        """The recommendation changed elsewhere since it was shown: show what is stored, keeping the
        evidence typed here if both changed it and the person wants it (``conflict.settle``); True
        when there is still something of this screen's to save over the new version."""
        mine = self.evidence.toPlainText()
        keep = settle(self, exc, self.row.evidence_of_impact, mine, "recommendation")
        with self.db.session() as session:
            fresh = tracker_rows(session, ids=[self.row.id])
        if not fresh:
            return False
        self.refresh_row_now(fresh[0])
        if keep == fresh[0].evidence_of_impact:
            self.save_state.setText(html.escape(f"{exc} This now shows what is saved."))
            self.changed.emit([self.row.id])
            return False
        self._loading = True
        self.evidence.setPlainText(keep)
        self._loading = False
        return True

    def refresh_row_now(self, row: TrackerRow) -> None:
        """Show a fresh copy of the row in every field, replacing what was typed."""
        self._loading = True
        self.row = row
        self._fill(row, editors=True)
        self._loading = False

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
        try:
            with self.db.session() as session:
                add_progress_note(session, self.row.id, self.note.toPlainText(),
                                  note_date=self.note_date.date().toPython(), today=self.today)
        except UserError as exc:
            show_error(self, exc)
            return
        self.note.clear()
        self._drafts.pop(self.row.id, None)
        self.note_date.setDate(QDate(to_qdate(self.today)))
        self.changed.emit([self.row.id])
