"""A review's page: organisation, date, status, overall comment, the panel members present, the
organisation's representatives and apologies (each with a note the report prints after the name), the
contacts made with one that declined, and the recommendations agreed in the review: each the
organisation's (numbered) or the partnership's (lettered), with an optional full wording for the
report's recommendations table; a partnership recommendation can also be added after the section.
Feature modules add their actions (run the workshop, export …) as buttons at the top."""

from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtCore import QDate
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QComboBox, QDateEdit, QFormLayout, QHBoxLayout, QHeaderView, QLabel, QLineEdit, QPlainTextEdit, QSplitter,
    QTabWidget,
    QToolButton, QVBoxLayout, QWidget,
)

from ...dates import parse_date, short_date
from ...models import REVIEW_STATUSES, ContactAttempt, Representative, Review
from ...services import editing, listing
from ...services.review import workshop as ws
from ...services.review.numbering import report_numbers
from ...services.review.rounds import review_problems
from ..date_picker import uk_date_picker
from .common import (
    AutoSaveText, Column, Message, Page, RecordTableModel, button, fit_columns, selected_id, show_read_only,
    table_view,
)

NO_DATE = QDate(2000, 1, 1)
PRESENT_COLUMNS = (Column("Present", "present", editable=True, check=True), Column("Name", "name"),
                   Column("Role", "role"))
KINDS = (("attended", "Attended"), ("apologies", "Apologies"))
REP_COLUMNS = (Column("Name", "name", editable=True), Column("Role", "role", editable=True),
               Column("Attended or apologies", "kind", editable=True, choices=KINDS),
               Column("Note", "note", editable=True))
REC_COLUMNS = (Column("No.", "number"), Column("Question", "question"),
               Column("Wording in the review", "text", editable=True),
               Column("Full wording (optional)", "full_text", editable=True),
               Column("Partnership's", "partnership", editable=True, check=True))
CONTACT_COLUMNS = (Column("Date", "contact_date", editable=True), Column("How", "channel", editable=True),
                   Column("Contact", "contact_name", editable=True), Column("What was offered", "offered", editable=True),
                   Column("Response", "response", editable=True))


def minutes_text(review: Review) -> str:
    """A review's responses theme by theme, question by question, as plain text to read."""
    by_question = {r.question_id: r for r in review.responses if r.question_id is not None}
    lines: list[str] = []
    for theme in review.round.themes:
        lines.append(theme.title.upper())
        for question in theme.questions:
            response = by_question.get(question.id)
            lines.append(f"Q: {response.question_text if response and response.question_text else question.text}")
            lines.append(response.text if response and response.text.strip() else "(no response)")
            lines.append("")
    return "\n".join(lines).strip()


class ReviewPage(Page):
    def __init__(self, window: Any) -> None:
        super().__init__(window)
        self.review_id: int | None = None
        self.organisation_name = ""
        layout = QVBoxLayout(self)
        # The title has a row of its own: organisation names are long, and the buttons below grow
        # with every feature module's action.
        self.title = QLabel()
        self.title.setWordWrap(True)
        layout.addWidget(self.title)
        top = QHBoxLayout()
        self.subtitle = QLabel()
        top.addWidget(self.subtitle, 1)
        self.actions_row = QHBoxLayout()
        top.addLayout(self.actions_row)
        top.addWidget(button("History…", lambda: self.main.show_history(Review, self.review_id)))
        top.addWidget(button("Delete review…", self.delete))
        layout.addLayout(top)
        self.imported = Message(self, error=False)  # a review of a round imported for the regional report
        self.imported.setAccessibleName("Imported review")
        layout.addWidget(self.imported)
        self.problems = Message(self, error=False)
        self.problems.setAccessibleName("Review problems")
        layout.addWidget(self.problems)
        splitter = QSplitter()
        layout.addWidget(splitter, 1)

        left = QWidget()
        form = QFormLayout(left)
        form.setContentsMargins(0, 0, 0, 0)
        self.organisation = QComboBox()
        self.organisation.activated.connect(lambda _i: self._save(organisation_id=self.organisation.currentData()))
        form.addRow("Organisation", self.organisation)
        self.status = QComboBox()
        self.status.addItems(REVIEW_STATUSES)
        self.status.activated.connect(lambda _i: self._save(status=self.status.currentText()))
        form.addRow("Status", self.status)
        self.review_date = QDateEdit()
        uk_date_picker(self.review_date)
        self.review_date.setMinimumDate(NO_DATE)
        self.review_date.setSpecialValueText("not set")
        self.review_date.setCalendarPopup(True)
        self.review_date.setAccessibleName("Review date")
        self.review_date.editingFinished.connect(self._save_date)
        form.addRow("Date", self.review_date)
        self.date_problem = Message(self, error=False)  # said beside the field as well as at the top
        form.addRow("", self.date_problem)
        self.comment = AutoSaveText("A short overall comment on the review, as the report opens its section.")
        self.comment.setAccessibleName("Overall comment")
        form.addRow(QLabel("Overall comment"))
        form.addRow(self.comment)
        self.error = Message(self)
        self.comment.autosave_to(self, Review, "overall_comment", "review", "the review's overall comment", self.error)
        form.addRow(self.error)
        splitter.addWidget(left)

        self.tabs = QTabWidget()
        self.present = RecordTableModel(PRESENT_COLUMNS, self._edit_present, self)
        self.present_view = table_view(self.present, stretch=2)
        self.tabs.addTab(self.present_view, "Panel present")
        self.tabs.addTab(self._representatives_tab(), "Representatives and apologies")
        self.tabs.addTab(self._contacts_tab(), "Contact attempts")
        self.tabs.addTab(self._recommendations_tab(), "Recommendations")
        # An imported review's minutes, to read (its own partnership typed them in its workshop).
        self.minutes = QPlainTextEdit()
        self.minutes.setReadOnly(True)
        self.minutes.setAccessibleName("Minutes")
        self.minutes_tab = self.tabs.addTab(self.minutes, "Minutes")
        self.tabs.setTabVisible(self.minutes_tab, False)
        splitter.addWidget(self.tabs)
        splitter.setSizes([450, 600])
        window.data_changed.connect(self._changed)

    def _representatives_tab(self) -> QWidget:
        tab = QWidget()
        layout = QVBoxLayout(tab)
        self.reps = RecordTableModel(REP_COLUMNS, self._edit_rep, self)
        self.rep_view = table_view(self.reps, stretch=3)
        # The role and the note share what the name and attendance leave, wrapped (the note was
        # squeezed to a few letters beside a long role at 1366×768).
        self.rep_view.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.rep_view.setWordWrap(True)
        layout.addWidget(self.rep_view, 1)
        row = QHBoxLayout()
        self.rep_name, self.rep_role, self.rep_note = QLineEdit(), QLineEdit(), QLineEdit()
        self.rep_name.setPlaceholderText("Name")
        self.rep_role.setPlaceholderText("Role")
        self.rep_note.setPlaceholderText("Note, e.g. although … had been part of the preparation")
        self.rep_note.setAccessibleName("Note on attendance")
        self.rep_note.setToolTip("Printed after the name in the report: \"Apologies were received from Anne Fry "
                                 "(Designated Nurse), although Anne had been part of the preparation for the review.\"")
        row.addWidget(self.rep_name)
        row.addWidget(self.rep_role)
        row.addWidget(self.rep_note, 2)
        row.addWidget(button("Attended", lambda: self.add_rep("attended")))
        row.addWidget(button("Apologies", lambda: self.add_rep("apologies")))
        row.addWidget(button("Remove…", lambda: self._remove(self.rep_view, Representative, "this representative")))
        layout.addLayout(row)
        return tab

    def _contacts_tab(self) -> QWidget:
        tab = QWidget()
        layout = QVBoxLayout(tab)
        note = QLabel("For an organisation that has not taken part: each contact made, and what was offered.")
        note.setWordWrap(True)
        layout.addWidget(note)
        self.contacts = RecordTableModel(CONTACT_COLUMNS, self._edit_contact, self)
        self.contact_view = table_view(self.contacts, stretch=3)
        # What was offered and the response share the width, wrapped, so neither squeezes the other out.
        self.contact_view.horizontalHeader().setSectionResizeMode(4, QHeaderView.ResizeMode.Stretch)
        self.contact_view.setWordWrap(True)
        layout.addWidget(self.contact_view, 1)
        row = QHBoxLayout()
        row.addWidget(button("Add contact (today)", self.add_contact))
        row.addWidget(button("Remove…", lambda: self._remove(self.contact_view, ContactAttempt, "this contact attempt")))
        row.addStretch(1)
        layout.addLayout(row)
        return tab

    def _recommendations_tab(self) -> QWidget:
        tab = QWidget()
        layout = QVBoxLayout(tab)
        note = QLabel("The wording in the review is printed in its table (or after the section); the full wording, "
                      "when given, in the report's recommendations table. Tick “Partnership's” for one the "
                      "partnership takes on: it is lettered with the partnership's own.")
        note.setWordWrap(True)
        layout.addWidget(note)
        self.recs = RecordTableModel(REC_COLUMNS, self._edit_rec, self)
        self.rec_view = table_view(self.recs, stretch=3)
        # The question and both wordings share the width, wrapped: a question sized to its text pushed
        # the wordings off the side at 1366×768.
        for column in (1, 2):
            self.rec_view.horizontalHeader().setSectionResizeMode(column, QHeaderView.ResizeMode.Stretch)
        self.rec_view.setWordWrap(True)
        layout.addWidget(self.rec_view, 1)
        row = QHBoxLayout()
        self.after_section = QLineEdit()
        self.after_section.setPlaceholderText("A recommendation for the partnership, printed after this section")
        self.after_section.setAccessibleName("Partnership recommendation after the section")
        self.after_section.returnPressed.connect(self.add_after_section)
        row.addWidget(self.after_section, 1)
        row.addWidget(button("Add for the partnership", self.add_after_section))
        layout.addLayout(row)
        return tab

    def add_action_button(self, action: QAction) -> None:
        tool = QToolButton()
        tool.setDefaultAction(action)
        self.actions_row.addWidget(tool)

    # ----- loading ------------------------------------------------------------------------------
    def load(self, review_id: int) -> None:
        self.flush()
        self.review_id = review_id
        with self.db.session() as session:
            r = editing.get(session, Review, review_id)
            self.organisation_name = r.organisation.name
            self.title.setText(f"<h2>Peer review: {r.organisation.name}</h2>")
            self.subtitle.setText(f"Round {r.round.label} · {r.organisation.sector}")
            self.organisation.clear()
            for oid, name in listing.organisation_choices(session):
                self.organisation.addItem(name, oid)
            self.organisation.setCurrentIndex(self.organisation.findData(r.organisation_id))
            self.status.setCurrentText(r.status)
            d = r.review_date
            self.review_date.setDate(QDate(d.year, d.month, d.day) if d else NO_DATE)
            self.comment.show_record(review_id, r.overall_comment, r.version)
            present = {p.panel_member_id for p in r.panel_present}
            self.present.set_rows([{"id": m.id, "present": m.id in present, "name": m.person.name,
                                    "role": m.person.role_title + (" (chair)" if m.role == "chair" else "")}
                                   for m in r.round.panel])
            self.reps.set_rows([{"id": x.id, "name": x.name, "role": x.role, "kind": x.kind, "note": x.note,
                                 "version": x.version} for x in r.representatives])
            self.recs.set_rows(recommendation_rows(session, r))
            self.contacts.set_rows([{"id": c.id, "contact_date": short_date(c.contact_date), "channel": c.channel,
                                     "contact_name": c.contact_name, "offered": c.offered, "response": c.response}
                                    for c in r.contact_attempts])
            if r.status == "declined":
                self.tabs.setCurrentIndex(2)
            elif self.tabs.currentIndex() == 2:  # a held review, after a declined one: who was there
                self.tabs.setCurrentIndex(0)
            problems = review_problems(r)
            self._show_date_problem(r)
            read_only = bool(r.round.read_only)
            partnership = r.round.partnership.name
            self.minutes.setPlainText(minutes_text(r) if read_only else "")
        show_read_only(self, read_only)
        self.tabs.setTabVisible(self.minutes_tab, read_only)
        if read_only:
            self.tabs.setCurrentIndex(self.minutes_tab)  # what there is to read; the last tab is off the edge at 1366
        for action in self.main.review_actions:  # the workshop and the notes would change a read-only review
            action.setEnabled(not read_only)
        self.imported.show_messages([f"A review of {partnership}'s round, imported for the regional report: "
                                     "read-only here."] if read_only else [])
        self.problems.show_messages(problems)
        self.error.show_messages([])
        for view in (self.present_view, self.rep_view, self.contact_view, self.rec_view):
            fit_columns(view)
        for view in (self.contact_view, self.rec_view, self.rep_view):
            view.resizeRowsToContents()

    def refresh_problems(self) -> None:
        with self.db.session() as session:
            review = session.get(Review, self.review_id)
            self.problems.show_messages(review_problems(review) if review else [])
            if review is not None:
                self._show_date_problem(review)

    def _show_date_problem(self, review: Review) -> None:
        missing = review.status == "held" and review.review_date is None
        self.date_problem.show_messages(["Held reviews need the date they took place."] if missing else [])

    def _changed(self, table: str) -> None:
        if self.review_id is None or not self.isVisible():
            return
        if table == "*":
            with self.db.session() as session:
                exists = session.get(Review, self.review_id) is not None
            if exists:
                self.load(self.review_id)
        else:
            self.refresh_problems()

    # ----- edits --------------------------------------------------------------------------------
    def _save(self, **values: Any) -> bool:
        return self.review_id is not None and self.save(Review, self.review_id, "review", self.error, **values)

    def _save_date(self) -> None:
        chosen = self.review_date.date()
        self._save(review_date=None if chosen == NO_DATE else date(chosen.year(), chosen.month(), chosen.day()))

    def _edit_present(self, row: dict, key: str, value: Any) -> bool:
        return self.apply(lambda s: editing.set_present(s, self.review_id, row["id"], value), "review_panel_presence",
                          self.error)

    def _edit_rep(self, row: dict, key: str, value: Any) -> bool:
        # Saved over the version shown; if someone changed the representative meanwhile, the sentence
        # says so and the list shows what they saved (a name or role is retyped in a moment).
        if self.save(Representative, row["id"], "representative", self.error, expected_version=row["version"],
                     **{key: value}):
            row["version"] += 1
            return True
        said = self.error.text()
        self.load(self.review_id)
        self.error.setText(said)  # the reload clears messages; this one stays until the next edit
        self.error.setVisible(bool(said))
        return False

    def _edit_contact(self, row: dict, key: str, value: Any) -> bool:
        def action(session: Any) -> None:
            if key == "contact_date":
                when = parse_date(value)
                if when is None:
                    from ...errors import UserError

                    raise UserError("A contact attempt needs its date.")
                editing.update(session, ContactAttempt, row["id"], contact_date=when)
            else:
                editing.update(session, ContactAttempt, row["id"], **{key: value})

        if not self.apply(action, "contact_attempt", self.error):
            return False
        if key == "contact_date":
            row[key] = short_date(parse_date(value))
            return False  # stored in its normal form above; the view shows that
        return True

    def _edit_rec(self, row: dict, key: str, value: Any) -> bool:
        def action(session: Any) -> None:
            if key == "partnership":
                ws.set_for_partnership(session, row["id"], bool(value))
            elif key == "full_text":
                ws.set_full_text(session, row["id"], str(value), row["version"])
            else:
                ws.update_recommendation(session, row["id"], str(value), row["version"])

        if not self.apply(action, "recommendation", self.error):
            return False
        self.load(self.review_id)  # numbers and letters change with the partnership tick
        return True

    def add_after_section(self) -> None:
        text = self.after_section.text()
        if self.review_id is not None and self.apply(
                lambda s: ws.add_review_partnership_recommendation(s, editing.get(s, Review, self.review_id), text),
                "recommendation", self.error):
            self.after_section.clear()
            self.load(self.review_id)

    def add_rep(self, kind: str) -> None:
        name, role, note = self.rep_name.text(), self.rep_role.text(), self.rep_note.text()
        if self.apply(lambda s: ws.add_representative(s, editing.get(s, Review, self.review_id), name, role, kind,
                                                      note), "representative", self.error):
            self.rep_name.clear()
            self.rep_role.clear()
            self.rep_note.clear()
            self.rep_name.setFocus()
            self.load(self.review_id)

    def add_contact(self) -> None:
        if self.apply(lambda s: editing.add_contact_attempt(s, self.review_id, date.today()), "contact_attempt",
                      self.error):
            self.load(self.review_id)

    def _remove(self, view: Any, model: type, what: str) -> None:
        record_id = selected_id(view)
        if record_id is not None and self.main.delete_with_undo(model, record_id, what):
            self.load(self.review_id)

    def delete(self) -> None:
        self.main.delete_with_undo(Review, self.review_id, f"the review of {self.organisation_name}")


def recommendation_rows(session: Any, review: Review) -> list[dict[str, Any]]:
    """The review's recommendations as the tab lists them: in report order, numbered or lettered."""
    from sqlalchemy import select

    from ...models import Recommendation

    numbers = report_numbers(session, review.round)
    recs = session.scalars(select(Recommendation).where(Recommendation.review_id == review.id)).all()
    rows = [{"id": r.id, "number": numbers.get(r.id, ""), "question": r.question.text if r.question else
             "(after the section)", "text": r.text, "full_text": r.full_text, "partnership": r.is_partnership,
             "version": r.version} for r in recs]
    return sorted(rows, key=lambda row: (row["partnership"], len(row["number"]), row["number"]))
