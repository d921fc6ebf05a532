"""The tracker's dialogs: the evidence asked for when completing, and a recommendation entered by
hand from another source. Each has a classmethod ``ask`` that tests replace."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QButtonGroup, QCheckBox, QComboBox, QDateEdit, QDialog, QDialogButtonBox, QFormLayout, QLabel, QLineEdit,
    QPlainTextEdit, QRadioButton, QVBoxLayout, QWidget,
)

from ...errors import UserError
from ...services.tracker.rows import Choices
from ..date_picker import uk_date_picker
from ..errors import show_error


class CompletionDialog(QDialog):
    """Complete needs evidence of impact, or a plain reason why there is none."""

    def __init__(self, count: int, save: Callable[[str, str], object], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.save = save
        self.setWindowTitle("Evidence of impact")
        which = "This recommendation has" if count == 1 else f"{count} of the selected recommendations have"
        intro = QLabel(f"{which} no evidence of impact yet. A recommendation is complete only with evidence "
                       "that it worked, or a reason why there is none.")
        intro.setWordWrap(True)
        self.with_evidence = QRadioButton("Evidence of impact:")
        self.without = QRadioButton("No evidence, because:")
        group = QButtonGroup(self)
        group.addButton(self.with_evidence)
        group.addButton(self.without)
        self.with_evidence.setChecked(True)
        self.evidence = QPlainTextEdit()
        self.evidence.setPlaceholderText("e.g. the re-audit in March found 9 of 10 plans had a clear contingency")
        self.reason = QLineEdit()
        self.reason.setPlaceholderText("e.g. the service was decommissioned")
        self.refusal = QLabel()  # why "Mark complete" was refused; the dialog stays open
        self.refusal.setWordWrap(True)
        self.refusal.setStyleSheet("color: #8a1010")
        self.refusal.setAccessibleName("Why it was not marked complete")
        self.refusal.hide()
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Mark complete")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        for widget in (intro, self.with_evidence, self.evidence, self.without, self.reason, self.refusal, self.buttons):
            layout.addWidget(widget)
        self.evidence.textChanged.connect(lambda: self.with_evidence.setChecked(True))
        self.reason.textEdited.connect(lambda _: self.without.setChecked(True))
        self.resize(480, 320)

    def values(self) -> tuple[str, str]:
        if self.with_evidence.isChecked():
            return self.evidence.toPlainText().strip(), ""
        return "", self.reason.text().strip()

    def accept(self) -> None:
        # Saved here so a refusal keeps the dialog open, with its reason and everything typed.
        try:
            self.save(*self.values())
        except UserError as exc:
            self.refusal.setText(str(exc))
            self.refusal.show()
            return
        super().accept()

    @classmethod
    def ask(cls, parent: QWidget | None, count: int, save: Callable[[str, str], object]) -> bool:
        """True once ``save(evidence, no-evidence reason)`` succeeded; False when cancelled."""
        return cls(count, save, parent).exec() == QDialog.DialogCode.Accepted


class AddRecommendationDialog(QDialog):
    """A recommendation from a practice review, an inspection, a single-agency audit …"""

    def __init__(self, choices: Choices, save: Callable[[dict], object], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.save = save
        self.result_value: object = None
        self.setWindowTitle("Add a recommendation from another source")
        self.source = QComboBox()
        for kind_id, name in choices.sources:
            if name not in ("Section 11", "Multi-agency audit"):  # those come from their review or audit
                self.source.addItem(name, kind_id)
        self.reference = QLineEdit()
        self.reference.setPlaceholderText("e.g. CSPR Child Q, action 3")
        self.organisation = QComboBox()
        self.organisation.addItem("Choose…", None)
        self.organisation.addItem("The partnership", "partnership")
        for org_id, name in choices.organisations:
            self.organisation.addItem(name, org_id)
        self.text = QPlainTextEdit()
        self.lead = QComboBox()
        self.lead.addItem("", None)
        for person_id, name in choices.people:
            self.lead.addItem(name, person_id)
        self.has_due = QCheckBox("Due by")
        self.due = QDateEdit()
        self.due.setCalendarPopup(True)
        optional_date(self.has_due, self.due, lambda: QDate.currentDate().addMonths(6).toPython())
        form = QFormLayout()
        form.addRow("Source", self.source)
        form.addRow("Reference", self.reference)
        form.addRow("Responsible", self.organisation)
        form.addRow("Recommendation", self.text)
        form.addRow("Lead", self.lead)
        form.addRow(self.has_due, self.due)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(buttons)
        self.resize(560, 420)

    def values(self) -> dict:
        responsible = self.organisation.currentData()
        return {
            "source_kind_id": self.source.currentData(),
            "reference": self.reference.text(),
            "organisation_id": responsible if isinstance(responsible, int) else None,
            "is_partnership": responsible == "partnership",
            "text": self.text.toPlainText(),
            "lead_person_id": self.lead.currentData(),
            "due_date": self.due.date().toPython() if self.has_due.isChecked() else None,
        }

    def accept(self) -> None:
        # Saved here so a refusal keeps the dialog open with everything typed still in it.
        try:
            self.result_value = self.save(self.values())
        except UserError as exc:
            show_error(self, exc)
            return
        super().accept()

    @classmethod
    def ask(cls, parent: QWidget | None, choices: Choices, save: Callable[[dict], object]) -> object:
        """What ``save(values)`` returned, or None when cancelled."""
        dialog = cls(choices, save, parent)
        return dialog.result_value if dialog.exec() == QDialog.DialogCode.Accepted else None


NO_DATE = QDate(2000, 1, 1)  # the date edit's minimum, shown blank: "no due date" is not a date


def optional_date(check: QCheckBox, edit: QDateEdit, default: Callable[[], date]) -> None:
    """A date edit that is blank and disabled while ``check`` is off, and starts at ``default()``
    when it is ticked."""
    edit.setMinimumDate(NO_DATE)
    edit.setSpecialValueText(" ")
    uk_date_picker(edit)

    def toggled(on: bool) -> None:
        edit.setEnabled(on)
        if on and edit.date() == NO_DATE:
            edit.setDate(to_qdate(default()))
        elif not on:
            edit.setDate(NO_DATE)

    check.toggled.connect(toggled)
    toggled(check.isChecked())


def to_qdate(value: date | None) -> QDate:
    return QDate(value.year, value.month, value.day) if value else QDate.currentDate()
