"""The navigator: Rounds → each round → its reviews; Organisations; People; feature sections.

In a regional database (more than one partnership: rounds imported for the regional report) the
rounds are grouped by partnership — Rounds → each partnership → its rounds → their reviews — and
browsed the same way. A round's reviews are loaded when the round is first expanded or selected.
``refresh`` updates the labels in place (it never reselects, so a form being typed in is not
reloaded under the cursor).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QTreeWidget, QTreeWidgetItem

if TYPE_CHECKING:
    from ..services.first_page import FirstPage
    from .main_window import MainWindow

# Qt.ItemDataRole.UserRole as a plain number: touching the Qt namespace builds ~130 Python enums,
# which would delay the first paint of the window.
ROLE = 256
PLACEHOLDER = "placeholder"


class Navigator(QTreeWidget):
    # (kind, record id or None): kind is "welcome", "rounds", "partnership", "round", "review", or a section key.
    selection_changed = Signal(str, object)

    def __init__(self, window: MainWindow) -> None:
        super().__init__()
        self.window_ = window
        self.setHeaderHidden(True)
        self.setMinimumWidth(180)
        self.setAccessibleName("Navigator")
        self.regional = False  # more than one partnership: rounds grouped by partnership
        self.rounds_item = self._top("Rounds", "rounds")
        self.organisations_item = self._top("Organisations", "organisations")
        self.people_item = self._top("People", "people")
        self._shown_first = False  # filled by show_first, not yet by start
        self.itemExpanded.connect(self._load_children)
        self.currentItemChanged.connect(self._current_changed)

    def _top(self, title: str, key: str) -> QTreeWidgetItem:
        item = QTreeWidgetItem(self, [title])
        item.setData(0, ROLE, (key, None))
        if self.window_.db is not None:
            self._emphasise(item)
        return item

    def _emphasise(self, item: QTreeWidgetItem) -> None:
        font = item.font(0)
        font.setBold(True)
        item.setFont(0, font)

    def add_section(self, key: str, title: str) -> None:
        self._top(title, key)

    def show_first(self, first: FirstPage) -> None:
        """Fill the rounds and the newest round's reviews from the first page's plain read and select
        the newest round, before the database is open (no page is built for it here: the window shows
        it). Another item chosen meanwhile is shown once the file is open (``start``)."""
        for i in range(self.topLevelItemCount()):
            self._emphasise(self.topLevelItem(i))
        self.blockSignals(True)
        try:
            self._sync(self.rounds_item, "round", list(first.rounds))
            self.rounds_item.setExpanded(True)
            newest = self.rounds_item.child(self.rounds_item.childCount() - 1) if first.rounds else None
            if newest is not None:
                newest.takeChild(0)  # the placeholder: its reviews are here already
                self._sync(newest, "review", list(first.reviews))
                newest.setExpanded(True)
            self.setCurrentItem(newest or self.rounds_item)
        finally:
            self.blockSignals(False)
        self._shown_first = True

    def start(self) -> None:
        """Fill the rounds and select the newest (or Rounds, which shows the welcome when empty); after
        ``show_first``, the item the person chose while the file was opening, if any."""
        for i in range(self.topLevelItemCount()):
            self._emphasise(self.topLevelItem(i))
        current = self.currentItem()
        chosen = current.data(0, ROLE) if current is not None and self._shown_first else None
        self._shown_first = False
        # Qt may have made an item current while the file was still opening; forget it, or filling
        # the rounds below would build that item's page before the one shown first.
        self.blockSignals(True)
        self.setCurrentItem(None)
        self.blockSignals(False)
        self.refresh("*")
        self.rounds_item.setExpanded(True)
        parent = self.rounds_item
        if parent.childCount() and parent.child(0).data(0, ROLE)[0] == "partnership":
            parent = parent.child(0)  # a regional database: this database's own partnership comes first
            parent.setExpanded(True)
        newest = parent.child(parent.childCount() - 1) if parent.childCount() else None
        if newest is not None:
            newest.setExpanded(True)  # its reviews in view: the usual next click
        for i in range(self.rounds_item.childCount()):
            if self.rounds_item.child(i).isExpanded():  # one opened while the file was opening
                self._load_children(self.rounds_item.child(i))
        if chosen is not None and chosen[0] != PLACEHOLDER and self.select(*chosen):
            return
        self.setCurrentItem(newest or self.rounds_item)

    # ----- selection ----------------------------------------------------------------------------
    def _kind_and_id(self, item: QTreeWidgetItem | None) -> tuple[str, int | None]:
        if item is None:
            return ("rounds", None)
        return item.data(0, ROLE)

    def _current_changed(self, current: QTreeWidgetItem | None, previous: QTreeWidgetItem | None) -> None:
        if self.window_.db is None:
            return  # the window is showing before the database is open
        kind, record_id = self._kind_and_id(current)
        if kind == "round" and current is not None:
            self._load_children(current)
        if kind == "rounds" and self.rounds_item.childCount() == 0:
            kind = "welcome"
        self.selection_changed.emit(kind, record_id)

    def current_round_id(self) -> int | None:
        item = self.currentItem()
        while item is not None:
            kind, record_id = self._kind_and_id(item)
            if kind == "round":
                return record_id
            item = item.parent()
        return None

    def current_review_id(self) -> int | None:
        kind, record_id = self._kind_and_id(self.currentItem())
        return record_id if kind == "review" else None

    def select(self, kind: str, record_id: int | None) -> bool:
        """Select the item for a record (loading a round's reviews if needed)."""
        from ..services import listing

        if kind == "review":
            with self.window_.db.session() as session:
                round_id = listing.round_of_review(session, record_id)
            round_item = self._find_round(round_id)
            if round_item is None:
                return False
            self._load_children(round_item)
            round_item.setExpanded(True)
            item = self._find(round_item, "review", record_id)
        elif kind == "round":
            item = self._find_round(record_id)
            if item is not None and item.parent() is not self.rounds_item:
                item.parent().setExpanded(True)
        else:
            item = next((self.topLevelItem(i) for i in range(self.topLevelItemCount())
                         if self._kind_and_id(self.topLevelItem(i))[0] == kind), None)
        if item is None:
            return False
        self.setCurrentItem(item)
        return True

    # ----- contents -----------------------------------------------------------------------------
    def _find(self, parent: QTreeWidgetItem, kind: str, record_id: int | None) -> QTreeWidgetItem | None:
        for i in range(parent.childCount()):
            if parent.child(i).data(0, ROLE) == (kind, record_id):
                return parent.child(i)
        return None

    def _round_items(self) -> list[QTreeWidgetItem]:
        """Every round's item: children of Rounds, or of its partnerships in a regional database."""
        items = []
        for i in range(self.rounds_item.childCount()):
            child = self.rounds_item.child(i)
            if child.data(0, ROLE)[0] == "partnership":
                items.extend(child.child(j) for j in range(child.childCount()))
            elif child.data(0, ROLE)[0] == "round":
                items.append(child)
        return items

    def _find_round(self, round_id: int | None) -> QTreeWidgetItem | None:
        return next((item for item in self._round_items() if item.data(0, ROLE) == ("round", round_id)), None)

    def _load_children(self, item: QTreeWidgetItem) -> None:
        from ..services import listing

        kind, record_id = self._kind_and_id(item)
        if kind != "round" or item.childCount() != 1 or item.child(0).data(0, ROLE)[0] != PLACEHOLDER:
            return
        if self.window_.db is None:
            return  # expanded while the file is opening: ``start`` fills it
        with self.window_.db.session() as session:
            reviews = listing.reviews_of_round(session, record_id)
        item.takeChild(0)
        self._sync(item, "review", reviews)

    def refresh(self, table: str = "*") -> None:
        """Bring the labels up to date after a change (adds and removes items, keeps the selection)."""
        from ..services import listing  # imported on first use: the window shows before SQLAlchemy loads

        if self.window_.db is None or table not in ("*", "round", "review", "organisation", "partnership"):
            return
        with self.window_.db.session() as session:
            groups = listing.rounds_by_partnership(session)
            self.regional = len(groups) > 1
            if not self.regional:
                groups = [(None, "", groups[0][2] if groups else [])]
            loaded = {}
            for child in self._round_items():
                if not (child.childCount() == 1 and child.child(0).data(0, ROLE)[0] == PLACEHOLDER):
                    loaded[child.data(0, ROLE)[1]] = listing.reviews_of_round(session, child.data(0, ROLE)[1])
        current = self.currentItem()
        was_current = current.data(0, ROLE) if current is not None else None
        self.blockSignals(True)
        try:
            if groups[0][0] is None:  # one partnership: its rounds straight under Rounds
                self._sync(self.rounds_item, "partnership", [])
                self._sync(self.rounds_item, "round", groups[0][2])
            else:
                self._sync(self.rounds_item, "round", [])
                self._sync(self.rounds_item, "partnership", [(pid, label) for pid, label, _ in groups])
                for index, (_pid, _label, rounds) in enumerate(groups):
                    self._sync(self.rounds_item.child(index), "round", rounds)
            for child in self._round_items():
                record_id = child.data(0, ROLE)[1]
                if record_id in loaded:
                    self._sync(child, "review", loaded[record_id])
                elif child.childCount() == 0:
                    placeholder = QTreeWidgetItem(child, ["…"])
                    placeholder.setData(0, ROLE, (PLACEHOLDER, None))
        finally:
            self.blockSignals(False)
        now = self.currentItem()
        if was_current is not None and (now is None or now.data(0, ROLE) != was_current):
            self._current_changed(now, None)  # the selected record went away
        elif was_current is not None and was_current[0] == "rounds":
            self._current_changed(now, None)  # Rounds shows the welcome page only while empty

    def _sync(self, parent: QTreeWidgetItem, kind: str, rows: list[tuple[int, str]]) -> None:
        existing = {parent.child(i).data(0, ROLE)[1]: parent.child(i) for i in range(parent.childCount())
                    if parent.child(i).data(0, ROLE)[0] == kind}
        wanted = [record_id for record_id, _ in rows]
        for record_id, item in existing.items():
            if record_id not in wanted:
                current = self.currentItem()
                if current is not None and (current is item or current.parent() is item):
                    self.setCurrentItem(parent)  # what was shown went away: show what held it
                parent.removeChild(item)
        for index, (record_id, label) in enumerate(rows):
            item = existing.get(record_id)
            if item is None:
                item = QTreeWidgetItem([label])
                item.setData(0, ROLE, (kind, record_id))
                if kind == "partnership":
                    item.setToolTip(0, label)  # partnerships' names are long; the column is narrow
                parent.insertChild(index, item)
                if kind == "round":
                    placeholder = QTreeWidgetItem(item, ["…"])
                    placeholder.setData(0, ROLE, (PLACEHOLDER, None))
            else:
                item.setText(0, label)
                if parent.indexOfChild(item) != index:
                    expanded = item.isExpanded()
                    parent.takeChild(parent.indexOfChild(item))
                    parent.insertChild(index, item)
                    item.setExpanded(expanded)
