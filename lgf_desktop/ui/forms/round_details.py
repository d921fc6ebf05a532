"""A round's details (label, cycle year, kind, report month, workshop length) and its texts
(Background, Methodology introduction, Conclusion, template cover). Every field saves itself."""

from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QComboBox, QDateEdit, QFormLayout, QHBoxLayout, QLineEdit, QSpinBox, QTabWidget, QVBoxLayout, QWidget,
)

from ...models import ROUND_KINDS, Round
from ...services.editing import get
from .common import AutoSaveText, Message, Page

NO_MONTH = QDate(2000, 1, 1)  # the date edit's minimum, shown as "not set"
TEXTS = (
    ("background_text", "Background", "The Section 11 duty and the arrangements organisations must have."),
    ("methodology_intro", "Methodology introduction", "How the peer reviews were arranged this year."),
    ("conclusion_text", "Conclusion", "What the round found, for the report's Conclusion."),
    ("template_cover_text", "Template cover", "The paragraph sent with the question template to organisations."),
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
        tabs = QTabWidget()
        for key, title, hint in TEXTS:
            edit = AutoSaveText(hint)
            edit.setAccessibleName(title)
            edit.autosave_to(self, Round, key, "round", f"the round's {title.lower()}")
            self.texts[key] = edit
            tabs.addTab(edit, title)
        layout.addWidget(tabs, 1)

    def load(self, round_id: int) -> None:
        self.flush()
        self.round_id = round_id
        with self.db.session() as session:
            r = get(session, Round, round_id)
            self.label.setText(r.label)
            self.kind.setCurrentText(r.kind)
            self.cycle_year.setValue(r.cycle_year)
            self.report_month.setDate(QDate(r.report_month.year, r.report_month.month, 1) if r.report_month else NO_MONTH)
            self.minutes.setValue(r.workshop_minutes)
            for key, edit in self.texts.items():
                edit.show_record(round_id, getattr(r, key), r.version)
        self.label_error.show_messages([])
        self.minutes_error.show_messages([])

    def _save(self, field: str, value: Any, error: Message | None = None) -> None:
        if self.round_id is not None:
            self.save(Round, self.round_id, "round", error, **{field: value})

    def _save_month(self) -> None:
        chosen = self.report_month.date()
        self._save("report_month", None if chosen == NO_MONTH else date(chosen.year(), chosen.month(), 1))
