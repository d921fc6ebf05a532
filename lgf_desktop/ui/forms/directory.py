"""The Organisations and People pages: editable tables with a filter, add, remove and history."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QSortFilterProxyModel, Qt
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QLineEdit, QVBoxLayout

from ...collation import name_key
from ...models import SECTORS, Organisation, Person
from ...services import editing, listing
from .common import Column, Message, Page, RecordTableModel, button, selected_id, table_view



class NameSortProxy(QSortFilterProxyModel):
    """Sorts text columns as names are filed ("Łukasz" under L; see ``collation``)."""

    def lessThan(self, left, right) -> bool:  # noqa: N802 (Qt's name)
        a, b = left.data(), right.data()
        if isinstance(a, str) and isinstance(b, str):
            return name_key(a) < name_key(b)
        return super().lessThan(left, right)

class DirectoryPage(Page):
    """A filtered, editable table of one kind of record."""

    title = ""
    model_class: type = Organisation
    noun = ""

    def __init__(self, window: Any) -> None:
        super().__init__(window)
        layout = QVBoxLayout(self)
        head = QHBoxLayout()
        head.addWidget(QLabel(f"<h2>{self.title}</h2>"), 1)
        self.filter = QLineEdit()
        self.filter.setPlaceholderText("Filter…")
        self.filter.setClearButtonEnabled(True)
        self.filter.setMaximumWidth(280)
        head.addWidget(self.filter)
        layout.addLayout(head)
        self.model = RecordTableModel(self.columns(), self._edit, self)
        self.proxy = NameSortProxy(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.proxy.setFilterKeyColumn(-1)
        self.filter.textChanged.connect(self.proxy.setFilterFixedString)
        self.view = table_view(self.proxy, stretch=0)
        self.view.setSortingEnabled(True)
        self.view.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        layout.addWidget(self.view, 1)
        self.add_row = QHBoxLayout()
        layout.addLayout(self.add_row)
        self.build_add_row(self.add_row)
        self.add_row.addStretch(1)
        self.add_row.addWidget(button("History…", self._history))
        self.add_row.addWidget(button("Remove…", self.remove))
        self.error = Message(self)
        layout.addWidget(self.error)
        window.data_changed.connect(self._changed)
        self.load()

    def columns(self) -> tuple[Column, ...]:
        raise NotImplementedError

    def build_add_row(self, row: QHBoxLayout) -> None:
        raise NotImplementedError

    def _changed(self, table: str) -> None:
        if table in ("*", "organisation", "person") and self.isVisible() and not self.own_change:
            self.load()

    def _edit(self, row: dict, key: str, value: Any) -> bool:
        return self.save(self.model_class, row["id"], self.model_class.__tablename__, self.error, **{key: value})

    def _history(self) -> None:
        record_id = selected_id(self.view)
        if record_id is not None:
            self.main.show_history(self.model_class, record_id)

    def remove(self) -> None:
        record_id = selected_id(self.view)
        if record_id is None:
            return
        name = self.model.rows[self.model.row_of(record_id)]["name"]
        if self.main.delete_with_undo(self.model_class, record_id, f"{self.noun} {name}".strip()):
            self.load()


class OrganisationsPage(DirectoryPage):
    title = "Organisations"
    model_class = Organisation
    noun = "the organisation"

    def columns(self) -> tuple[Column, ...]:
        return (Column("Name", "name", editable=True), Column("Short name", "short_name", editable=True),
                Column("Sector", "sector", editable=True, choices=tuple((s, s) for s in SECTORS)),
                # How the same organisation is recognised in other partnerships' rounds (regional report).
                Column("ODS code", "ods_code", editable=True))

    def build_add_row(self, row: QHBoxLayout) -> None:
        self.new_name, self.new_short = QLineEdit(), QLineEdit()
        self.new_name.setPlaceholderText("Full name")
        self.new_short.setPlaceholderText("Short name")
        self.new_sector = QComboBox()
        self.new_sector.addItems(SECTORS)
        self.new_sector.setCurrentText("Other")
        self.new_name.returnPressed.connect(self.add)
        for widget in (self.new_name, self.new_short, self.new_sector):
            row.addWidget(widget)
        row.addWidget(button("Add organisation", self.add))

    def load(self, _record_id: int | None = None) -> None:
        with self.db.session() as session:
            rows = listing.organisations(session)
        self.model.set_rows(rows)
        self.view.resizeColumnsToContents()

    def add(self) -> None:
        name, short, sector = self.new_name.text(), self.new_short.text(), self.new_sector.currentText()
        if self.apply(lambda s: editing.add_organisation(s, name, short, sector), "organisation", self.error):
            self.new_name.clear()
            self.new_short.clear()
            self.load()


class PeoplePage(DirectoryPage):
    title = "People"
    model_class = Person
    noun = ""

    def columns(self) -> tuple[Column, ...]:
        with self.db.session() as session:
            self._organisations = tuple(listing.organisation_choices(session))
        return (Column("Name", "name", editable=True), Column("Role", "role_title", editable=True),
                Column("Organisation", "organisation_id", editable=True, choices=((None, ""), *self._organisations)))

    def build_add_row(self, row: QHBoxLayout) -> None:
        self.new_name, self.new_role = QLineEdit(), QLineEdit()
        self.new_name.setPlaceholderText("Name")
        self.new_role.setPlaceholderText("Role title")
        self.new_org = QComboBox()
        self.new_name.returnPressed.connect(self.add)
        for widget in (self.new_name, self.new_role, self.new_org):
            row.addWidget(widget)
        row.addWidget(button("Add person", self.add))

    def load(self, _record_id: int | None = None) -> None:
        with self.db.session() as session:
            organisations = tuple(listing.organisation_choices(session))
            rows = listing.people(session)
        # The organisation column's choices follow the Organisations page.
        self.model.columns[2] = Column("Organisation", "organisation_id", editable=True,
                                       choices=((None, ""), *organisations))
        self.model.set_rows(rows)
        self.view.resizeColumnsToContents()
        self.new_org.clear()
        self.new_org.addItem("(no organisation)", None)
        for oid, name in organisations:
            self.new_org.addItem(name, oid)

    def add(self) -> None:
        name, role, org = self.new_name.text(), self.new_role.text(), self.new_org.currentData()
        if self.apply(lambda s: editing.add_person(s, name, role, org), "person", self.error):
            self.new_name.clear()
            self.new_role.clear()
            self.load()
