"""Cases and auditors → "Children's names for checking…": the coordinator types each child's real
name once, so the identifying-data check can flag it wherever it is typed or sent. Only keyed hashes
are kept (``services/privacy/child_names.py``); the fields are empty every time the dialog opens, and
typing the names again replaces the ones checked before.
"""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFormLayout, QLabel, QLineEdit, QWidget

from ...db import Database
from ...models import Audit
from ...services.privacy.child_names import checked_name_count, set_child_names
from ..errors import show_error


class ChildNamesDialog(QDialog):
    def __init__(self, db: Database, audit_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.audit_id = audit_id
        self.setWindowTitle("Children's names for checking")
        form = QFormLayout(self)
        with db.session() as session:
            audit = session.get(Audit, audit_id)
            pseudonyms = [case.pseudonym for case in audit.cases]
            checked = checked_name_count(session, audit)
        intro = QLabel("Type each child's real name (first and last). They are not stored: only a check value is "
                       "kept, so that LGF Desktop can warn when a name is typed into the audit or is about to leave "
                       "in a package, return, brief or report. "
                       + ("Names are being checked for this audit; typing them again replaces them."
                          if checked else "No names are being checked for this audit yet."))
        intro.setWordWrap(True)
        form.addRow(intro)
        self.fields: list[QLineEdit] = []
        for pseudonym in pseudonyms:
            field = QLineEdit()
            field.setAccessibleName(f"Real name of {pseudonym}")
            self.fields.append(field)
            form.addRow(pseudonym, field)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)
        self.kept = 0

    def accept(self) -> None:
        names = [f.text() for f in self.fields if f.text().strip()]
        try:
            with self.db.session() as session:
                self.kept = set_child_names(session, session.get(Audit, self.audit_id), names)
        except Exception as exc:  # noqa: BLE001 (shown through the one error channel)
            show_error(self, exc)
            return
        for field in self.fields:
            field.clear()
        super().accept()
