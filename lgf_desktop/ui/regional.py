"""The regional lead's screens (Export menu): the regional Section 11 report, the recurring
recommendations across organisations (review the app's suggested groups: accept, split, rename,
remove), and the shared question template sent to and imported by the partnerships.

Every read, export and import runs through ``ui.tasks.run_task``; this module only shows results.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView, QComboBox, QDialog, QFileDialog, QFormLayout, QHBoxLayout, QLabel, QLineEdit, QPlainTextEdit,
    QProgressBar, QPushButton, QTreeWidget, QTreeWidgetItem, QVBoxLayout, QWidget,
)
from sqlalchemy import select

from ..db import Database
from ..errors import UserError
from ..models import Round
from ..paths import documents_folder
from .errors import show_error
from .tasks import run_task

if TYPE_CHECKING:
    from ..exports.regional_data import RegionalReportData

KEY = Qt.ItemDataRole.UserRole


def round_labels(db: Database) -> list[str]:
    """Peer-review round labels, newest first (a regional round is every partnership's of one label)."""
    with db.read() as session:
        labels = session.scalars(select(Round.label).where(Round.kind == "peer review").distinct()).all()
    return sorted(labels, reverse=True)


def partnerships_with(db: Database, label: str) -> list[str]:
    from ..models import Partnership

    with db.read() as session:
        return list(session.scalars(select(Partnership.name).join(Round, Round.partnership_id == Partnership.id)
                                    .where(Round.label == label, Round.kind == "peer review")
                                    .order_by(Partnership.name)))


def label_of(db: Database, round_id: int | None) -> str | None:
    if round_id is None:
        return None
    with db.read() as session:
        return session.scalar(select(Round.label).where(Round.id == round_id))


# --- recurring recommendations -----------------------------------------------------------------------


class RecurringGroupsDialog(QDialog):
    """The groups of recurring recommendations of one regional round: the saved ones, or the app's
    suggestions until some are saved. Rename a group by editing its name (F2); split the selected
    recommendations off into a new group; take one out of its group; remove a group; Save."""

    def __init__(self, db: Database, round_label: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db, self.round_label = db, round_label
        self.data: RegionalReportData | None = None
        self.setWindowTitle(f"Recurring recommendations — round {round_label}")
        self.resize(1280, 600)  # the widest a 1366×768 laptop gives: recommendations are judged by their wording
        self.explain = QLabel("Reading the partnerships' recommendations…")
        self.explain.setWordWrap(True)
        self.tree = QTreeWidget()
        self.tree.setHeaderLabels(["Group / recommendation", "Organisation", "Theme"])
        self.tree.setColumnWidth(0, 800)
        self.tree.setColumnWidth(1, 230)
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.tree.setEditTriggers(QAbstractItemView.EditTrigger.EditKeyPressed
                                  | QAbstractItemView.EditTrigger.DoubleClicked)
        self.split_button = QPushButton("&Split selected into a new group")
        self.split_button.clicked.connect(self.split_selected)
        self.out_button = QPushButton("&Take out of its group")
        self.out_button.clicked.connect(self.take_out_selected)
        self.remove_button = QPushButton("&Remove group")
        self.remove_button.clicked.connect(self.remove_selected_group)
        self.rename_button = QPushButton("Re&name…")
        self.rename_button.clicked.connect(self.rename_selected)
        self.save_button = QPushButton("&Accept and save")
        self.save_button.setDefault(True)
        self.save_button.clicked.connect(self.save)
        close = QPushButton("Close")
        close.clicked.connect(self.reject)
        self.status = QLabel()
        self.status.setWordWrap(True)
        edits = QHBoxLayout()
        for button in (self.rename_button, self.split_button, self.out_button, self.remove_button):
            edits.addWidget(button)
        edits.addStretch(1)
        bottom = QHBoxLayout()
        bottom.addWidget(self.status, 1)
        bottom.addWidget(self.save_button)
        bottom.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.explain)
        layout.addWidget(self.tree, 1)
        layout.addLayout(edits)
        layout.addLayout(bottom)
        self.save_button.setEnabled(False)
        self.load()

    def load(self) -> None:
        db, label = self.db, self.round_label

        def work(progress: Any) -> RegionalReportData:
            from ..exports.regional_data import read_regional

            with db.read() as session:
                return read_regional(session, label)

        run_task(work, self._loaded)

    def _loaded(self, data: RegionalReportData | None, error: BaseException | None) -> None:
        if error is not None:
            self.explain.setText(str(error) if isinstance(error, UserError) else "The recommendations could not be read.")
            if not isinstance(error, UserError):
                show_error(self, error)
            return
        from ..exports.regional_data import regional_recommendations

        self.data = data
        self.recs = {r.key: r for r in regional_recommendations(data)}
        suggested = data.recurring and not all(g.confirmed for g in data.recurring)
        self.explain.setText(
            ("These are the app's suggestions, found by wording: recommendations to different organisations that "
             "share most of their words. " if suggested or not data.recurring else "These are the groups you saved. ")
            + "Rename a group to say what recurs (F2), split off recommendations that do not belong, then "
            "Accept and save. The regional report prints the saved groups under their themes.")
        self.tree.clear()
        for group in data.recurring:
            self._add_group(group.title, [k for k in group.keys if k in self.recs])
        self.tree.expandAll()
        self.save_button.setEnabled(True)
        self._count()

    def _add_group(self, title: str, keys: list[str]) -> QTreeWidgetItem:
        item = QTreeWidgetItem([title, "", ""])
        item.setFlags(item.flags() | Qt.ItemFlag.ItemIsEditable)
        for key in keys:
            item.addChild(self._rec_item(key))
        self.tree.addTopLevelItem(item)
        return item

    def _rec_item(self, key: str) -> QTreeWidgetItem:
        rec = self.recs[key]
        child = QTreeWidgetItem([f"{rec.label}: {rec.text}", rec.organisation, rec.theme])
        child.setData(0, KEY, key)
        child.setToolTip(0, rec.text)
        return child

    def groups(self) -> list[tuple[str, list[str]]]:
        """The groups as shown: (name, recommendation keys)."""
        out = []
        for index in range(self.tree.topLevelItemCount()):
            item = self.tree.topLevelItem(index)
            out.append((item.text(0), [item.child(i).data(0, KEY) for i in range(item.childCount())]))
        return out

    def _count(self) -> None:
        groups = self.groups()
        self.status.setText(f"{len(groups)} group(s) of {sum(len(k) for _, k in groups)} recommendations.")

    def _selected_recommendations(self) -> list[QTreeWidgetItem]:
        return [i for i in self.tree.selectedItems() if i.parent() is not None]

    def split_selected(self) -> None:
        from ..services.regional_report.recurring import suggested_title

        chosen = self._selected_recommendations()
        if not chosen:
            self.status.setText("Select the recommendations to split off first.")
            return
        keys = [i.data(0, KEY) for i in chosen]
        for item in chosen:
            item.parent().removeChild(item)
        group = self._add_group(suggested_title([self.recs[k].text for k in keys]), keys)
        group.setExpanded(True)
        self.tree.setCurrentItem(group)
        self._drop_small_groups()
        self._count()

    def take_out_selected(self) -> None:
        for item in self._selected_recommendations():
            item.parent().removeChild(item)
        self._drop_small_groups()
        self._count()

    def remove_selected_group(self) -> None:
        for item in [i for i in self.tree.selectedItems() if i.parent() is None]:
            self.tree.takeTopLevelItem(self.tree.indexOfTopLevelItem(item))
        self._count()

    def rename_selected(self) -> None:
        item = self.tree.currentItem()
        if item is not None and item.parent() is not None:
            item = item.parent()
        if item is not None:
            self.tree.editItem(item, 0)

    def _drop_small_groups(self) -> None:
        """A group left with one recommendation no longer recurs: it goes."""
        for index in reversed(range(self.tree.topLevelItemCount())):
            if self.tree.topLevelItem(index).childCount() < 2:
                self.tree.takeTopLevelItem(index)

    def save(self) -> None:
        groups, db, label = self.groups(), self.db, self.round_label
        self.save_button.setEnabled(False)

        def work(progress: Any) -> int:
            from ..services.regional_report.groups import save_groups

            return db.write(lambda session: save_groups(session, label, groups)).result()

        run_task(work, self._saved)

    def _saved(self, count: int | None, error: BaseException | None) -> None:
        self.save_button.setEnabled(True)
        if error is not None:
            show_error(self, error, "Recurring recommendations")
            return
        self.status.setText(f"Saved {count} group(s); the regional report prints them.")
        self.accept()


# --- the lead's texts ----------------------------------------------------------------------------------


class RegionalTextsDialog(QDialog):
    """The regional lead's own words: the Methodology's introduction, the Conclusion and the
    recommendations to the region (one a line; the report numbers them "Region 1", "Region 2")."""

    def __init__(self, db: Database, round_label: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db, self.round_label = db, round_label
        self.setWindowTitle(f"The regional report's texts — round {round_label}")
        self.resize(900, 620)
        self.methodology = QPlainTextEdit()
        self.conclusion = QPlainTextEdit()
        self.recommendations = QPlainTextEdit()
        self.recommendations.setPlaceholderText("One recommendation to the region a line")
        self.status = QLabel("Reading…")
        self.save_button = QPushButton("&Save")
        self.save_button.setDefault(True)
        self.save_button.setEnabled(False)
        self.save_button.clicked.connect(self.save)
        close = QPushButton("Close")
        close.clicked.connect(self.reject)
        form = QFormLayout()
        form.addRow("Methodology introduction:", self.methodology)
        form.addRow("Conclusion:", self.conclusion)
        form.addRow("Recommendations to the region:", self.recommendations)
        buttons = QHBoxLayout()
        buttons.addWidget(self.status, 1)
        buttons.addWidget(self.save_button)
        buttons.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addLayout(form, 1)
        layout.addLayout(buttons)

        def work(progress: Any) -> Any:
            from ..services.regional_report.texts import lead_texts

            with db.read() as session:
                return lead_texts(session, round_label)

        run_task(work, self._loaded)

    def _loaded(self, texts: Any, error: BaseException | None) -> None:
        if error is not None:
            show_error(self, error, "The regional report's texts")
            return
        self.methodology.setPlainText(texts.methodology_intro)
        self.conclusion.setPlainText(texts.conclusion)
        self.recommendations.setPlainText("\n".join(text for _, text in texts.recommendations))
        self.status.setText("")
        self.save_button.setEnabled(True)

    def save(self) -> None:
        db, label = self.db, self.round_label
        values = (self.methodology.toPlainText(), self.conclusion.toPlainText(),
                  self.recommendations.toPlainText().split("\n"))
        self.save_button.setEnabled(False)

        def work(progress: Any) -> Any:
            from ..services.regional_report.texts import save_lead_texts

            return db.write(lambda session: save_lead_texts(session, label, *values)).result()

        run_task(work, self._saved)

    def _saved(self, texts: Any, error: BaseException | None) -> None:
        self.save_button.setEnabled(True)
        if error is not None:
            show_error(self, error, "The regional report's texts")
            return
        self.status.setText(f"Saved, with {len(texts.recommendations)} recommendation(s) to the region.")


# --- the regional report -----------------------------------------------------------------------------


class RegionalReportDialog(QDialog):
    """Choose the round label and where to save; export on a worker (after the identifying-data check)."""

    def __init__(self, db: Database, round_label: str | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.exported: Path | None = None
        self.setWindowTitle("Export the regional Section 11 report")
        self.resize(720, 260)
        self.round_box = QComboBox()
        self.round_box.addItems(round_labels(db))
        if round_label and self.round_box.findText(round_label) >= 0:
            self.round_box.setCurrentText(round_label)
        self.path_edit = QLineEdit()
        choose = QPushButton("Choose…")
        choose.clicked.connect(self.choose_path)
        path_row = QHBoxLayout()
        path_row.addWidget(self.path_edit, 1)
        path_row.addWidget(choose)
        self.groups_button = QPushButton("Recurring &recommendations…")
        self.groups_button.clicked.connect(lambda: open_groups(self, db, self.round_box.currentText()))
        self.texts_button = QPushButton("&Texts and recommendations to the region…")
        self.texts_button.clicked.connect(lambda: open_texts(self, db, self.round_box.currentText()))
        self.progress = QProgressBar()
        self.progress.hide()
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.export_button = QPushButton("Export")
        self.export_button.setDefault(True)
        self.export_button.clicked.connect(self.start_export)
        close = QPushButton("Close")
        close.clicked.connect(self.reject)
        form = QFormLayout()
        form.addRow("Round:", self.round_box)
        form.addRow("Save as:", path_row)
        buttons = QHBoxLayout()
        buttons.addWidget(self.groups_button)
        buttons.addWidget(self.texts_button)
        buttons.addStretch(1)
        buttons.addWidget(self.export_button)
        buttons.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.status)
        layout.addWidget(self.progress)
        layout.addLayout(buttons)
        self.round_box.currentTextChanged.connect(self._default_path)
        self._default_path(self.round_box.currentText())

    def _default_path(self, label: str) -> None:
        self.path_edit.setText(str(documents_folder() / f"Regional Section 11 report {label}.docx"))
        # Say which partnerships will be parts (seen: the dialog named none, so a lead could not tell
        # whether every return had been imported).
        names = partnerships_with(self.db, label) if label else []
        self.status.setText(f"{len(names)} partnership(s) with round {label} in this database, each one part: "
                            + "; ".join(names) + "." if names else "There is no peer-review round to collate yet.")

    def choose_path(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, "Export the regional report", self.path_edit.text(),
                                              "Word documents (*.docx)")
        if path:
            self.path_edit.setText(path)

    def start_export(self) -> None:
        label = self.round_box.currentText()
        text = self.path_edit.text().strip()
        if not label or not text:
            show_error(self, UserError("Choose a round and where to save the report."))
            return
        target = Path(text).expanduser()
        target = target if target.suffix.lower() == ".docx" else target.with_name(target.name + ".docx")
        db, author = self.db, self.db.author
        self.export_button.setEnabled(False)
        self.progress.setRange(0, 0)
        self.progress.show()
        self.status.setText("Exporting…")

        def work(override: bool, progress: Any) -> tuple[Path, list[str]]:
            from ..exports.regional_data import read_regional
            from ..exports.regional_docx import export_regional_report
            from ..services.partnership import word_template_source
            from ..services.review.rounds import the_partnership

            with db.session() as session:
                data = read_regional(session, label)
                own = the_partnership(session)
                warnings = export_regional_report(session, data, target, author=author, progress=progress,
                                                  override_identifying=override,
                                                  stored_template=word_template_source(own))
                if not override:
                    session.rollback()
            return target, warnings

        from .identifying_dialog import run_guarded

        run_guarded(self, work, self._exported, on_progress=self._progressed)

    def _progressed(self, done: int, total: int, message: str) -> None:
        self.progress.setRange(0, max(total, 1))
        self.progress.setValue(done)
        self.status.setText(message)

    def _exported(self, result: tuple[Path, list[str]] | None, error: BaseException | None) -> None:
        self.progress.hide()
        self.export_button.setEnabled(True)
        if error is not None or result is None:
            self.status.setText("Nothing was written.")
            if error is not None:
                show_error(self, error, "Regional report")
            return
        self.exported, warnings = result
        self.status.setText(f"Saved to {self.exported}" + (f". To check: {' '.join(warnings)}" if warnings else ""))


# --- the shared template -------------------------------------------------------------------------------


class TemplateChangesDialog(QDialog):
    """What a shared template would change in this database's round, with Apply and Cancel."""

    def __init__(self, changes: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Import the shared question template")
        self.resize(720, 420)
        text = QPlainTextEdit(changes)
        text.setReadOnly(True)
        apply_button = QPushButton("&Apply these changes")
        apply_button.clicked.connect(self.accept)
        cancel = QPushButton("Cancel")
        cancel.setDefault(True)
        cancel.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(apply_button)
        buttons.addWidget(cancel)
        layout = QVBoxLayout(self)
        layout.addWidget(text, 1)
        layout.addLayout(buttons)

    @classmethod
    def ask(cls, parent: QWidget | None, changes: str) -> bool:
        """True when the person chose to apply (tests replace this)."""
        return cls(changes, parent).exec() == QDialog.DialogCode.Accepted


def import_template_file(window: Any, path: str, done: Any = None) -> None:
    """Read the file on a worker, show what it would change (asking before applying), import on a worker."""
    from .my_key import open_then

    db = window.db
    report = done or (lambda message: window.statusBar().showMessage(message, 15000))

    def imported(summary: str | None, error: BaseException | None) -> None:
        if error is not None:
            show_error(window, error, "Import the shared question template")
            return
        window.data_changed.emit("*")
        report(summary)

    def read_then(opening: Any) -> None:
        def work(progress: Any) -> tuple[Any, str | None]:
            from ..exchange.container import read_package
            from ..importing import changes_to_confirm

            package = read_package(path, kinds={"template"}, opening=opening)
            return package, changes_to_confirm(db, package)

        def checked(result: tuple[Any, str | None] | None, error: BaseException | None) -> None:
            if error is not None:
                show_error(window, error, "Import the shared question template")
                return
            package, changes = result
            if changes and not TemplateChangesDialog.ask(window, changes):
                report("The shared template was not imported; nothing changed.")
                return
            from ..importing import import_read

            run_task(lambda progress: import_read(db, package), imported)

        run_task(work, checked)

    open_then(window, path, read_then)


def export_template_file(window: Any, path: str, round_id: int, done: Any = None) -> None:
    db = window.db
    report = done or (lambda message: window.statusBar().showMessage(message, 15000))

    def work(progress: Any) -> Path:
        from ..services.review.template_package import export_template_package

        with db.session() as session:
            round_ = session.get(Round, round_id)
            if round_ is None:
                raise UserError("That round no longer exists.")
            return export_template_package(session, round_, path, author=db.author)

    def exported(written: Path | None, error: BaseException | None) -> None:
        if error is not None:
            show_error(window, error, "Export the shared question template")
            return
        report(f"Saved the shared question template to {written}; each partnership imports it.")

    run_task(work, exported)


# --- the Export menu -------------------------------------------------------------------------------------


def open_groups(parent: QWidget, db: Database, label: str | None) -> RecurringGroupsDialog | None:
    if not label:
        show_error(parent, UserError("There is no peer-review round to collate yet."))
        return None
    dialog = RecurringGroupsDialog(db, label, parent)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.show()
    return dialog


def open_texts(parent: QWidget, db: Database, label: str | None) -> RegionalTextsDialog | None:
    if not label:
        show_error(parent, UserError("There is no peer-review round to collate yet."))
        return None
    dialog = RegionalTextsDialog(db, label, parent)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.show()
    return dialog


def open_regional_report(window: Any) -> RegionalReportDialog:
    dialog = RegionalReportDialog(window.db, label_of(window.db, window.current_round_id()), window)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.show()
    return dialog


def _choose_and_export_template(window: Any) -> None:
    round_id = window.current_round_id()
    if round_id is None:
        show_error(window, UserError("Choose the round whose template to share in the navigator first."))
        return
    label = label_of(window.db, round_id)
    path, _ = QFileDialog.getSaveFileName(window, "Export the shared question template",
                                          str(documents_folder() / f"Question template {label}.lgfx"),
                                          "LGF exchange files (*.lgfx)")
    if path:
        export_template_file(window, path, round_id)


def _choose_and_import_template(window: Any) -> None:
    path, _ = QFileDialog.getOpenFileName(window, "Import a shared question template", str(documents_folder()),
                                          "LGF exchange files (*.lgfx)")
    if path:
        import_template_file(window, path)


def install(window: Any) -> None:
    """The Export menu's regional entries."""
    menu = window.menu("&Export")
    menu.addSeparator()
    menu.addAction("Re&gional Section 11 report (Word)…", lambda: open_regional_report(window))
    menu.addAction("Recurring recommendations across &organisations…",
                   lambda: open_groups(window, window.db, label_of(window.db, window.current_round_id())
                                       or next(iter(round_labels(window.db)), None)))
    menu.addAction("S&hare the question template with the region (.lgfx)…",
                   lambda: _choose_and_export_template(window))
    menu.addAction("&Import a shared question template…", lambda: _choose_and_import_template(window))
