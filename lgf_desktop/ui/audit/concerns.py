"""The immediate-concern banner: red, above every audit tab, until the coordinator records what was
done about each concern."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QInputDialog, QLabel, QPushButton, QWidget

from ...db import Database
from ...models import Assignment, Audit
from ...services.audit.grading import open_concerns, resolve_concern
from ..errors import show_error


class ConcernBanner(QWidget):
    def __init__(self, db: Database, on_change, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.on_change = on_change
        self.assignment_ids: list[int] = []
        self.setObjectName("concernBanner")
        # White on red for the banner's own text only: a rule for every QLabel also reached the dialogs
        # opened from it ("What was done…" read white on grey).
        self.setStyleSheet("#concernBanner { background: #c62828; } #concernText { color: white; font-weight: bold; }")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.text = QLabel(wordWrap=True)
        self.text.setObjectName("concernText")
        self.first_case = ""
        self.button = QPushButton("Record what was done…")
        self.button.clicked.connect(self.resolve_first)
        layout = QHBoxLayout(self)
        layout.addWidget(self.text, 1)
        layout.addWidget(self.button)
        self.hide()

    def load(self, audit_id: int, coordinator: bool) -> None:
        with self.db.session() as session:
            concerns = open_concerns(session, session.get(Audit, audit_id))
            self.assignment_ids = [c.id for c in concerns]
            self.first_case = concerns[0].case.pseudonym if concerns else ""
            lines = [f"⚠ IMMEDIATE CONCERN — {c.case.pseudonym} (raised by {c.auditor.person.name}): {c.concern_text}"
                     for c in concerns]
        self.text.setText("\n".join(lines))
        self.button.setVisible(coordinator and bool(lines))
        self.setVisible(bool(lines))

    def resolve_first(self) -> None:
        if not self.assignment_ids:
            return
        action, ok = QInputDialog.getMultiLineText(self.window(), "Immediate concern",
                                                   f"What was done about the concern for {self.first_case}?")
        if not ok:
            return
        try:
            with self.db.session() as session:
                resolve_concern(session.get(Assignment, self.assignment_ids[0]), action)
        except Exception as exc:  # noqa: BLE001
            show_error(self, exc)
            return
        self.on_change()
