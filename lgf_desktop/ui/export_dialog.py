"""Export menu → a preview of what the Section 11 report (or question template) will contain, with
warnings → the export on a worker with progress → open the document or its folder.

Both the preview and the export run through ``ui.tasks.run_task`` with their own session; this
module only shows results. ``install(window)`` adds the Export menu entries (see ``ui.extensions``).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QComboBox, QDialog, QFileDialog, QFormLayout, QHBoxLayout, QHeaderView, QLabel, QLineEdit, QListWidget,
    QProgressBar, QPushButton, QTableView, QVBoxLayout, QWidget,
)
from sqlalchemy import select

from ..dates import short_date
from ..db import Database
from ..errors import UserError
from ..models import Round
from ..paths import documents_folder
from .errors import show_error
from .tasks import run_task

if TYPE_CHECKING:
    from ..exports.preview import ExportPreview, ReviewSummary

KINDS = {
    "report": ("Export the Section 11 report", "Section 11 report {label}.docx"),
    "template": ("Export the question template", "Section 11 question template {label}.docx"),
}


def open_path(path: Path) -> bool:
    """Open a file or folder with the desktop's default program (replaced in tests)."""
    return QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))


class ReviewPreviewModel(QAbstractTableModel):
    """The round's reviews and whether each goes into the report."""

    COLUMNS = ("Organisation", "Status", "Date", "Answered", "Recommendations", "In the report")

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.reviews: list[ReviewSummary] = []

    def set_reviews(self, reviews: list[ReviewSummary]) -> None:
        self.beginResetModel()
        self.reviews = list(reviews)
        self.endResetModel()

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.reviews)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return self.COLUMNS[section]
        return None

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or role != Qt.ItemDataRole.DisplayRole:
            return None
        review = self.reviews[index.row()]
        column = index.column()
        if column == 0:
            return review.organisation
        if column == 1:
            return review.status.capitalize()
        if column == 2:
            return short_date(review.review_date)
        if column == 3:
            return f"{review.answered} of {review.questions}" if review.status == "held" else ""
        if column == 4:
            return str(review.recommendations)
        return "Yes" if review.included else "No"


class ExportDialog(QDialog):
    """Preview and export one round's report or template."""

    def __init__(self, db: Database, kind: str, round_id: int | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db, self.kind = db, kind
        self.preview: ExportPreview | None = None
        self.exported: Path | None = None
        self.busy = False
        self.setWindowTitle(KINDS[kind][0])
        self.resize(820, 560)

        self.round_box = QComboBox()
        with db.session() as session:
            for round_id_, label in session.execute(select(Round.id, Round.label).order_by(Round.label)):
                self.round_box.addItem(label, round_id_)
        if round_id is not None and self.round_box.findData(round_id) >= 0:
            self.round_box.setCurrentIndex(self.round_box.findData(round_id))
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.model = ReviewPreviewModel(self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.table.setVisible(kind == "report")
        self.warnings_label = QLabel("Warnings (the export can go ahead; these are things to check):")
        self.warnings = QListWidget()
        self.warnings.setWordWrap(True)
        self.path_edit = QLineEdit()
        choose = QPushButton("Choose…")
        choose.clicked.connect(self.choose_path)
        path_row = QHBoxLayout()
        path_row.addWidget(self.path_edit, 1)
        path_row.addWidget(choose)
        self.progress = QProgressBar()
        self.progress.hide()
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.export_button = QPushButton("Export")
        self.export_button.setDefault(True)
        self.export_button.clicked.connect(self.start_export)
        self.open_button = QPushButton("Open document")
        self.open_button.clicked.connect(lambda: self.exported and open_path(self.exported))
        self.folder_button = QPushButton("Open folder")
        self.folder_button.clicked.connect(lambda: self.exported and open_path(self.exported.parent))
        close = QPushButton("Close")
        close.clicked.connect(self.reject)
        for button in (self.open_button, self.folder_button):
            button.hide()
        buttons = QHBoxLayout()
        buttons.addWidget(self.status, 1)
        for button in (self.open_button, self.folder_button, self.export_button, close):
            buttons.addWidget(button)

        form = QFormLayout()
        form.addRow("Round:", self.round_box)
        form.addRow("Save as:", path_row)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.summary)
        layout.addWidget(self.table, 2)
        layout.addWidget(self.warnings_label)
        layout.addWidget(self.warnings, 1)
        layout.addWidget(self.progress)
        layout.addLayout(buttons)
        self.round_box.currentIndexChanged.connect(self.refresh)
        self.refresh()

    # ----- preview ------------------------------------------------------------------------------
    def round_id(self) -> int | None:
        return self.round_box.currentData()

    def refresh(self) -> None:
        """Recompute the preview for the chosen round (on a worker)."""
        self.preview = None
        self.export_button.setEnabled(False)
        round_id, db, kind = self.round_id(), self.db, self.kind
        if round_id is None:
            self.summary.setText("There are no rounds yet: create one first.")
            return
        label = self.round_box.currentText()
        self.path_edit.setText(str(documents_folder() / KINDS[kind][1].format(label=label)))
        self.summary.setText("Checking what the document will contain…")

        def work(progress: Any) -> ExportPreview:
            from ..exports.preview import preview_report, preview_template

            with db.session() as session:
                round_ = session.get(Round, round_id)
                if round_ is None:
                    raise UserError("That round no longer exists.")
                return (preview_report if kind == "report" else preview_template)(session, round_)

        run_task(work, lambda result, error: self._previewed(round_id, result, error))

    def _previewed(self, round_id: int, preview: ExportPreview | None, error: BaseException | None) -> None:
        if round_id != self.round_id():
            return  # the person chose another round meanwhile
        self.warnings.clear()
        if error is not None:
            self.model.set_reviews([])
            if isinstance(error, UserError):
                self.summary.setText(str(error))
            else:
                self.summary.setText("The preview could not be made.")
                show_error(self, error)
            return
        self.preview = preview
        self.summary.setText(preview.summary())
        self.model.set_reviews(preview.reviews)
        self.warnings.addItems(preview.warnings or ["None: everything the document needs is recorded."])
        self.export_button.setEnabled(not self.busy)

    # ----- export -------------------------------------------------------------------------------
    def choose_path(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, KINDS[self.kind][0], self.path_edit.text(),
                                              "Word documents (*.docx)")
        if path:
            self.path_edit.setText(path)

    def target(self) -> Path:
        text = self.path_edit.text().strip()
        if not text:
            raise UserError("Choose where to save the document.")
        path = Path(text).expanduser()
        return path if path.suffix.lower() == ".docx" else path.with_name(path.name + ".docx")

    def start_export(self) -> None:
        if self.preview is None or self.busy:
            return
        try:
            target = self.target()
        except UserError as exc:
            show_error(self, exc)
            return
        round_id, db, kind = self.round_id(), self.db, self.kind
        self.busy = True
        self.export_button.setEnabled(False)
        self.open_button.hide()
        self.folder_button.hide()
        self.progress.setRange(0, 0)
        self.progress.show()
        self.status.setText("Exporting…")

        author = db.author

        def work(override: bool, progress: Any) -> Path:
            # Imported here, on the worker: python-docx costs ~100 ms, kept off start-up and the UI thread.
            from ..exports.report_docx import export_report
            from ..exports.template_docx import export_template

            with db.export_session(override) as session:
                if kind == "report":
                    export_report(session, session.get(Round, round_id), target, author=author, progress=progress,
                                  override_identifying=override)
                else:
                    export_template(session, session.get(Round, round_id), target, author=author, progress=progress)
            return target

        from .identifying_dialog import run_guarded

        run_guarded(self, work, self._exported, on_progress=self._progressed)

    def _progressed(self, done: int, total: int, message: str) -> None:
        self.progress.setRange(0, max(total, 1))
        self.progress.setValue(done)
        self.status.setText(message)

    def _exported(self, path: Path | None, error: BaseException | None) -> None:
        self.busy = False
        self.progress.hide()
        self.export_button.setEnabled(self.preview is not None)
        if error is not None or path is None:
            self.status.setText("Nothing was written.")
            if error is not None:
                show_error(self, error)
            return
        self.exported = path
        self.status.setText(f"Saved to {path}")
        self.open_button.show()
        self.folder_button.show()
        self.open_button.setFocus()


def open_export_dialog(window: Any, kind: str) -> ExportDialog:
    dialog = ExportDialog(window.db, kind, window.current_round_id(), window)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.show()
    return dialog


def install(window: Any) -> None:
    """The Export menu's Section 11 entries."""
    menu = window.menu("&Export")
    menu.addAction("Section 11 &report (Word)…", lambda: open_export_dialog(window, "report"))
    menu.addAction("Question &template for organisations (Word)…", lambda: open_export_dialog(window, "template"))
