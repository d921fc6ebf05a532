"""The tracker screen: a summary strip, filters and a search box, the table of recommendations
(overdue and due-soon rows stand out), the side panel with the selected one's details and history,
and a bar to change the status of every selected row at once, add a recommendation or export.

Rows are loaded on a worker thread (``run_task``), started before the widgets are built, so a large
tracker never freezes the window; after a change only the changed rows are reloaded.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from PySide6.QtCore import QByteArray, QItemSelectionModel, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView, QCheckBox, QComboBox, QFileDialog, QHBoxLayout, QHeaderView, QLabel, QLineEdit, QPushButton,
    QSplitter, QTableView, QVBoxLayout, QWidget,
)

from ...db import Database
from ...errors import UserError
from ...models import RECOMMENDATION_STATUSES
from ...paths import documents_folder
from ...services.tracker.actions import add_recommendation, needs_evidence, set_status
from ...services.tracker.rows import Choices, TrackerFilter, TrackerRow, choices, summary, tracker_rows
from ..errors import show_error
from ..tasks import run_task
from .detail import DetailPanel
from .dialogs import AddRecommendationDialog, CompletionDialog
from .model import COL_TEXT, ROW_ROLE, TrackerProxy, TrackerTableModel

# Widest each column but the recommendation's own text starts at: on the first load a column is as
# wide as its contents (an empty Lead or Due column no wider than its header), and the text takes the
# rest. Widths the user sets by dragging are remembered (QSettings, beside the window's layout).
COLUMN_MAX = (150, 100, 0, 120, 90, 110, 95, 80)
COLUMNS_SETTING = "tracker/columns"


class TrackerScreen(QWidget):
    # A table name after this screen committed a change (the main window passes it on).
    changed = Signal(str)
    loaded = Signal()
    exported = Signal(str)  # the file written

    def __init__(self, db: Database, parent: QWidget | None = None, today: date | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self._fixed_today = today
        self.choices: Choices | None = None
        self._pending_organisation: object = None  # asked for before the rows had loaded
        # Start loading first: the worker's database work overlaps building the widgets below, and
        # its rows can only arrive (a queued signal) once this constructor has returned.
        self.refresh()
        self.model = TrackerTableModel(self.today, self)
        self.proxy = TrackerProxy(self)
        self.proxy.setSourceModel(self.model)

        self.summary = QLabel("Loading recommendations…")
        self.summary.setTextFormat(Qt.TextFormat.RichText)
        self.summary.setStyleSheet("padding: 4px 2px")
        self.source = QComboBox()
        self.organisation = QComboBox()
        self.status = QComboBox()
        self.origin = QComboBox()  # a round or an audit
        self.overdue = QCheckBox("Overdue only")
        self.search = QLineEdit()
        self.search.setPlaceholderText("Search text, reference, organisation, lead…")
        self.search.setClearButtonEnabled(True)
        clear = QPushButton("Clear filters")
        clear.clicked.connect(self.clear_filters)
        filters = QHBoxLayout()
        for widget in (self.source, self.organisation, self.status, self.origin):
            widget.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
            widget.setMinimumContentsLength(12)
            filters.addWidget(widget)
        filters.addWidget(self.overdue)
        filters.addWidget(self.search, 1)
        filters.addWidget(clear)

        self.table = QTableView()
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(-1, Qt.SortOrder.AscendingOrder)  # the service's order until a header is clicked
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.setWordWrap(True)  # the recommendation in two lines, then "…"
        self.table.setAlternatingRowColors(False)  # the overdue / due-soon tints must be the only colours
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setDefaultSectionSize(2 * self.fontMetrics().lineSpacing() + 8)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(COL_TEXT, QHeaderView.ResizeMode.Stretch)
        header.setMinimumSectionSize(40)
        self._columns_set = self._restore_columns()
        header.sectionResized.connect(self._column_resized)
        self.detail = DetailPanel(db, self.change_status, today)
        self.detail.changed.connect(self.reload_ids)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(self.table)
        splitter.addWidget(self.detail)
        splitter.setStretchFactor(0, 1)
        splitter.setSizes([1000, 300])

        self.selected_label = QLabel("No rows selected")
        self.bulk_status = QComboBox()
        self.bulk_status.addItems(RECOMMENDATION_STATUSES)
        self.bulk_status.setPlaceholderText("Choose a status")
        self.bulk_status.setCurrentIndex(-1)
        self.bulk_apply = QPushButton("Set status of selected")
        self.bulk_apply.clicked.connect(self.apply_bulk_status)
        add = QPushButton("Add recommendation…")
        add.clicked.connect(self.add_recommendation)
        self.export_button = QPushButton("Export shown…")
        self.export_button.clicked.connect(self.export_shown)
        bulk = QHBoxLayout()
        for widget in (self.selected_label, self.bulk_status, self.bulk_apply):
            bulk.addWidget(widget)
        bulk.addStretch(1)
        bulk.addWidget(add)
        bulk.addWidget(self.export_button)

        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addLayout(filters)
        layout.addWidget(splitter, 1)
        layout.addLayout(bulk)

        for combo in (self.source, self.organisation, self.status, self.origin):
            combo.currentIndexChanged.connect(self.apply_filter)
        self.overdue.toggled.connect(self.apply_filter)
        self.search.textChanged.connect(self.apply_filter)
        self.table.selectionModel().selectionChanged.connect(self._selection_changed)

    @property
    def today(self) -> date:
        return self._fixed_today or date.today()

    # ----- loading ---------------------------------------------------------------------------------
    def refresh(self) -> None:
        """Reload every row on a worker thread (its own session); the table updates when done."""
        db, today = self.db, self.today

        def load(progress) -> tuple[list[TrackerRow], Choices]:
            with db.session() as session:
                return tracker_rows(session, today=today), choices(session)

        run_task(load, self._loaded)

    def _loaded(self, result: tuple[list[TrackerRow], Choices] | None, error: BaseException | None) -> None:
        if error is not None:
            show_error(self, error)
            return
        rows, found = result
        selected = self.selected_ids()
        self._fill_filters(found)
        self.detail.set_people(found.people)
        self.model.set_rows(rows, self.today)
        if not self._columns_set:
            self._fit_columns()
        self.select_ids(selected)
        if self._pending_organisation is not None:
            self.show_organisation(self._pending_organisation)
        self._update_summary()
        self.loaded.emit()

    # ----- column widths -------------------------------------------------------------------------------
    def _fit_columns(self) -> None:
        """Each column but the text as wide as its contents, up to ``COLUMN_MAX``; once, on first load."""
        self._columns_set = True
        self._fitting = True
        for column, widest in enumerate(COLUMN_MAX):
            if column != COL_TEXT:
                self.table.resizeColumnToContents(column)
                self.table.setColumnWidth(column, min(self.table.columnWidth(column), widest))
        self._fitting = False

    def _restore_columns(self) -> bool:
        from ..settings import settings

        state = settings().value(COLUMNS_SETTING)
        return isinstance(state, QByteArray) and self.table.horizontalHeader().restoreState(state)

    def _column_resized(self, *_: object) -> None:
        if getattr(self, "_fitting", False) or not self._columns_set:
            return
        from ..settings import settings

        settings().setValue(COLUMNS_SETTING, self.table.horizontalHeader().saveState())

    def flush(self) -> bool:
        """Save what the detail panel shows and wait (the window is closing): False while not saved."""
        return self.detail.flush()

    @property
    def problem(self) -> str:
        return self.detail.problem

    def reload_ids(self, ids: list[int]) -> None:
        """After a change to some recommendations: fresh copies of just those rows."""
        with self.db.session() as session:
            rows = tracker_rows(session, today=self.today, ids=ids)
        self.model.replace_rows(rows)
        self._update_summary()
        current = self.detail.row
        if current is not None and current.id in ids:
            self.detail.refresh_row(self.model.row_by_id(current.id))
        self._show_selection_status(self.selected_ids())
        self.changed.emit("recommendation")

    def _fill_filters(self, found: Choices) -> None:
        def fill(combo: QComboBox, anything: str, items: list[tuple[object, str]]) -> None:
            current = combo.currentData()
            combo.blockSignals(True)
            combo.clear()
            combo.addItem(anything, None)
            for value, name in items:
                combo.addItem(name, value)
            combo.setCurrentIndex(max(combo.findData(current), 0))
            combo.blockSignals(False)

        self.choices = found
        fill(self.source, "Any source", found.sources)
        fill(self.organisation, "Any organisation", [("partnership", "The partnership")] + found.organisations)
        fill(self.status, "Any status", [("open", "Open (not started or in progress)")]
             + [(s, s.capitalize()) for s in RECOMMENDATION_STATUSES])
        fill(self.origin, "Any round or audit", [(("round", i), f"Round {label}") for i, label in found.rounds]
             + [(("audit", i), title) for i, title in found.audits])

    # ----- filtering and summary ---------------------------------------------------------------------
    def current_filter(self) -> TrackerFilter:
        org = self.organisation.currentData()
        origin = self.origin.currentData()
        return TrackerFilter(
            source_kind_id=self.source.currentData(),
            organisation_id=org if isinstance(org, int) else None,
            partnership_only=org == "partnership",
            status=self.status.currentData() or "",
            round_id=origin[1] if origin and origin[0] == "round" else None,
            audit_id=origin[1] if origin and origin[0] == "audit" else None,
            overdue_only=self.overdue.isChecked(),
            search=self.search.text(),
        )

    def apply_filter(self, *_: object) -> None:
        self.proxy.set_filter(self.current_filter())
        self._update_summary()

    def filter_description(self) -> str:
        """The active filters in words, printed on an export of the shown rows ('' when none)."""
        parts = [combo.currentText() for combo in (self.status, self.source, self.organisation, self.origin)
                 if combo.currentIndex() > 0]
        if self.overdue.isChecked():
            parts.append("overdue only")
        if self.search.text().strip():
            parts.append(f"containing \u201c{self.search.text().strip()}\u201d")
        return "; ".join(parts)

    def show_organisation(self, organisation_id: int | None) -> None:
        """Only this organisation's recommendations (None: the partnership's own), other filters cleared."""
        wanted = "partnership" if organisation_id is None else organisation_id
        if self.choices is None:
            self._pending_organisation = wanted
            return
        self._pending_organisation = None
        self.clear_filters()
        self.organisation.setCurrentIndex(max(self.organisation.findData(wanted), 0))

    def clear_filters(self) -> None:
        widgets = (self.source, self.organisation, self.status, self.origin, self.overdue, self.search)
        for widget in widgets:
            widget.blockSignals(True)  # one filter pass at the end, not one per widget
        for combo in (self.source, self.organisation, self.status, self.origin):
            combo.setCurrentIndex(0)
        self.overdue.setChecked(False)
        self.search.clear()
        for widget in widgets:
            widget.blockSignals(False)
        self.apply_filter()

    def shown_rows(self) -> list[TrackerRow]:
        """The rows the filter lets through, in the table's current order."""
        if self.proxy.sortColumn() < 0:  # no header clicked: the model's order
            return [row for row, shown in zip(self.model.rows, self.proxy.mask()) if shown]
        return [self.model.rows[self.proxy.mapToSource(self.proxy.index(r, 0)).row()]
                for r in range(self.proxy.rowCount())]

    def _update_summary(self) -> None:
        rows = self.shown_rows()
        counts = summary(rows, self.today)
        statuses = " · ".join(f"{name.capitalize()} <b>{counts.by_status[name]}</b>" for name in RECOMMENDATION_STATUSES)
        overdue = f"<span style='color:#8a1010'>Overdue <b>{counts.overdue}</b></span>"
        shown = f"Showing <b>{counts.total}</b> of {len(self.model.rows)}"
        self.summary.setText(f"{shown} &nbsp;|&nbsp; {statuses} &nbsp;|&nbsp; {overdue} · Due soon "
                             f"<b>{counts.due_soon}</b> · Closed in the last quarter <b>{counts.closed_last_quarter}</b>")

    # ----- selection -----------------------------------------------------------------------------------
    def selected_ids(self) -> list[int]:
        rows = self.table.selectionModel().selectedRows() if self.table.selectionModel() else []
        return [index.data(ROW_ROLE).id for index in sorted(rows, key=lambda i: i.row())]

    def select_ids(self, ids: list[int]) -> None:
        selection = self.table.selectionModel()
        selection.clearSelection()
        flags = QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows
        for rec_id in ids:
            source_row = self.model.row_of(rec_id)
            index = self.proxy.mapFromSource(self.model.index(source_row, 0)) if source_row is not None else None
            if index is not None and index.isValid():
                selection.select(index, flags)
                self.table.scrollTo(index)

    def _selection_changed(self, *_: object) -> None:
        ids = self.selected_ids()
        self.selected_label.setText(f"{len(ids)} selected" if ids else "No rows selected")
        self.bulk_apply.setEnabled(bool(ids))
        self._show_selection_status(ids)
        # The side panel follows the current row while it is selected, else the first selected one.
        current = self.table.currentIndex()
        row = current.data(ROW_ROLE) if current.isValid() else None
        if row is None or row.id not in ids:
            row = self.model.row_by_id(ids[0]) if ids else None
        shown = self.detail.row
        if (row and row.id) != (shown and shown.id):
            self.detail.show_row(row)

    # ----- changes ------------------------------------------------------------------------------------
    def change_status(self, ids: list[int], status: str) -> bool:
        """Set the status of ``ids``; asks for evidence when completing ones without. True if done."""
        def save(evidence: str = "", reason: str = "") -> None:
            with self.db.session() as session:
                set_status(session, ids, status, today=self.today, evidence=evidence, no_evidence_reason=reason)

        try:
            missing = []
            if status == "complete":
                with self.db.session() as session:
                    missing = needs_evidence(session, ids)
            if missing:
                if not CompletionDialog.ask(self, len(missing), save):  # a refusal keeps it open
                    return False
            else:
                save()
        except UserError as exc:
            show_error(self, exc)
            return False
        self.reload_ids(ids)
        return True

    def apply_bulk_status(self) -> None:
        self.detail.save_details()
        if self.bulk_status.currentIndex() < 0:
            show_error(self, UserError("Choose the status to give the selected recommendations first."))
            return
        self.change_status(self.selected_ids(), self.bulk_status.currentText())

    def _show_selection_status(self, ids: list[int]) -> None:
        """The bulk combo says the selection's status when they share one, else asks for a choice."""
        statuses = {self.model.row_by_id(i).status for i in ids if self.model.row_by_id(i) is not None}
        self.bulk_status.setCurrentIndex(self.bulk_status.findText(statuses.pop()) if len(statuses) == 1 else -1)

    def add_recommendation(self) -> None:
        if self.choices is None:
            return

        def save(values: dict) -> int:
            with self.db.session() as session:
                return add_recommendation(session, **values).id

        rec_id = AddRecommendationDialog.ask(self, self.choices, save)
        if rec_id is not None:
            self.reload_ids([rec_id])
            self.clear_filters()
            self.select_ids([rec_id])

    def export_shown(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, "Export the recommendations shown",
                                              str(documents_folder() / "recommendations.docx"),
                                              "Word document (*.docx);;CSV for Excel (*.csv)")
        if path:
            self.export_to(Path(path))

    def export_to(self, path: Path) -> None:
        """Write the rows shown (filtered) to ``path`` (.docx or .csv) on a worker thread."""
        from ...exports.tracker_csv import write_tracker_csv
        from ...exports.tracker_docx import write_tracker_docx

        if path.suffix.lower() not in (".docx", ".csv"):
            show_error(self, UserError("Choose a file name ending in .docx (Word) or .csv (Excel)."))
            return
        rows, today, db, shown = self.shown_rows(), self.today, self.db, self.filter_description()
        self.export_button.setEnabled(False)

        def work(override: bool, progress) -> Path:
            with db.session() as session:
                if path.suffix.lower() == ".csv":
                    return write_tracker_csv(session, rows, path, today=today, override_identifying=override)
                return write_tracker_docx(session, rows, path, today=today, selection=shown,
                                          override_identifying=override)

        def done(result: Path | None, error: BaseException | None) -> None:
            self.export_button.setEnabled(True)
            if error is not None:
                show_error(self, error)
            elif result is not None:
                self.summary.setToolTip(f"Exported to {result}")
                self.exported.emit(str(result))

        from ..identifying_dialog import run_guarded

        run_guarded(self, work, done)
