"""The audit's findings (key learning points, what is working well, what needs to improve) and its
recommendations — all printed on the learning brief (its links to training and resources are on the
Audit details tab). The texts save themselves within a second; recommendations join the shared
recommendation records."""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox, QGridLayout, QGroupBox, QHBoxLayout, QHeaderView, QLabel, QLineEdit, QPushButton,
    QTableView, QVBoxLayout, QWidget,
)
from sqlalchemy import select

from ...collation import by_name
from ...db import Database
from ...models import Audit, Organisation
from ...services.audit.findings import add_audit_recommendation, audit_recommendations, set_findings
from ...services.privacy.child_names import child_names
from ..autosave import SaveSchedule
from ..errors import show_error
from ..table_models import Index, RowsTableModel
from .side_panel import WatchedText



class RowsModel(RowsTableModel):
    """A read-only table of plain rows of strings (recommendations, conflicts)."""

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> str | None:
        if index.isValid() and role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return self.rows[index.row()][index.column()]
        return None


def _table(model: RowsModel) -> QTableView:
    view = QTableView()
    view.setModel(model)
    view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
    if model.headers[0] == "No.":  # the number column only as wide as the numbers
        view.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        view.horizontalHeader().setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
    view.verticalHeader().hide()
    view.setMaximumHeight(130)
    return view


class FindingsView(QWidget):
    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.audit_id: int | None = None
        self.saved = QLabel()
        self.saved.setStyleSheet("color: #2e7d32;")
        self.key_learning = WatchedText("Key learning points, one per line")
        self.working_well = WatchedText("What is working well, one point per line")
        self.needs_improve = WatchedText("What needs to improve, one point per line")
        texts = QGridLayout()
        for column, (title, box) in enumerate((("Learning points", self.key_learning), ("What is working well", self.working_well),
                                               ("What needs to improve", self.needs_improve))):
            texts.addWidget(QLabel(f"<b>{title}</b>"), 0, column)
            texts.addWidget(box, 1, column)
            texts.addWidget(box.warning, 2, column)
        # The app's one rule for when text saves (ui/autosave.py): a pause, or a second at most.
        self.timer = SaveSchedule([self.key_learning, self.working_well, self.needs_improve], self)
        self.timer.due.connect(self.save)
        for box in (self.key_learning, self.working_well, self.needs_improve):
            box.textChanged.connect(self.timer.edited)

        self.recs = RowsModel(["No.", "Recommendation", "For"], self)
        self.rec_text = QLineEdit(placeholderText="A recommendation agreed from this audit")
        self.rec_org = QComboBox()
        add_rec = QPushButton("Add recommendation")
        add_rec.clicked.connect(self.add_recommendation)
        self.rec_text.returnPressed.connect(self.add_recommendation)
        rec_box = QGroupBox("Recommendations (followed up in the tracker with the Section 11 ones)")
        rec_layout = QVBoxLayout(rec_box)
        rec_layout.addWidget(_table(self.recs))
        row = QHBoxLayout()
        row.addWidget(self.rec_text, 3)
        row.addWidget(self.rec_org, 1)
        row.addWidget(add_rec)
        rec_layout.addLayout(row)

        layout = QVBoxLayout(self)
        layout.addLayout(texts, 2)
        layout.addWidget(self.saved)
        layout.addWidget(rec_box)

    def load(self, audit_id: int) -> None:
        self.save()
        self.audit_id = audit_id
        with self.db.session() as session:
            audit = session.get(Audit, audit_id)
            names = child_names(session)
            for box, value in ((self.key_learning, audit.key_learning), (self.working_well, audit.working_well),
                               (self.needs_improve, audit.needs_improve)):
                box.names = names
                box.set_quietly(value)
            recs = [[str(n), r.text, r.organisation.display_name if r.organisation else "Partnership"]
                    for n, r in enumerate(audit_recommendations(session, audit), start=1)]
            orgs = [(o.display_name, o.id) for o in by_name(session.scalars(select(Organisation)), lambda o: o.name)]
        self.recs.set_rows(recs)
        self.rec_org.clear()
        self.rec_org.addItem("The partnership", None)
        for name, org_id in orgs:
            self.rec_org.addItem(name, org_id)

    def save(self) -> None:
        self.timer.stop()
        if self.audit_id is None:
            return
        with self.db.session() as session:
            audit = session.get(Audit, self.audit_id)
            before = (audit.key_learning, audit.working_well, audit.needs_improve)
            set_findings(audit, key_learning=self.key_learning.toPlainText(), working_well=self.working_well.toPlainText(),
                         needs_improve=self.needs_improve.toPlainText())
            changed = before != (audit.key_learning, audit.working_well, audit.needs_improve)
        if changed:
            self.saved.setText(f"Saved {datetime.now():%H:%M:%S}")

    def add_recommendation(self) -> None:
        try:
            with self.db.session() as session:
                org_id = self.rec_org.currentData()
                add_audit_recommendation(session, session.get(Audit, self.audit_id), self.rec_text.text(),
                                         organisation=session.get(Organisation, org_id) if org_id else None)
        except Exception as exc:  # noqa: BLE001 — one sentence to the person
            show_error(self, exc)
            return
        self.rec_text.clear()
        self.load(self.audit_id)
