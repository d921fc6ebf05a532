"""Pieces every form uses: a table model over rows of plain dicts, self-saving text fields, a
choice delegate, and the plain-words messages shown next to a field or above a form."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import (  # noqa: I001
    QAbstractItemView, QComboBox, QHeaderView, QLabel, QPlainTextEdit, QPushButton, QStyledItemDelegate,
    QTableView, QWidget,
)

from ..typing_undo import SmallUndoSteps

Index = QModelIndex | QPersistentModelIndex


@dataclass(frozen=True)
class Column:
    header: str
    key: str
    editable: bool = False
    check: bool = False  # shown as a check box; the row value is a bool
    choices: tuple[tuple[Any, str], ...] | None = None  # (value, label) for a drop-down editor


class RecordTableModel(QAbstractTableModel):
    """Rows are dicts with an ``id``; an edit calls ``on_edit(row, key, value)`` which saves it and
    returns True, or returns False (the row is left as it was)."""

    def __init__(self, columns: Sequence[Column], on_edit: Callable[[dict, str, Any], bool] | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.columns = list(columns)
        self.rows: list[dict[str, Any]] = []
        self.on_edit = on_edit

    def set_rows(self, rows: list[dict[str, Any]]) -> None:
        self.beginResetModel()
        self.rows = rows
        self.endResetModel()

    def row_id(self, row: int) -> int | None:
        return self.rows[row]["id"] if 0 <= row < len(self.rows) else None

    def row_of(self, record_id: int) -> int:
        return next((i for i, r in enumerate(self.rows) if r["id"] == record_id), -1)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(self.columns)

    def _label(self, column: Column, value: Any) -> str:
        if column.choices is not None:
            return next((label for v, label in column.choices if v == value), "" if value is None else str(value))
        return "" if value is None else str(value)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        column = self.columns[index.column()]
        value = self.rows[index.row()].get(column.key)
        if column.check:
            return (Qt.CheckState.Checked if value else Qt.CheckState.Unchecked) if role == Qt.ItemDataRole.CheckStateRole else None
        if role == Qt.ItemDataRole.DisplayRole:
            return self._label(column, value)
        if role == Qt.ItemDataRole.EditRole:
            return value
        if role == Qt.ItemDataRole.ToolTipRole:
            text = self._label(column, value)
            return text if len(text) > 40 else None
        return None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:  # noqa: N802
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal and 0 <= section < len(self.columns):
            return self.columns[section].header
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        column = self.columns[index.column()]
        if column.editable and self.on_edit is not None:
            flags |= Qt.ItemFlag.ItemIsUserCheckable if column.check else Qt.ItemFlag.ItemIsEditable
        return flags

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:  # noqa: N802
        if not index.isValid() or self.on_edit is None:
            return False
        column = self.columns[index.column()]
        if column.check:
            if role != Qt.ItemDataRole.CheckStateRole:
                return False
            value = Qt.CheckState(value) == Qt.CheckState.Checked
        elif role != Qt.ItemDataRole.EditRole:
            return False
        row, rows = self.rows[index.row()], self.rows
        if row.get(column.key) == value:
            return False
        if not self.on_edit(row, column.key, value):
            return False
        if self.rows is not rows:
            return True  # saving made a view reload this model: the index is stale, the rows are fresh
        row[column.key] = value
        self.dataChanged.emit(index, index, [role, Qt.ItemDataRole.DisplayRole])
        return True


class ChoiceDelegate(QStyledItemDelegate):
    """A drop-down editor for columns with ``choices``."""

    def __init__(self, model: RecordTableModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = model

    def _choices(self, index: Index) -> tuple | None:
        source = index.model()
        while hasattr(source, "sourceModel"):
            index = source.mapToSource(index)
            source = source.sourceModel()
        return self.model.columns[index.column()].choices

    def createEditor(self, parent: QWidget, option: Any, index: Index) -> QWidget:  # noqa: N802
        choices = self._choices(index)
        if choices is None:
            return super().createEditor(parent, option, index)
        combo = QComboBox(parent)
        for value, label in choices:
            combo.addItem(label, value)
        return combo

    def setEditorData(self, editor: QWidget, index: Index) -> None:  # noqa: N802
        if isinstance(editor, QComboBox):
            editor.setCurrentIndex(max(0, editor.findData(index.data(Qt.ItemDataRole.EditRole))))
        else:
            super().setEditorData(editor, index)

    def setModelData(self, editor: QWidget, model: Any, index: Index) -> None:  # noqa: N802
        if isinstance(editor, QComboBox):
            model.setData(index, editor.currentData(), Qt.ItemDataRole.EditRole)
        else:
            super().setModelData(editor, model, index)


def table_view(model: Any, stretch: int | None = None, parent: QWidget | None = None) -> QTableView:
    view = QTableView(parent)
    view.setModel(model)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setEditTriggers(QAbstractItemView.EditTrigger.DoubleClicked | QAbstractItemView.EditTrigger.EditKeyPressed
                         | QAbstractItemView.EditTrigger.SelectedClicked)
    view.verticalHeader().setVisible(False)
    view.setAlternatingRowColors(True)
    header = view.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    header.setStretchLastSection(stretch is None)
    if stretch is not None:
        header.setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)
    source = model.sourceModel() if hasattr(model, "sourceModel") else model
    if isinstance(source, RecordTableModel):
        view.setItemDelegate(ChoiceDelegate(source, view))
    return view


def fit_columns(view: QTableView) -> None:
    """Size the columns to their contents, leaving the stretched ones to share what is left.

    ``resizeColumnsToContents`` sizes stretched columns too, and on a page that was hidden while it
    loaded (another tab, another review) they keep that width until the window is resized: one long
    "what was offered" pushed the other columns off the side at 1366×768."""
    header = view.horizontalHeader()
    for column in range(header.count()):
        if header.sectionResizeMode(column) != QHeaderView.ResizeMode.Stretch:
            view.resizeColumnToContents(column)


def selected_id(view: QTableView) -> int | None:
    index = view.currentIndex()
    if not index.isValid():
        return None
    model = view.model()
    while hasattr(model, "sourceModel"):
        index = model.mapToSource(index)
        model = model.sourceModel()
    return model.row_id(index.row())


class AutoSaveText(SmallUndoSteps, QPlainTextEdit):
    """A text area that asks to be saved (``save_requested``) on the app's one rule for text
    (``ui/autosave.py``: after a pause, at most a second after the first unsaved keystroke, at once
    when left or when the app quits). It remembers the text and record version it last loaded or
    saved (``base``, ``version``), so a save can be refused when the record changed elsewhere
    (``Page.save_text``)."""

    save_requested = Signal(str)

    def __init__(self, placeholder: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        from ..autosave import SaveSchedule

        self.setPlaceholderText(placeholder)
        self.setTabChangesFocus(True)
        self._timer = SaveSchedule(self, self)  # named like a timer: stop() cancels a pending save
        self._timer.due.connect(self._due)
        self._dirty = False
        self.base = ""
        self.version: int | None = None
        self.textChanged.connect(self._changed)

    def set_text(self, text: str, version: int | None = None) -> None:
        """Show stored text (at the record's ``version``) without saving it back."""
        self._timer.stop()
        self._dirty = False
        self.base, self.version = text, version
        self._timer.quiet = True
        try:
            if self.toPlainText() != text:
                self.setPlainText(text)
                self.moveCursor(QTextCursor.MoveOperation.End)  # typing carries on after what is there
        finally:
            self._timer.quiet = False

    def _changed(self) -> None:
        if not self._timer.quiet:
            self._dirty = True
            self._timer.edited()

    def _due(self) -> None:
        if self._dirty:
            self.flush()

    def flush(self) -> None:
        self._timer.stop()
        self._dirty = False
        self.save_requested.emit(self.toPlainText())

    def pending(self) -> bool:
        return self._dirty


class Message(QLabel):
    """Plain words next to a field or above a form: a problem (amber) or an error (red); hidden when empty."""

    def __init__(self, parent: QWidget | None = None, error: bool = True) -> None:
        super().__init__(parent)
        self.setWordWrap(True)
        colour = "#a61b1b" if error else "#8a5300"
        self.setStyleSheet(f"color: {colour};")
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.hide()

    def show_messages(self, messages: Sequence[str]) -> None:
        self.setText("\n".join(f"⚠ {m}" for m in messages))
        self.setVisible(bool(messages))


def button(text: str, slot: Callable[[], Any], tooltip: str = "") -> QPushButton:
    widget = QPushButton(text)
    widget.clicked.connect(lambda _checked=False: slot())
    if tooltip:
        widget.setToolTip(tooltip)
    return widget


class Page(QWidget):
    """A page of the main window: saves through services and announces what changed."""

    def __init__(self, window: Any) -> None:
        super().__init__()
        self.main = window
        self.db = window.db
        self.own_change = False

    def apply(self, action: Callable[[Any], Any], changed: str, error: Message | None = None) -> bool:
        """Run ``action(session)`` as one user action; a UserError is shown beside the field
        (``error``) or in a message box, and nothing is changed."""
        from ...errors import UserError
        from ..errors import show_error

        try:
            with self.db.session() as session:
                action(session)
        except UserError as exc:
            if error is not None:
                error.show_messages([str(exc)])
            else:
                show_error(self, exc)
            return False
        except Exception as exc:  # noqa: BLE001 — a bug: reported, never a silent loss
            show_error(self, exc)
            return False
        if error is not None:
            error.show_messages([])
        self.own_change = True  # so this page does not reload itself under the edit it just made
        try:
            self.main.data_changed.emit(changed)
        finally:
            self.own_change = False
        return True

    def save(self, model: type, record_id: int, changed: str, error: Message | None = None, **values: Any) -> bool:
        from ...services.editing import update

        return self.apply(lambda session: update(session, model, record_id, **values), changed, error)

    def save_text(self, edit: AutoSaveText, model: type, record_id: int, field: str, changed: str,
                  error: Message | None = None) -> bool:
        """Save a text field over the record version it loaded. If the record changed elsewhere
        since, nothing is overwritten: ``conflict.settle`` refreshes the field or asks which text to
        keep, and the kept text is saved over the new version."""
        from ...errors import StaleEdit
        from ...services.editing import update
        from ..conflict import settle

        text = edit.toPlainText()
        for _attempt in range(3):
            saved: list[int] = []

            def action(session: Any, text: str = text) -> None:
                record = update(session, model, record_id, expected_version=edit.version, **{field: text})
                session.flush()
                saved.append(record.version)

            try:
                with self.db.session() as session:
                    action(session)
            except StaleEdit as exc:
                keep = settle(self, exc, edit.base, text, model.__tablename__.replace("_", " "))
                theirs = exc.current_text if exc.current_text is not None else edit.base
                edit.set_text(theirs, exc.current_version)
                if keep == theirs:
                    self.main.statusBar().showMessage(f"{exc} This page now shows what is saved.", 10000)
                    return True
                edit.setPlainText(keep)
                edit._timer.stop()
                text = keep
                continue
            except Exception:  # noqa: BLE001 — shown by apply, which runs the same action once more
                return self.apply(action, changed, error)
            edit.base, edit.version = text, saved[0]
            if error is not None:
                error.show_messages([])
            self.own_change = True
            try:
                self.main.data_changed.emit(changed)
            finally:
                self.own_change = False
            return True
        return False

    def flush(self) -> None:
        """Save any text still waiting for its debounce (called before the window closes)."""
        for text in self.findChildren(AutoSaveText):
            if text.pending():
                text.flush()
