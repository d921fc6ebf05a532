"""Pieces every form uses: a table model over rows of plain dicts, self-saving text fields, a
choice delegate, the plain-words messages shown next to a field or above a form, and a page shown
read-only (a round imported from another partnership)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import (  # noqa: I001
    QAbstractButton, QAbstractItemView, QAbstractSpinBox, QComboBox, QHeaderView, QLabel, QLineEdit,
    QPlainTextEdit, QPushButton, QStyledItemDelegate, QTabBar, QTableView, QTextEdit, QWidget,
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
        self.read_only = False  # set by ``show_read_only``: no cell editable, no box tickable

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
        if column.editable and self.on_edit is not None and not self.read_only:
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
    """A text area on the app's one rule for text (``ui/autosave.py``: after a pause, at most a second
    after the first unsaved keystroke, at once when left or when the app quits).

    Put on the one autosave with ``autosave_to`` (the report's texts: a round's, a review's comment),
    it saves itself through the writer without the page waiting, journals what is typed, and is
    checked against the record version it showed (``show_record``). Otherwise it asks its page to
    save (``save_requested``), remembering the text and version it last loaded (``base``, ``version``)."""

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
        self.autosave: Any = None
        self.textChanged.connect(self._changed)

    def autosave_to(self, page: Page, model: type, field: str, changed: str, label: str,
                    error: Message | None = None, *, store: Callable[[Any, int, str], Any] | None = None,
                    stored: Callable[[Any], str] | None = None, stored_as: Callable[[str], Any] = str.strip) -> None:
        """Save this box's text to ``model``'s ``field`` on the one autosave; ``changed`` is announced
        after each commit, a failed save is said in ``error`` (or the status bar).

        A record with several boxes side by side (a question's text and its sub-prompts) gives
        ``store(session, record_id, text)``, ``stored(record)`` (the field as its box shows it) and
        ``stored_as`` (how the service tidies a text): each box is then checked on its own field
        (``refuse_if_field_changed``), not the record's version, which the box beside it moves."""
        from ..autosave import AutoSave

        self._timer.stop()
        self._timer.due.disconnect(self._due)
        self.autosave = AutoSave(page.db, self, parent=self)
        self._record = (model, field, label)
        self._by_field = (store, stored, stored_as) if store is not None and stored is not None else None

        def saved(_target: Any, _text: str, when: Any) -> None:
            if error is not None:
                error.show_messages([])
            page.main.statusBar().showMessage(f"Saved {when:%H:%M:%S}", 5000)
            page.announce(changed)

        def failed(_target: Any, sentence: str) -> None:
            if error is not None:
                error.show_messages([sentence])
                if page.main.statusBar().currentMessage().startswith("Saved"):
                    page.main.statusBar().clearMessage()  # an earlier save's word must not stand beside a refusal
            else:
                page.main.statusBar().showMessage(f"⚠ {sentence}")

        self.autosave.saved.connect(saved)
        self.autosave.failed.connect(failed)

    def show_record(self, record_id: int | None, text: str, version: int | None) -> None:
        """Show a record's stored text (at ``version``); the text shown before is saved first."""
        from ...services.editing import get, update
        from ..autosave import SaveTarget, refuse_if_field_changed

        model, field, label = self._record
        target = None
        if record_id is not None and self._by_field is not None:
            store, stored, stored_as = self._by_field
            target = SaveTarget(f"{model.__tablename__}/{record_id}", field, label, None, None, key=record_id,
                                what=model.__tablename__.replace("_", " "), written=text)

            def save_field(session: Any, text: str, _version: int | None) -> None:
                record = get(session, model, record_id)
                refuse_if_field_changed(session, record, stored(record), target, text, stored_as)
                store(session, record_id, text)

            target.save = save_field
        elif record_id is not None:
            def save(session: Any, text: str, expected_version: int | None) -> int:
                record = update(session, model, record_id, expected_version=expected_version, **{field: text})
                session.flush()
                return record.version

            target = SaveTarget(f"{model.__tablename__}/{record_id}", field, label, save, version, key=record_id,
                                what=model.__tablename__.replace("_", " "))
        shown = self.autosave.target
        # The same record again is a refresh after someone else's change: the reader keeps their place.
        again = shown is not None and target is not None and (shown.record, shown.field) == (target.record, field)
        self.autosave.load(target, lambda: self._fill(text, keep_place=again))

    def set_text(self, text: str, version: int | None = None) -> None:
        """Show stored text (at the record's ``version``) without saving it back."""
        self._timer.stop()
        self._dirty = False
        self.base, self.version = text, version
        self._timer.quiet = True
        try:
            self._fill(text)
        finally:
            self._timer.quiet = False

    def _fill(self, text: str, keep_place: bool = False) -> None:
        if self.toPlainText() == text:
            return
        position, scrolled = self.textCursor().position(), self.verticalScrollBar().value()
        self.setPlainText(text)
        if keep_place:
            cursor = self.textCursor()
            cursor.setPosition(min(position, len(text)))
            self.setTextCursor(cursor)
            self.verticalScrollBar().setValue(scrolled)
        else:
            self.moveCursor(QTextCursor.MoveOperation.End)  # typing carries on after what is there

    def _changed(self) -> None:
        if self.autosave is None and not self._timer.quiet:
            self._dirty = True
            self._timer.edited()

    def _due(self) -> None:
        if self._dirty:
            self.flush()

    def flush(self) -> bool:
        """Save now; on the one autosave, also wait: True when the database holds the text shown."""
        if self.autosave is not None:
            return self.autosave.flush()
        self._timer.stop()
        self._dirty = False
        self.save_requested.emit(self.toPlainText())
        return True

    def pending(self) -> bool:
        if self.autosave is not None:
            return self.autosave.pending or bool(self.autosave._inflight)
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


def hold_edits(root: QWidget) -> Callable[[], None]:
    """Make every text box under ``root`` read-only and every button and choice disabled, and return
    what puts each back as it was: while the window shows its first page before the database layer
    is loaded, what it shows can be read, and nothing typed or clicked there can be lost."""
    held: list[tuple[QWidget, bool]] = []  # (widget, True: made read-only / False: disabled)
    for widget in root.findChildren(QWidget):
        if isinstance(widget, (QLineEdit, QPlainTextEdit, QAbstractSpinBox)):
            if not widget.isReadOnly():
                widget.setReadOnly(True)
                held.append((widget, True))
        elif isinstance(widget, (QAbstractButton, QComboBox)) and widget.isEnabled() \
                and not isinstance(widget.parent(), QTabBar):  # a tab bar's scroll arrows are its own
            widget.setEnabled(False)
            held.append((widget, False))

    def release() -> None:
        for widget, read_only in held:
            try:
                widget.setReadOnly(False) if read_only else widget.setEnabled(True)
            except RuntimeError:  # deleted meanwhile (its page was rebuilt): nothing to put back
                pass
        held.clear()

    return release


def button(text: str, slot: Callable[[], Any], tooltip: str = "") -> QPushButton:
    widget = QPushButton(text)
    widget.clicked.connect(lambda _checked=False: slot())
    if tooltip:
        widget.setToolTip(tooltip)
    return widget


LOOKING_ONLY = ("History…", "Open review", "Open round")  # buttons that change nothing stay usable


def show_read_only(area: QWidget, read_only: bool) -> None:
    """Show every field under ``area`` read-only (or editable again): text can be read, selected and
    copied but not changed, choices and buttons that would change something are off, table cells
    are not editable. The data layer refuses such changes anyway (``services.region.read_only``);
    this is so nobody types into a page that cannot keep it."""
    for text in (*area.findChildren(QLineEdit), *area.findChildren(QPlainTextEdit), *area.findChildren(QTextEdit)):
        text.setReadOnly(read_only)
    for widget in (*area.findChildren(QAbstractButton), *area.findChildren(QComboBox),
                   *area.findChildren(QAbstractSpinBox)):
        if isinstance(widget, QAbstractButton) and widget.text().replace("&", "") in LOOKING_ONLY:
            continue
        if isinstance(widget.parent(), (QAbstractSpinBox, QTabBar)):
            continue  # a spin box's own parts, a tab bar's scroll arrows: looking, not changing
        widget.setEnabled(not read_only)
    for view in area.findChildren(QAbstractItemView):
        model = view.model()
        if isinstance(model, RecordTableModel) and model.read_only != read_only:
            model.beginResetModel()
            model.read_only = read_only
            model.endResetModel()


class Page(QWidget):
    """A page of the main window: saves through services and announces what changed."""

    def __init__(self, window: Any) -> None:
        super().__init__()
        self.main = window
        self.own_change = False

    @property
    def db(self) -> Any:
        """The window's open ``Database``; None while the window shows its first page before the
        database layer is loaded (then the page shows what it read and holds every edit)."""
        return self.main.db

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

    def announce(self, changed: str) -> None:
        """Say a change this page made, without the page reloading itself under the edit."""
        self.own_change = True
        try:
            self.main.data_changed.emit(changed)
        finally:
            self.own_change = False

    def flush(self) -> bool:
        """Save any text still waiting (called before the window closes or the page shows another
        record): False while one is not in the database (``problem`` says why)."""
        return all([text.flush() for text in self.findChildren(AutoSaveText) if text.pending()])

    @property
    def problem(self) -> str:
        return next((t.autosave.problem for t in self.findChildren(AutoSaveText)
                     if t.autosave is not None and t.autosave.problem), "")
