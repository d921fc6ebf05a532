"""The tracker's table: a model over ``TrackerRow``s and the proxy that filters and sorts them.

Filtering and sorting read the rows directly (not through ``data()``) so that 5,000 recommendations
filter in a few milliseconds. Overdue rows are tinted red and due-soon rows amber, and the
"Follow-up" column says the same in words, so the colour is never the only sign.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, QSortFilterProxyModel, Qt
from PySide6.QtGui import QBrush, QColor

from ...collation import name_key
from ...dates import short_date
from ...services.tracker.rows import TrackerFilter, TrackerRow

COLUMNS = ("Reference", "Organisation", "Recommendation", "Lead", "Due", "Follow-up", "Status", "Progress")
COL_REFERENCE, COL_ORGANISATION, COL_TEXT, COL_LEAD, COL_DUE, COL_FOLLOW_UP, COL_STATUS, COL_PROGRESS = range(8)
ROW_ROLE = Qt.ItemDataRole.UserRole + 1  # the TrackerRow itself
OVERDUE_BRUSH = QBrush(QColor("#f8d7d7"))
DUE_SOON_BRUSH = QBrush(QColor("#fff1c9"))
OVERDUE_TEXT = QBrush(QColor("#8a1010"))

ROLES_ANSWERED = frozenset((Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole, Qt.ItemDataRole.BackgroundRole,
                            Qt.ItemDataRole.ForegroundRole, ROW_ROLE))

Index = QModelIndex | QPersistentModelIndex


def progress_text(row: TrackerRow) -> str:
    if not row.note_count:
        return ""
    return "1 note" if row.note_count == 1 else f"{row.note_count} notes"


class TrackerTableModel(QAbstractTableModel):
    def __init__(self, today: date | None = None, parent: Any = None) -> None:
        super().__init__(parent)
        self.rows: list[TrackerRow] = []
        self.today = today or date.today()
        self._row_of: dict[int, int] = {}
        self.version = 0  # increases with every change of the rows (the proxy's filter mask follows)

    def set_rows(self, rows: list[TrackerRow], today: date | None = None) -> None:
        self.beginResetModel()
        self.version += 1
        self.rows = list(rows)
        self.today = today or self.today
        self._row_of = {row.id: index for index, row in enumerate(self.rows)}
        self.endResetModel()

    def replace_rows(self, rows: list[TrackerRow]) -> None:
        """Put fresh copies of some rows in place (after a change to them)."""
        for row in rows:
            self.version += 1
            index = self._row_of.get(row.id)
            if index is None:
                self.beginInsertRows(QModelIndex(), len(self.rows), len(self.rows))
                self._row_of[row.id] = len(self.rows)
                self.rows.append(row)
                self.endInsertRows()
            else:
                self.rows[index] = row
                self.dataChanged.emit(self.index(index, 0), self.index(index, len(COLUMNS) - 1))

    def row_of(self, rec_id: int) -> int | None:
        return self._row_of.get(rec_id)

    def row_by_id(self, rec_id: int) -> TrackerRow | None:
        index = self._row_of.get(rec_id)
        return self.rows[index] if index is not None else None

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802 (Qt's name)
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:  # noqa: N802
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal and 0 <= section < len(COLUMNS):
            return COLUMNS[section]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        # Qt asks for a dozen roles per cell when painting; answer the ones not used at once.
        if role not in ROLES_ANSWERED or not index.isValid() or not 0 <= index.row() < len(self.rows):
            return None
        row = self.rows[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self.display(row, column)
        if role == Qt.ItemDataRole.ToolTipRole:
            if column == COL_REFERENCE:
                return row.reference
            if column == COL_TEXT:
                return row.text
            if column == COL_PROGRESS and row.last_note:
                return f"Latest, {short_date(row.last_note_date)}: {row.last_note}"
            return self.display(row, column) or None
        if role == Qt.ItemDataRole.BackgroundRole:
            if row.is_overdue(self.today):
                return OVERDUE_BRUSH
            if row.is_due_soon(self.today):
                return DUE_SOON_BRUSH
            return None
        if role == Qt.ItemDataRole.ForegroundRole and column == COL_FOLLOW_UP and row.is_overdue(self.today):
            return OVERDUE_TEXT
        if role == ROW_ROLE:
            return row
        return None

    def display(self, row: TrackerRow, column: int) -> str:
        if column == COL_REFERENCE:
            return row.short_reference
        if column == COL_ORGANISATION:
            return row.organisation
        if column == COL_TEXT:
            return " ".join(row.text.split())  # one line in the table; the full text in the side panel
        if column == COL_LEAD:
            return row.lead
        if column == COL_DUE:
            return short_date(row.due_date)
        if column == COL_FOLLOW_UP:
            return row.urgency(self.today)
        if column == COL_STATUS:
            return row.status
        if column == COL_PROGRESS:
            return progress_text(row)
        return ""


def sort_key(row: TrackerRow, column: int, today: date) -> tuple:
    if column == COL_REFERENCE:
        # "recommendation 10" after "recommendation 9": compare the trailing number as a number
        head, _, tail = row.short_reference.rpartition(" ")
        return (head, 0, int(tail), "") if tail.isdigit() else (head, 1, 0, tail)
    if column in (COL_DUE, COL_FOLLOW_UP):
        # no due date last; for follow-up, closed ones after every open one
        closed = column == COL_FOLLOW_UP and not row.is_open
        return (row.due_date is None or closed, row.due_date or date.max)
    if column == COL_PROGRESS:
        return (row.last_note_date or date.min, row.note_count)
    if column == COL_STATUS:
        return (row.status,)
    return name_key({COL_ORGANISATION: row.organisation, COL_TEXT: row.text, COL_LEAD: row.lead}.get(column, ""))


class TrackerProxy(QSortFilterProxyModel):
    """Filters by a ``TrackerFilter`` and sorts on the rows' own values."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.tracker_filter = TrackerFilter()
        # Which source rows pass, worked out in one Python pass per filter (or change of the rows),
        # so the thousands of filterAcceptsRow calls from Qt are each a list lookup.
        self._mask: list[bool] = []
        self._mask_key: tuple | None = None
        self._shows_all = True  # no filter: every row passes without a look at it

    def set_filter(self, tracker_filter: TrackerFilter) -> None:
        shows_all = tracker_filter == TrackerFilter()
        if hasattr(self, "beginFilterChange"):  # Qt 6.9 and later
            self.beginFilterChange()
            self.tracker_filter, self._shows_all = tracker_filter, shows_all
            self.endFilterChange(QSortFilterProxyModel.Direction.Rows)
        else:
            self.tracker_filter, self._shows_all = tracker_filter, shows_all
            self.invalidateRowsFilter()

    def filterAcceptsRow(self, source_row: int, source_parent: Index) -> bool:  # noqa: N802
        return self._shows_all or self.mask()[source_row]

    def mask(self) -> list[bool]:
        model = self.sourceModel()
        key = (model.version, model.today, id(self.tracker_filter))
        if key != self._mask_key:
            self._mask = ([True] * len(model.rows) if self._shows_all
                          else list(map(self.tracker_filter.predicate(model.today), model.rows)))
            self._mask_key = key
        return self._mask

    def lessThan(self, left: Index, right: Index) -> bool:  # noqa: N802
        model = self.sourceModel()
        today, column = model.today, left.column()
        return sort_key(model.rows[left.row()], column, today) < sort_key(model.rows[right.row()], column, today)
