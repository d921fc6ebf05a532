"""The audit's findings (key learning points, what is working well, what needs to improve) and its
recommendations — all printed on the learning brief (its links to training and resources are on the
Audit details tab). Each text is on the app's one autosave (``ui/autosave.py``: queued for the
writer within a second, journalled meanwhile, saved over the text it showed so a change made
elsewhere is never overwritten); recommendations join the shared recommendation records."""

from __future__ import annotations

from typing import Any

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
from ..errors import show_error
from ..table_models import Index, RowsTableModel
from ..autosave import AutoSave, SaveTarget, refuse_if_field_changed
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
        self.autosaves: dict[str, AutoSave] = {}
        for field, box in (("key_learning", self.key_learning), ("working_well", self.working_well),
                           ("needs_improve", self.needs_improve)):
            autosave = AutoSave(db, box, parent=self)
            autosave.saved.connect(lambda _t, _x, when: self._say(f"Saved {when:%H:%M:%S}"))
            autosave.failed.connect(lambda _t, sentence: self._say(f"⚠ {sentence}"))
            self.autosaves[field] = autosave

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
            for field, autosave in self.autosaves.items():
                box, value = autosave.widget, getattr(audit, field)
                box.names = names
                autosave.load(self._target(audit_id, field, value), lambda box=box, value=value: box.set_quietly(value))
            recs = [[str(n), r.text, r.organisation.display_name if r.organisation else "Partnership"]
                    for n, r in enumerate(audit_recommendations(session, audit), start=1)]
            orgs = [(o.display_name, o.id) for o in by_name(session.scalars(select(Organisation)), lambda o: o.name)]
        self.recs.set_rows(recs)
        self.rec_org.clear()
        self.rec_org.addItem("The partnership", None)
        for name, org_id in orgs:
            self.rec_org.addItem(name, org_id)

    def _target(self, audit_id: int, field: str, text: str) -> SaveTarget:
        label = {"key_learning": "the learning points", "working_well": "what is working well",
                 "needs_improve": "what needs to improve"}[field]
        target = SaveTarget(f"audit/{audit_id}", field, f"{label} of the audit", None, None, key=audit_id,
                            what="finding", written=text)

        def save(session: Any, text: str, _version: int | None) -> None:
            audit = session.get(Audit, audit_id)
            refuse_if_field_changed(session, audit, getattr(audit, field), target, text)
            set_findings(audit, **{field: text})

        target.save = save
        return target

    def _say(self, sentence: str) -> None:
        self.saved.setText(sentence)
        self.saved.setStyleSheet("color: #b00020; font-weight: bold;" if sentence.startswith("⚠") else "color: #2e7d32;")

    def save(self) -> None:
        """Queue what changed (never waits)."""
        for autosave in self.autosaves.values():
            autosave.save_now()

    def flush(self) -> bool:
        """Save and wait (closing): True when the database holds every text shown."""
        return all([autosave.flush() for autosave in self.autosaves.values()])

    @property
    def problem(self) -> str:
        return next((a.problem for a in self.autosaves.values() if a.problem), "")

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
