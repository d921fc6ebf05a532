"""Small dialogs: Preferences ("Your name" for the change history) and a record's change history."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFormLayout, QLabel, QLineEdit, QVBoxLayout

from ...dates import short_date_time, stored_as_shown
from ...history import history_of
from ...services.editing import get
from .common import Column, RecordTableModel, table_view

HISTORY_COLUMNS = (Column("When (UTC)", "at"), Column("Who", "who"), Column("What", "action"),
                   Column("Field", "field"), Column("Before", "old"), Column("After", "new"))
ACTIONS = {"insert": "created", "update": "changed", "delete": "deleted"}


def _who(name: str, login: str) -> str:
    """"Kim Hart (kim@laptop-7)": the name alone can be shared or unset; the login tells people apart."""
    if not login or login.split("@")[0] == name:
        return name or login
    return f"{name} ({login})"


class PreferencesDialog(QDialog):
    """'Your name', kept in this person's own settings on this machine (``your_settings``), not in the
    database: several people may share one database, each the author of their own changes."""


    def __init__(self, window: Any) -> None:
        super().__init__(window)
        self.window_ = window
        self.setWindowTitle("Preferences")
        form = QFormLayout(self)
        self.name = QLineEdit(window.db.user)
        self.name.setAccessibleName("Your name")
        form.addRow("Your name", self.name)
        hint = QLabel(f"Recorded with every change you make, in each record's history, with your login "
                      f"{window.db.login}; and the author of the documents you export. Kept on this "
                      "computer for you, not in the database.")
        hint.setWordWrap(True)
        form.addRow(hint)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    def accept(self) -> None:
        self.window_.db.set_user(self.name.text())
        super().accept()


class HistoryDialog(QDialog):
    """Every recorded change of one record, oldest first."""

    def __init__(self, window: Any, model: type, record_id: int) -> None:
        super().__init__(window)
        self.resize(980, 480)
        layout = QVBoxLayout(self)
        with window.db.session() as session:
            record = get(session, model, record_id)
            label = record.history_label()
            word = model.__tablename__.replace("_", " ")
            if word not in label.lower():  # "Person Kim Hart", but "Peer review NW ICB" as it is
                label = f"{word.capitalize()} {label}"
            rows = [{"id": e.id, "at": short_date_time(e.at), "who": _who(e.who, e.login),
                     "action": ACTIONS.get(e.action, e.action), "field": e.field.replace("_", " "),
                     "old": stored_as_shown(e.old_value), "new": stored_as_shown(e.new_value)} for e in history_of(session, record)]
        self.setWindowTitle(f"History of {label}")
        self.title = title = QLabel(f"<b>{label}</b> — {len(rows)} recorded change{'' if len(rows) == 1 else 's'}")
        title.setWordWrap(True)
        layout.addWidget(title)
        self.model = RecordTableModel(HISTORY_COLUMNS, parent=self)
        self.model.set_rows(rows)
        view = table_view(self.model, stretch=5)
        view.resizeColumnsToContents()
        layout.addWidget(view, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
