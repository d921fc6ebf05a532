"""A self-assessment round's page: who has returned (partly, not yet, chased when), the collation grid
of organisations × standards coloured by rating with filters, counts and a distribution chart, the
selected answer beside the previous cycle's with the panel's challenge and moderated rating, and the
round's actions: export forms, import returns (or drop them here), chase, suggest themes for the peer
reviews, add a recommendation, export the year-one report. Loading and file work run through
``ui.tasks``; saves go through the page's one-transaction ``apply``."""

from __future__ import annotations

from collections import Counter
from datetime import date
from pathlib import Path
from typing import Any

from PySide6.QtCore import QItemSelectionModel, Qt, Signal
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import (
    QAbstractItemView, QComboBox, QFileDialog, QHBoxLayout, QHeaderView, QInputDialog, QLabel, QLineEdit,
    QPlainTextEdit, QPushButton, QSplitter, QTableView, QTextBrowser, QVBoxLayout, QWidget,
)

from ...models import Round, SelfAssessmentAnswer, SelfAssessmentReturn
from ...services.self_assessment.collation import Cell, Collation, collate
from ..audit.charts import StackedBars
from ..errors import show_error
from ..forms.common import Page, button
from ..tasks import run_task
from .model import FIXED, ROW_ROLE, CollationFilter, CollationModel

STATES = (("All organisations", ""), ("Returned", "returned"), ("Partly returned", "partly"), ("Not yet", "not yet"))


class SelfAssessmentPage(Page):
    loaded = Signal()
    imported = Signal(str)  # what the import said

    def __init__(self, window: Any) -> None:
        super().__init__(window)
        self.round_id: int | None = None
        self.collation: Collation | None = None
        self.setAcceptDrops(True)
        layout = QVBoxLayout(self)
        self.title = QLabel()
        layout.addWidget(self.title)
        actions = QHBoxLayout()
        self.export_forms_button = button("Export forms…", self.export_forms,
                                          "Every organisation's form (.xlsx) into a folder, each with a covering e-mail")
        self.form_button = button("Form for this organisation…", self.export_selected_form,
                                  "The selected organisation's form (.xlsx) alone, to send again or to a new contact")
        self.form_button.setEnabled(False)  # until an organisation is chosen in the grid
        self.import_button = button("Import returns…", self.choose_returns,
                                    "Returned forms (.xlsx); you can also drop them on this page")
        self.chase_button = button("Chase today", self.chase_selected, "Record that you chased the selected organisation today")
        self.themes_button = button("Suggest themes…", self.suggest_themes,
                                    "The standards with the most weak answers, as themes for the next peer reviews")
        self.report_button = button("Export report…", self.export_report, "The year-one report (Word)")
        self.standards_button = button("Standards…", self.edit_standards,
                                       "This round's standards and rating scale (a change makes a new form version)")
        self.details_button = button("Details and texts…", self.show_details,
                                     "The round's label, kind, report month, Background and Methodology texts")
        for widget in (self.export_forms_button, self.form_button, self.import_button, self.chase_button, self.themes_button,
                       self.report_button, self.standards_button, self.details_button):
            actions.addWidget(widget)
        actions.addStretch(1)
        layout.addLayout(actions)
        self.counts = QLabel()
        self.counts.setAccessibleName("Returns so far")
        self.counts.setWordWrap(True)
        layout.addWidget(self.counts)
        filters = QHBoxLayout()
        self.state_filter = QComboBox()
        for text, value in STATES:
            self.state_filter.addItem(text, value)
        self.weak_filter = QComboBox()
        self.weak_filter.setMinimumContentsLength(24)
        self.search = QLineEdit()
        self.search.setPlaceholderText("Organisation contains…")
        self.search.setClearButtonEnabled(True)
        for label, widget in (("Show", self.state_filter), ("Weak on", self.weak_filter), ("", self.search)):
            if label:
                filters.addWidget(QLabel(label))
            filters.addWidget(widget)
        filters.addStretch(1)
        layout.addLayout(filters)

        self.model = CollationModel(self)
        self.proxy = CollationFilter(self)
        self.proxy.setSourceModel(self.model)
        self.grid = QTableView()
        self.grid.setModel(self.proxy)
        self.grid.setAccessibleName("Collation grid")
        self.grid.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.grid.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.grid.verticalHeader().setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        self.grid.verticalHeader().setFixedWidth(250)
        self.grid.setWordWrap(False)
        self.grid.selectionModel().currentChanged.connect(lambda *_: self._show_answer())
        self.answer = AnswerPanel(self)
        self.chart = StackedBars()
        self.chart.setAccessibleName("Distribution per standard")
        # The grid above its chart (a large partnership scrolls the grid; the chart stays whole), the
        # selected answer beside both.
        left = QSplitter(Qt.Orientation.Vertical)
        left.addWidget(self.grid)
        chart_box = QWidget()
        chart_layout = QVBoxLayout(chart_box)
        chart_layout.setContentsMargins(0, 4, 0, 0)
        chart_heading = QLabel("<b>Ratings per standard</b> (after moderation)")
        chart_layout.addWidget(chart_heading)
        chart_layout.addWidget(self.chart, 1)
        left.addWidget(chart_box)
        left.setSizes([300, 330])
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(left)
        splitter.addWidget(self.answer)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([760, 330])
        layout.addWidget(splitter, 1)
        self.state_filter.currentIndexChanged.connect(self.apply_filter)
        self.weak_filter.currentIndexChanged.connect(self.apply_filter)
        self.search.textChanged.connect(self.apply_filter)
        window.data_changed.connect(self._changed)

    # ----- loading ---------------------------------------------------------------------------------
    def load(self, round_id: int) -> None:
        self.round_id = round_id
        self.refresh()

    def refresh(self) -> None:
        db, round_id = self.db, self.round_id

        def work(progress) -> Collation:
            from ...services.self_assessment.standards import previous_round, setup_self_assessment

            with db.session() as session:
                round_ = session.get(Round, round_id)
                # A round made a self-assessment on its details page gets its standards, scale and
                # organisations on first opening (copied from the previous cycle when there is one).
                setup_self_assessment(session, round_, copy_from=previous_round(session, round_))
                return collate(session, round_)

        run_task(work, self._loaded)

    def _loaded(self, collation: Collation | None, error: BaseException | None) -> None:
        if error is not None:
            show_error(self, error)
            return
        if collation.round_id != self.round_id:
            return  # another round was chosen meanwhile
        current = self._current()
        self.collation = collation
        self.title.setText(f"<h2>Section 11 self-assessment {collation.round_label}</h2>")
        self.model.set_collation(collation)
        self._fill_weak_filter()
        self._fit_columns()
        self._update_counts()
        self._update_chart()
        if current is not None:
            self.select(*current)
        self._show_answer()
        self.loaded.emit()

    def _fit_columns(self) -> None:
        header = self.grid.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        # The organisation is the row header (always in view); its column is kept for filtering and reading.
        self.grid.setColumnHidden(0, True)
        self.grid.setColumnWidth(1, 62)
        self.grid.setColumnWidth(2, 96)
        for column in range(len(FIXED), self.model.columnCount()):
            self.grid.setColumnWidth(column, 66)

    def _fill_weak_filter(self) -> None:
        chosen = self.weak_filter.currentData()
        self.weak_filter.blockSignals(True)
        self.weak_filter.clear()
        self.weak_filter.addItem("any standard", None)
        for s in self.collation.standards:
            self.weak_filter.addItem(f"{s.number}. {s.title}", s.id)
        index = self.weak_filter.findData(chosen)
        self.weak_filter.setCurrentIndex(max(index, 0))
        self.weak_filter.blockSignals(False)
        self.apply_filter()

    def apply_filter(self, *_: object) -> None:
        self.proxy.set_filter(state=self.state_filter.currentData() or "", weak_standard=self.weak_filter.currentData(),
                              text=self.search.text())
        self._update_counts()

    def _update_counts(self) -> None:
        if self.collation is None:
            return
        states = self.collation.states()
        shown = self.proxy.rowCount()
        text = (f"Returned {states.get('returned', 0)} · partly {states.get('partly', 0)} · not yet "
                f"{states.get('not yet', 0)} of {len(self.collation.rows)} organisations asked")
        if shown != len(self.collation.rows):
            text += f" — showing {shown}"
        if self.collation.previous_label:
            text += f". ▲ better, ▼ worse, = same as {self.collation.previous_label}; * moderated by the panel."
        self.counts.setText(text)

    def _update_chart(self) -> None:
        scale = self.collation.scale
        options = [(i, o.label, o.colour) for i, o in enumerate(scale.options)]
        index = {o.label: i for i, o in enumerate(scale.options)}
        per = self.collation.per_standard()
        rows = []
        for s in self.collation.standards:
            counts = Counter({index[label]: n for label, n in per[s.id].items() if label in index})
            rows.append((f"{s.number}. {s.title}", s.wording, counts))
        self.chart.set_data(rows, options)

    def _changed(self, table: str) -> None:
        if self.round_id is not None and self.isVisible() and not self.own_change:
            self.refresh()

    # ----- selection -----------------------------------------------------------------------------
    def _current(self) -> tuple[int, int] | None:
        index = self.grid.currentIndex()
        if not index.isValid():
            return None
        row = index.data(ROW_ROLE)
        return row.organisation_id, index.column()

    def select(self, organisation_id: int, column: int) -> bool:
        for r in range(self.proxy.rowCount()):
            if self.proxy.index(r, 0).data(ROW_ROLE).organisation_id == organisation_id:
                self.grid.selectionModel().setCurrentIndex(
                    self.proxy.index(r, column), QItemSelectionModel.SelectionFlag.ClearAndSelect)
                return True
        return False

    def selected(self) -> tuple[Any, Any, Cell | None]:
        """(organisation row, standard column, cell) under the cursor; Nones when nothing is chosen."""
        index = self.grid.currentIndex()
        if not index.isValid():
            return None, None, None
        row = index.data(ROW_ROLE)
        standard = self.model.standard_at(index.column())
        return row, standard, row.cells.get(standard.id) if standard else None

    def _show_answer(self) -> None:
        row, standard, cell = self.selected()
        self.answer.show_answer(self.collation, row, standard, cell)
        self.chase_button.setEnabled(row is not None and row.state != "returned")
        self.form_button.setEnabled(row is not None)

    # ----- actions -------------------------------------------------------------------------------
    def chase_selected(self) -> None:
        row, _, _ = self.selected()
        if row is None:
            return
        from ...services.self_assessment.moderation import chase

        if self.apply(lambda session: chase(session, session.get(SelfAssessmentReturn, row.return_id), date.today()),
                      "self_assessment_return"):
            self.refresh()

    def save_moderation(self, answer_id: int, version: int, challenge_text: str, rating: str) -> bool:
        from ...services.self_assessment.moderation import challenge, moderate

        def save(session) -> None:
            answer = session.get(SelfAssessmentAnswer, answer_id)
            challenge(session, answer, challenge_text, expected_version=version)
            moderate(session, answer, rating)

        if self.apply(save, "self_assessment_answer"):
            self.refresh()
            return True
        return False

    def add_recommendation(self) -> None:
        row, standard, _ = self.selected()
        text, ok = QInputDialog.getMultiLineText(
            self, "Add a recommendation", f"Recommendation for {row.organisation if row else 'the partnership'}"
            + (f" on '{standard.title}'" if standard else "") + ":")
        if not ok or not text.strip():
            return
        from ...models import Organisation, Standard
        from ...services.self_assessment.moderation import add_recommendation

        def save(session) -> None:
            add_recommendation(session, session.get(Round, self.round_id), text,
                               organisation=session.get(Organisation, row.organisation_id) if row else None,
                               standard=session.get(Standard, standard.id) if standard else None)

        self.apply(save, "recommendation")

    def choose_returns(self) -> None:
        paths, _ = QFileDialog.getOpenFileNames(self, "Import returned self-assessment forms", "",
                                                "Excel workbook (*.xlsx)")
        if paths:
            self.import_returns([Path(p) for p in paths])

    def import_returns(self, paths: list[Path]) -> None:
        """Import the forms on a worker (one transaction, a savepoint each); refusals are shown together."""
        from ...services.self_assessment.returns import import_form_files

        db = self.db
        self.import_button.setEnabled(False)

        def work(progress) -> tuple[list[str], list[str]]:
            return import_form_files(db, paths)

        def finished(result, error) -> None:
            self.import_button.setEnabled(True)
            if error is not None:
                show_error(self, error)
                return
            done, refused = result
            self.main.data_changed.emit("self_assessment_answer")
            self.refresh()
            self.imported.emit("\n".join(done + refused))
            if refused:
                from ...errors import UserError

                show_error(self, UserError("\n".join(refused)), "Some returns were refused")

        run_task(work, finished)

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:  # noqa: N802
        if any(u.toLocalFile().lower().endswith(".xlsx") for u in event.mimeData().urls()):
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:  # noqa: N802
        paths = [Path(u.toLocalFile()) for u in event.mimeData().urls() if u.toLocalFile().lower().endswith(".xlsx")]
        if paths:
            event.acceptProposedAction()
            self.import_returns(paths)

    def export_forms(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, "Folder for the self-assessment forms")
        if folder:
            self.export_forms_to(Path(folder))

    def export_forms_to(self, folder: Path) -> None:
        from ...exports.self_assessment_form import export_all_forms
        from ..identifying_dialog import run_guarded

        db, round_id = self.db, self.round_id
        self.export_forms_button.setEnabled(False)

        def work(override: bool, progress) -> list[Path]:
            with db.session() as session:
                return export_all_forms(session, session.get(Round, round_id), folder,
                                        override_identifying=override, progress=progress)

        def done(result, error) -> None:
            self.export_forms_button.setEnabled(True)
            if error is not None:
                show_error(self, error)
            elif result is not None:
                self.counts.setToolTip(f"Wrote {len(result)} forms into {folder}")

        run_guarded(self, work, done)

    def export_selected_form(self) -> None:
        row, _, _ = self.selected()
        if row is None:
            return
        from ...exports.self_assessment_form import file_stem
        from ...paths import documents_folder

        label = self.collation.round_label if self.collation is not None else ""
        suggested = documents_folder() / f"{file_stem(row.organisation, label)}.xlsx"
        path, _ = QFileDialog.getSaveFileName(self, f"Self-assessment form for {row.organisation}", str(suggested),
                                              "Excel workbook (*.xlsx)")
        if path:
            self.export_form_to(row.organisation_id, Path(path))

    def export_form_to(self, organisation_id: int, path: Path) -> None:
        from ...exports.self_assessment_form import export_form
        from ...models import Organisation
        from ..identifying_dialog import run_guarded

        db, round_id = self.db, self.round_id
        self.form_button.setEnabled(False)

        def work(override: bool, progress) -> str:
            with db.session() as session:
                return export_form(session, session.get(Round, round_id), session.get(Organisation, organisation_id),
                                   path, override_identifying=override)

        def done(result, error) -> None:
            self.form_button.setEnabled(True)
            if error is not None:
                show_error(self, error)
            elif result is not None:
                self.counts.setToolTip(result)

        run_guarded(self, work, done)

    def export_report(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, "Export the year-one report", "self-assessment.docx",
                                              "Word document (*.docx)")
        if path:
            self.export_report_to(Path(path))

    def export_report_to(self, path: Path) -> None:
        from ...exports.self_assessment_docx import export_self_assessment_report
        from ..identifying_dialog import run_guarded

        db, round_id = self.db, self.round_id
        self.report_button.setEnabled(False)

        def work(override: bool, progress) -> str:
            with db.export_session(override) as session:
                return export_self_assessment_report(session, session.get(Round, round_id), path, author=db.author,
                                                     override_identifying=override)

        def done(result, error) -> None:
            self.report_button.setEnabled(True)
            if error is not None:
                show_error(self, error)

        run_guarded(self, work, done)

    def edit_standards(self) -> None:
        from .standards_dialog import StandardsDialog

        if StandardsDialog(self, self.round_id).exec():
            self.refresh()

    def show_details(self) -> None:
        details = self.main.page("round")
        details.load(self.round_id)
        self.main.stack.setCurrentWidget(details)

    def suggest_themes(self) -> None:
        from .themes_dialog import ThemesDialog

        ThemesDialog(self, self.round_id).exec()


class AnswerPanel(QWidget):
    """The answer under the cursor beside the previous cycle's, and the panel's challenge and rating."""

    def __init__(self, page: SelfAssessmentPage) -> None:
        super().__init__(page)
        self.page = page
        self.cell: Cell | None = None
        layout = QVBoxLayout(self)
        self.heading = QLabel("Choose a cell of the grid to see the answer.")
        self.heading.setWordWrap(True)
        self.text = QTextBrowser()
        self.text.setAccessibleName("The answer")
        self.challenge = QPlainTextEdit()
        self.challenge.setPlaceholderText("The panel's challenge to this answer")
        self.challenge.setMaximumHeight(70)
        self.rating = QComboBox()
        self.rating.setAccessibleName("Moderated rating")
        self.save_button = QPushButton("Save challenge and rating")
        self.save_button.clicked.connect(self._save)
        self.recommend_button = QPushButton("Add recommendation…")
        self.recommend_button.clicked.connect(page.add_recommendation)
        layout.addWidget(self.heading)
        layout.addWidget(self.text, 1)
        layout.addWidget(QLabel("Challenge"))
        layout.addWidget(self.challenge)
        row = QHBoxLayout()
        row.addWidget(QLabel("Moderated rating"))
        row.addWidget(self.rating, 1)
        layout.addLayout(row)
        buttons = QHBoxLayout()
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.recommend_button)
        layout.addLayout(buttons)
        self._enable(False)

    def _enable(self, on: bool) -> None:
        for widget in (self.challenge, self.rating, self.save_button):
            widget.setEnabled(on)

    def show_answer(self, collation: Collation | None, row, standard, cell: Cell | None) -> None:
        self.cell = cell
        if row is None or standard is None:
            self.heading.setText(f"<b>{row.organisation}</b>: {row.state}" if row else
                                 "Choose a cell of the grid to see the answer.")
            self.text.setPlainText("")
            self._enable(False)
            return
        self.heading.setText(f"<b>{row.organisation}</b> — {standard.number}. {standard.title}")
        if cell is None:
            self.text.setPlainText("Not answered yet.")
            self._enable(False)
            return
        parts = [("Rating", cell.rating or "not rated")]
        if cell.not_applicable_reason:
            parts.append(("Why not applicable", cell.not_applicable_reason))
        parts += [("Evidence", cell.evidence), ("What works well", cell.works_well),
                  ("What needs to improve", cell.to_improve), ("Planned actions", cell.actions),
                  ("Action owner", cell.action_owner)]
        if cell.previous:
            how = f" — {cell.comparison}" if cell.comparison else ""
            parts.append((f"{collation.previous_label}", f"{cell.previous}{how}"))
        if cell.carried_from:
            parts.append(("Carried forward", f"from {cell.carried_from}"
                          + ("; confirmed unchanged" if cell.confirmed_unchanged else "; updated")))
        self.text.setPlainText("\n\n".join(f"{label}: {value}" for label, value in parts if value))
        self.challenge.setPlainText(cell.challenge)
        self.rating.clear()
        self.rating.addItem("(the organisation's own rating)", "")
        for label in collation.scale.labels:
            self.rating.addItem(label, label)
        self.rating.setCurrentIndex(max(self.rating.findData(cell.moderated), 0))
        self._enable(True)

    def _save(self) -> None:
        if self.cell is not None:
            self.page.save_moderation(self.cell.answer_id, self.cell.version, self.challenge.toPlainText(),
                                      self.rating.currentData() or "")
