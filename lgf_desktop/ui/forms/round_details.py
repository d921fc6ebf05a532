"""A round's details (label, cycle year, kind, report month, workshop length) and its report texts
(Background, Methodology introduction, declined review, Conclusion, template cover, the heading of
the partnership's recommendations). Every field saves itself; a text may hold placeholders such as
{workshop_minutes}, and the line under the texts shows the current one as the report will print it."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QComboBox, QDateEdit, QFormLayout, QHBoxLayout, QLabel, QLineEdit, QSpinBox, QTabWidget, QVBoxLayout, QWidget,
)

from ...errors import UserError
from ...services.first_page import RoundShown
from ...services.review.report_texts import PLACEHOLDER, PLACEHOLDERS, check_placeholders, fill
from ...services.review.round_rules import ROUND_KINDS
from .common import AutoSaveText, Message, Page

if TYPE_CHECKING:
    from ...models import Round

NO_MONTH = QDate(2000, 1, 1)  # the date edit's minimum, shown as "not set"
TEXTS = (
    ("background_text", "Background", "The Section 11 duty and the arrangements organisations must have."),
    ("methodology_intro", "Methodology introduction", "How the peer reviews were arranged this year."),
    ("declined_text", "Declined review", "The opening of the section of an organisation that did not take part; "
                                         "{organisation} is its name. The contacts made follow it."),
    ("conclusion_text", "Conclusion", "What the round found, for the report's Conclusion."),
    ("template_cover_text", "Template cover", "The paragraph sent with the question template to organisations."),
    ("partnership_recommendations_heading", "Partnership recommendations heading",
     "The heading over the partnership's own (lettered) recommendations."),
)


class RoundDetails(Page):
    def __init__(self, page: Any) -> None:
        super().__init__(page.main)
        self.round_id: int | None = None
        layout = QVBoxLayout(self)
        fields = QWidget()
        columns = QHBoxLayout(fields)
        columns.setContentsMargins(0, 0, 0, 0)
        left, right = QFormLayout(), QFormLayout()
        columns.addLayout(left, 1)
        columns.addLayout(right, 1)
        self.label = QLineEdit()
        self.label.setAccessibleName("Round label")
        self.label_error = Message(self)
        self.label.editingFinished.connect(lambda: self._save("label", self.label.text(), self.label_error))
        left.addRow("Label", self.label)
        left.addRow("", self.label_error)
        self.kind = QComboBox()
        self.kind.addItems(ROUND_KINDS)
        self.kind.activated.connect(lambda _i: self._save("kind", self.kind.currentText()))
        left.addRow("Kind", self.kind)
        self.cycle_year = QSpinBox()
        self.cycle_year.setRange(1, 3)
        self.cycle_year.setToolTip("Year one is a written self-assessment; years two and three are peer reviews.")
        self.cycle_year.editingFinished.connect(lambda: self._save("cycle_year", self.cycle_year.value()))
        left.addRow("Year of the three-year cycle", self.cycle_year)
        self.report_month = QDateEdit()
        self.report_month.setDisplayFormat("MMMM yyyy")
        self.report_month.setMinimumDate(NO_MONTH)
        self.report_month.setSpecialValueText("not set")
        self.report_month.setCalendarPopup(True)
        self.report_month.editingFinished.connect(self._save_month)
        right.addRow("Report month", self.report_month)
        self.minutes = QSpinBox()
        self.minutes.setRange(10, 600)
        self.minutes.setSuffix(" minutes")
        self.minutes_error = Message(self)
        self.minutes.editingFinished.connect(
            lambda: self._save("workshop_minutes", self.minutes.value(), self.minutes_error))
        right.addRow("Workshop length", self.minutes)
        right.addRow("", self.minutes_error)
        layout.addWidget(fields)
        self.texts: dict[str, AutoSaveText] = {}
        self.values: dict[str, str] | None = None  # what each placeholder stands for in this round's report
        self.text_error = Message(self)
        self.tabs = tabs = QTabWidget()
        for key, title, hint in TEXTS:
            edit = AutoSaveText(hint)
            edit.setAccessibleName(title)
            edit.setToolTip("Placeholders: " + ", ".join(f"{{{name}}} ({what})" for name, what in PLACEHOLDERS.items()))
            edit.textChanged.connect(self.show_printed)
            self.texts[key] = edit
            tabs.addTab(edit, title)
        tabs.currentChanged.connect(lambda _index: self.show_printed())
        layout.addWidget(tabs, 1)
        layout.addWidget(self.text_error)
        self.printed = QLabel()
        self.printed.setWordWrap(True)
        self.printed.setAccessibleName("As it will print")
        self.printed.setTextInteractionFlags(self.printed.textInteractionFlags() | Qt.TextInteractionFlag.TextSelectableByMouse)
        self.printed.setMaximumHeight(self.printed.fontMetrics().lineSpacing() * 4 + 8)
        layout.addWidget(self.printed)

    def load(self, round_id: int) -> None:
        from ...models import Round
        from ...services.editing import get

        self.flush()
        with self.db.session() as session:
            r = get(session, Round, round_id)
            self.show_round(RoundShown(
                id=round_id, label=r.label, kind=r.kind, cycle_year=r.cycle_year, report_month=r.report_month,
                workshop_minutes=r.workshop_minutes, version=r.version,
                texts={key: getattr(r, key) for key, _title, _hint in TEXTS}, problems=()))

    def show_round(self, r: RoundShown) -> None:
        """Show a round's details: read through the database layer (``load``), or by the first page's
        plain read before it is loaded (then the texts are only shown; ``load`` puts them on the
        autosave once the database is open)."""
        self.round_id = r.id
        self.label.setText(r.label)
        self.kind.setCurrentText(r.kind)
        self.cycle_year.setValue(r.cycle_year)
        self.report_month.setDate(QDate(r.report_month.year, r.report_month.month, 1) if r.report_month else NO_MONTH)
        self.minutes.setValue(r.workshop_minutes)
        self.values = None  # read when a text first needs them (show_printed)
        for key, edit in self.texts.items():
            if self.db is None:
                edit.set_text(r.texts[key], r.version)
                continue
            if edit.autosave is None:
                from ...models import Round

                title = next(title for k, title, _hint in TEXTS if k == key)
                edit.autosave_to(self, Round, key, "round", f"the round's {title.lower()}", self.text_error)
            edit.show_record(r.id, r.texts[key], r.version)
        self.label_error.show_messages([])
        self.text_error.show_messages([])
        self.show_printed()
        self.minutes_error.show_messages([])

    def _read_values(self, round_id: int) -> None:
        """The placeholders' values come from the whole report's data: read on a worker, and only once
        a text with a placeholder is shown, so showing the round (the first page at start-up) never
        waits for it."""
        from ..tasks import run_task

        db = self.db

        def work(progress) -> dict[str, str]:
            from ...models import Round
            from ...services.editing import get

            with db.session() as session:
                return report_values(session, get(session, Round, round_id))

        def done(values: dict[str, str] | None, error: BaseException | None) -> None:
            if round_id != self.round_id:
                return  # another round was chosen meanwhile
            if error is not None:
                self.printed.setText("")  # the preview only; the texts themselves are saved as typed
                return
            self.values = values or {}
            self.show_printed()

        run_task(work, done)

    def current_text_key(self) -> str:
        return TEXTS[self.tabs.currentIndex()][0]

    def show_printed(self) -> None:
        """The current text as the report will print it, or why it cannot be saved (typed, not yet saved)."""
        key = self.current_text_key()
        text = self.texts[key].toPlainText()
        try:
            check_placeholders(key, text)
        except UserError as exc:
            self.printed.setText(str(exc))
            return
        if self.values is None and PLACEHOLDER.search(text) and self.round_id is not None and self.db is not None:
            self.values = {}  # asked once per round; the preview is filled again when they arrive
            self._read_values(self.round_id)
        shown = fill(text, {**(self.values or {}), "organisation": "Harbour Housing (an example organisation)"})
        self.printed.setText(f"As it will print: {' '.join(shown.split())[:400]}" if shown.strip() else "")

    def _save(self, field: str, value: Any, error: Message | None = None) -> None:
        from ...models import Round

        if self.round_id is not None and self.db is not None:
            self.save(Round, self.round_id, "round", error, **{field: value})

    def _save_month(self) -> None:
        chosen = self.report_month.date()
        self._save("report_month", None if chosen == NO_MONTH else date(chosen.year(), chosen.month(), 1))


def report_values(session: Any, round_: Round) -> dict[str, str]:
    """The placeholders' values for this round, from the same report data the export prints."""
    from ...exports.report_data import read_report
    from ...exports.report_prose import placeholder_values

    return placeholder_values(read_report(session, round_, refuse_empty=False))
