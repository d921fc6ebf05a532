"""The conflict list: answers changed both here and in an auditor's return since the package was
issued. Nothing was overwritten; the coordinator keeps this database's answer or takes the auditor's."""

from __future__ import annotations

from PySide6.QtWidgets import QAbstractItemView, QHBoxLayout, QHeaderView, QLabel, QPushButton, QTableView, QVBoxLayout, QWidget

from ...db import Database
from ...models import Audit, MergeConflict
from ...services.audit.merge import describe_conflict, resolve_conflict, unresolved_conflicts
from ..errors import show_error
from .findings import RowsModel


class ConflictsView(QWidget):
    def __init__(self, db: Database, on_change, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.on_change = on_change
        self.audit_id: int | None = None
        self.ids: list[int] = []
        self.model = RowsModel(["Where", "This database", "The auditor's return"], self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setWordWrap(True)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.status = QLabel()
        keep = QPushButton("Keep this database's answer")
        take = QPushButton("Take the auditor's answer")
        keep.clicked.connect(lambda: self.resolve("local"))
        take.clicked.connect(lambda: self.resolve("incoming"))
        buttons = QHBoxLayout()
        buttons.addWidget(self.status, 1)
        buttons.addWidget(keep)
        buttons.addWidget(take)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)

    def load(self, audit_id: int) -> None:
        self.audit_id = audit_id
        with self.db.session() as session:
            conflicts = unresolved_conflicts(session, session.get(Audit, audit_id))
            self.ids = [c.id for c in conflicts]
            rows = [list(describe_conflict(session, c)) for c in conflicts]
        self.model.set_rows(rows)
        self.status.setText(f"{len(rows)} answer(s) changed on both sides wait for your choice." if rows
                            else "No conflicts: every return merged cleanly.")

    def resolve(self, keep: str) -> None:
        index = self.table.currentIndex()
        if not index.isValid():
            self.status.setText("Select a conflict first.")
            return
        try:
            with self.db.session() as session:
                resolve_conflict(session, session.get(MergeConflict, self.ids[index.row()]), keep)
        except Exception as exc:  # noqa: BLE001
            show_error(self, exc)
        self.on_change()
