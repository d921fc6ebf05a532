"""Setting up an audit: its cases (pseudonym and age band — never a name, address or date of birth),
its auditors, and which cases each auditor is assigned (a tick per auditor and case)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QHeaderView, QLabel, QPushButton, QTableView, QVBoxLayout, QWidget
from sqlalchemy import select

from ...collation import by_name, name_key
from ...db import Database
from ...models import Audit, AuditCase, Auditor, Person
from ...services.audit.cases import AGE_BANDS, add_auditor, assign, set_case_details, unassign
from ..errors import show_error

Index = QModelIndex | QPersistentModelIndex


class AssignmentModel(QAbstractTableModel):
    """Rows: the audit's cases (with their age band, editable); columns: age band, then one per auditor."""

    def __init__(self, db: Database, parent: Any = None) -> None:
        super().__init__(parent)
        self.db = db
        self.cases: list[tuple[int, str, str]] = []  # (id, pseudonym, age band)
        self.auditors: list[tuple[int, str]] = []
        self.assigned: set[tuple[int, int]] = set()  # (auditor id, case id)

    def load(self, audit_id: int) -> None:
        self.beginResetModel()
        with self.db.session() as session:
            audit = session.get(Audit, audit_id)
            self.cases = [(c.id, c.pseudonym, c.age_band) for c in audit.cases]
            self.auditors = sorted(((a.id, f"{a.person.name}\n{a.person.organisation.display_name if a.person.organisation else ''}")
                                    for a in audit.auditors), key=lambda item: name_key(item[1]))
            self.assigned = {(a.id, x.case_id) for a in audit.auditors for x in a.assignments}
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(self.cases)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else 1 + len(self.auditors)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:  # noqa: N802
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Vertical:
            return self.cases[section][1] if section < len(self.cases) else None
        return "Age band" if section == 0 else self.auditors[section - 1][1]

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        base = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        return base | (Qt.ItemFlag.ItemIsEditable if index.column() == 0 else Qt.ItemFlag.ItemIsUserCheckable)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        case_id, _, age_band = self.cases[index.row()]
        if index.column() == 0:
            return age_band if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole) else None
        if role == Qt.ItemDataRole.CheckStateRole:
            assigned = (self.auditors[index.column() - 1][0], case_id) in self.assigned
            return Qt.CheckState.Checked if assigned else Qt.CheckState.Unchecked
        return None

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:  # noqa: N802
        if not index.isValid():
            return False
        case_id = self.cases[index.row()][0]
        try:
            with self.db.session() as session:
                case = session.get(AuditCase, case_id)
                if index.column() == 0 and role == Qt.ItemDataRole.EditRole:
                    set_case_details(case, age_band=str(value).strip())
                    self.cases[index.row()] = (case_id, case.pseudonym, case.age_band)
                elif index.column() > 0 and role == Qt.ItemDataRole.CheckStateRole:
                    auditor_id = self.auditors[index.column() - 1][0]
                    auditor = session.get(Auditor, auditor_id)
                    if Qt.CheckState(value) == Qt.CheckState.Checked:
                        assign(session, auditor, case)
                        self.assigned.add((auditor_id, case_id))
                    else:
                        unassign(session, auditor, case)
                        self.assigned.discard((auditor_id, case_id))
                else:
                    return False
        except Exception as exc:  # noqa: BLE001 — the sentence goes to the person
            show_error(None, exc)
            return False
        self.dataChanged.emit(index, index)
        return True


class SetupView(QWidget):
    def __init__(self, db: Database, on_change, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.on_change = on_change
        self.audit_id: int | None = None
        self.model = AssignmentModel(db, self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.people = QComboBox()
        add = QPushButton("Add as auditor")
        add.clicked.connect(self.add_auditor)
        row = QHBoxLayout()
        row.addWidget(QLabel("Auditor"))
        row.addWidget(self.people, 1)
        row.addWidget(add)
        self.names_button = QPushButton("Children's names for checking…")
        self.names_button.setToolTip("Type the children's real names once, so the app can warn wherever one is "
                                     "typed or sent; only a check value is kept")
        self.names_button.clicked.connect(self.check_names)
        row.addWidget(self.names_button)
        note = QLabel(f"Tick the cases each auditor grades. Age bands: {', '.join(AGE_BANDS)}. "
                      "Cases are known by pseudonym only: never record a child's name, address or date of birth.")
        note.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addLayout(row)
        layout.addWidget(note)
        layout.addWidget(self.table, 1)

    def load(self, audit_id: int) -> None:
        self.audit_id = audit_id
        self.model.load(audit_id)
        with self.db.session() as session:
            people = [(f"{p.name} ({p.organisation.display_name})", p.id) for p in
                      by_name(session.scalars(select(Person).where(Person.organisation_id.is_not(None))), lambda p: p.name)]
        self.people.clear()
        for text, person_id in people:
            self.people.addItem(text, person_id)

    def check_names(self) -> None:
        from .child_names import ChildNamesDialog

        if self.audit_id is not None:
            ChildNamesDialog(self.db, self.audit_id, self).exec()

    def add_auditor(self) -> None:
        if self.audit_id is None or self.people.currentData() is None:
            return
        try:
            with self.db.session() as session:
                add_auditor(session, session.get(Audit, self.audit_id), session.get(Person, self.people.currentData()))
        except Exception as exc:  # noqa: BLE001
            show_error(self, exc)
            return
        self.on_change()
