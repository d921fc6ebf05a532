"""The collation grid as a model: organisations (rows) × standards (columns), each cell the agreed
rating coloured by the scale, after three columns saying who has returned, partly or not yet; and the
proxy that filters it by state, by weak answers and by name."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, QSortFilterProxyModel, Qt
from PySide6.QtGui import QColor

from ...dates import short_date
from ...services.self_assessment.collation import Collation, OrganisationRow
from ..audit.scoring import text_colour

FIXED = ("Organisation", "State", "Returned")
COMPARISON_MARK = {"better": "▲", "worse": "▼", "same": "="}
Index = QModelIndex | QPersistentModelIndex
ROW_ROLE = Qt.ItemDataRole.UserRole  # the OrganisationRow of a row


def short_label(label: str) -> str:
    """A rating in a narrow grid cell: "Partially met" → "Partially", "Not met" stays whole, "N/A"."""
    if label.lower() == "not applicable":
        return "N/A"
    words = label.split()
    return label if len(words) < 2 or words[0].lower() == "not" else words[0]


class CollationModel(QAbstractTableModel):
    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.collation: Collation | None = None
        self.rows: list[OrganisationRow] = []
        self._colours: dict[str, tuple[QColor, QColor]] = {}

    def set_collation(self, collation: Collation) -> None:
        self.beginResetModel()
        self.collation = collation
        self.rows = list(collation.rows)
        self._colours = {o.label: (QColor(o.colour), text_colour(o.colour)) for o in collation.scale.options}
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802
        if parent.isValid() or self.collation is None:
            return 0
        return len(FIXED) + len(self.collation.standards)

    def standard_at(self, column: int):
        if self.collation is None or column < len(FIXED):
            return None
        return self.collation.standards[column - len(FIXED)]

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:  # noqa: N802
        if self.collation is None:
            return None
        if orientation == Qt.Orientation.Vertical:
            # The organisation as the row's header, so it stays in view however far the grid scrolls.
            if role == Qt.ItemDataRole.DisplayRole and 0 <= section < len(self.rows):
                return self.rows[section].organisation
            return None
        if section < 0 or section >= self.columnCount():
            return None
        standard = self.standard_at(section)
        if role == Qt.ItemDataRole.DisplayRole:
            return FIXED[section] if standard is None else str(standard.number)
        if role == Qt.ItemDataRole.ToolTipRole and standard is not None:
            return f"{standard.number}. {standard.title}: {standard.wording}"
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or self.collation is None:
            return None
        row = self.rows[index.row()]
        column = index.column()
        if role == ROW_ROLE:
            return row
        standard = self.standard_at(column)
        if standard is None:
            if role == Qt.ItemDataRole.DisplayRole:
                if column == 0:
                    return row.organisation
                if column == 1:
                    return row.state
                if row.returned_on:
                    return short_date(row.returned_on)
                return f"chased {', '.join(short_date(d) for d in row.chased)}" if row.chased else ""
            if role == Qt.ItemDataRole.ToolTipRole and column == 2 and row.chased:
                return "Chased on " + ", ".join(short_date(d) for d in row.chased)
            return None
        cell = row.cells.get(standard.id)
        agreed = cell.agreed if cell else ""
        if role == Qt.ItemDataRole.DisplayRole:
            if not agreed:
                return ""
            text = short_label(agreed)
            if cell.moderated:
                text += " *"
            return f"{text} {COMPARISON_MARK[cell.comparison]}" if cell.comparison else text
        if role == Qt.ItemDataRole.BackgroundRole and agreed in self._colours:
            return self._colours[agreed][0]
        if role == Qt.ItemDataRole.ForegroundRole and agreed in self._colours:
            return self._colours[agreed][1]
        if role == Qt.ItemDataRole.ToolTipRole and cell is not None:
            lines = [f"{standard.title}: {agreed or 'not rated'}"]
            if cell.moderated:
                lines.append(f"Moderated by the panel (the organisation said {cell.rating or 'nothing'})")
            if cell.previous:
                lines.append(f"{self.collation.previous_label}: {cell.previous}"
                             + (f" ({cell.comparison})" if cell.comparison else ""))
            if cell.confirmed_unchanged:
                lines.append(f"Confirmed unchanged from {cell.carried_from}")
            if cell.challenge:
                lines.append(f"Challenged: {cell.challenge}")
            return "\n".join(lines)
        return None


class CollationFilter(QSortFilterProxyModel):
    """Rows shown: by state ("" for all), weak answers on a standard (None for any), name contains text."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.state = ""
        self.weak_standard: int | None = None
        self.text = ""

    def set_filter(self, *, state: str = "", weak_standard: int | None = None, text: str = "") -> None:
        if hasattr(self, "beginFilterChange"):  # Qt 6.9 and later (as the tracker's filter)
            self.beginFilterChange()
            self.state, self.weak_standard, self.text = state, weak_standard, text.strip().lower()
            self.endFilterChange(QSortFilterProxyModel.Direction.Rows)
        else:
            self.state, self.weak_standard, self.text = state, weak_standard, text.strip().lower()
            self.invalidateRowsFilter()

    def filterAcceptsRow(self, source_row: int, source_parent: Index) -> bool:  # noqa: N802
        model: CollationModel = self.sourceModel()
        row = model.rows[source_row]
        if self.state and row.state != self.state:
            return False
        if self.text and self.text not in row.organisation.lower():
            return False
        if self.weak_standard is not None:
            cell = row.cells.get(self.weak_standard)
            if cell is None or cell.agreed not in model.collation.scale.weak:
                return False
        return True
