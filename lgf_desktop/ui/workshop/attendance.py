"""Attendance in the workshop: tick the round's panel members present, and add the organisation's
representatives (name, role, and a note the report prints after the name, such as "who joined for the
last half hour") and apologies on the fly. Removing one asks first and can be undone."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QAbstractListModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView, QFormLayout, QHBoxLayout, QHeaderView, QLabel, QLineEdit, QListView, QPushButton,
    QTableView, QVBoxLayout, QWidget,
)

from ...errors import UserError
from ...models import Representative
from ...services.review import workshop as ws
from ..deleting import UndoableDeletes
from ..errors import show_error
from ..table_models import RowsTableModel
from .recommendations import widget_shortcut, workshop_deletes

if TYPE_CHECKING:
    from ...db import Database

Index = QModelIndex | QPersistentModelIndex


class PanelPresenceModel(QAbstractListModel):
    """The round's panel, one checkable row per member (checked = present)."""

    presence_changed = Signal(int, bool)  # panel_member_id, present

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.members: list[tuple[int, str, bool]] = []  # (panel_member_id, label, present)

    def set_members(self, members: list[tuple[int, str, bool]]) -> None:
        self.beginResetModel()
        self.members = members
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802 (Qt's name)
        return 0 if parent.isValid() else len(self.members)

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsUserCheckable

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        member_id, label, present = self.members[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return label
        if role == Qt.ItemDataRole.CheckStateRole:
            return Qt.CheckState.Checked if present else Qt.CheckState.Unchecked
        if role == Qt.ItemDataRole.UserRole:
            return member_id
        return None

    def setData(self, index: Index, value, role: int = Qt.ItemDataRole.EditRole) -> bool:  # noqa: N802
        if not index.isValid() or role != Qt.ItemDataRole.CheckStateRole:
            return False
        present = Qt.CheckState(value) == Qt.CheckState.Checked if not isinstance(value, bool) else value
        member_id, label, _ = self.members[index.row()]
        self.members[index.row()] = (member_id, label, present)
        self.dataChanged.emit(index, index, [Qt.ItemDataRole.CheckStateRole])
        self.presence_changed.emit(member_id, present)
        return True


class PresenceView(QListView):
    """The panel list. Space ticks the current member only once the chair came here on purpose —
    Ctrl+L (``arm()``), a click, or an arrow key in the list — so a chair still typing a sentence
    after a stray Tab does not untick anyone with the next space. Letters never move the cursor
    (no keyboard search) for the same reason."""

    NAVIGATION = {Qt.Key.Key_Up, Qt.Key.Key_Down, Qt.Key.Key_Home, Qt.Key.Key_End,
                  Qt.Key.Key_PageUp, Qt.Key.Key_PageDown}
    TOGGLE = {Qt.Key.Key_Space, Qt.Key.Key_Select}

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.armed = False
        self.hint = QLabel("Press ↑ or ↓ to choose a member, then Space to tick; Esc goes back to the response.")
        self.hint.setWordWrap(True)
        self.hint.setStyleSheet("color: #8a4b00")
        self.hint.hide()

    def arm(self) -> None:
        self.armed = True
        self.hint.hide()

    def focusInEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        reason = event.reason()
        if reason in (Qt.FocusReason.ShortcutFocusReason, Qt.FocusReason.MouseFocusReason):
            self.arm()
        elif reason in (Qt.FocusReason.TabFocusReason, Qt.FocusReason.BacktabFocusReason, Qt.FocusReason.OtherFocusReason):
            self.armed = False
            self.hint.show()
        # Any other reason (back from a dialog, another window or a menu): armed as it was.
        super().focusInEvent(event)

    def focusOutEvent(self, event) -> None:  # noqa: N802
        self.hint.hide()
        super().focusOutEvent(event)

    def mousePressEvent(self, event) -> None:  # noqa: N802
        self.arm()
        super().mousePressEvent(event)

    def keyPressEvent(self, event) -> None:  # noqa: N802
        key = event.key()
        if key in self.NAVIGATION:
            self.arm()
        elif key in self.TOGGLE and not self.armed:
            self.hint.show()
            event.accept()
            return
        super().keyPressEvent(event)

    def keyboardSearch(self, search: str) -> None:  # noqa: N802
        if search.strip():
            self.hint.setVisible(not self.armed)


class RepresentativesModel(RowsTableModel):
    """Name | Role | Attendance ("attended" or "apologies", with "+ note" when it has one); rows are
    (id, name, role, kind, note); the note is each cell's tooltip."""

    HEADERS = ("Name", "Role", "Attendance")

    def __init__(self, parent=None) -> None:
        super().__init__(parent=parent)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        rep_id, name, role_title, kind, note = self.rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            attendance = ("apologies" if kind == "apologies" else "attended") + (" + note" if note else "")
            return (name, role_title, attendance)[index.column()]
        if role == Qt.ItemDataRole.ToolTipRole and note:
            return f"{name}, {note}"
        if role == Qt.ItemDataRole.UserRole:
            return rep_id
        return None


class AttendancePanel(QWidget):
    changed = Signal()

    def __init__(self, db: Database, review_id: int, deletes: UndoableDeletes | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.review_id = review_id
        self.deletes = deletes or workshop_deletes(db, self)
        self.panel_model = PanelPresenceModel(self)
        self.panel_model.presence_changed.connect(self._presence)
        self.panel_view = PresenceView()
        self.panel_view.setModel(self.panel_model)
        self.panel_view.setAccessibleName("Panel members present")
        self.reps_model = RepresentativesModel(self)
        self.reps_view = QTableView()
        self.reps_view.setModel(self.reps_model)
        self.reps_view.verticalHeader().hide()
        self.reps_view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.reps_view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        # "attended" / "apologies" need no more than their header: the name and role share the rest.
        self.reps_view.horizontalHeader().setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        self.reps_view.setAccessibleName("Representatives and apologies")
        widget_shortcut(QKeySequence.StandardKey.Delete, self.reps_view, self.remove_selected)
        self.name = QLineEdit()
        self.name.setPlaceholderText("Name")
        self.name.setAccessibleName("Representative's name")
        self.role = QLineEdit()
        self.role.setPlaceholderText("Role")
        self.role.setAccessibleName("Representative's role")
        self.note = QLineEdit()
        self.note.setPlaceholderText("Note, e.g. who joined for the last half hour")
        self.note.setAccessibleName("Note on attendance")
        self.note.setToolTip("Printed after the name in the report (optional).")
        self.name.returnPressed.connect(self.role.setFocus)
        self.role.returnPressed.connect(lambda: self.add("attended"))
        self.note.returnPressed.connect(lambda: self.add("attended"))
        attended = QPushButton("Add attendee")
        attended.clicked.connect(lambda: self.add("attended"))
        apologies = QPushButton("Add apologies")
        apologies.clicked.connect(lambda: self.add("apologies"))
        remove = QPushButton("Remove")
        remove.clicked.connect(self.remove_selected)

        form = QFormLayout()
        form.addRow("Name", self.name)
        form.addRow("Role", self.role)
        form.addRow("Note", self.note)
        buttons = QHBoxLayout()
        for button in (attended, apologies, remove):
            buttons.addWidget(button)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("Panel members present (Space ticks):"))
        layout.addWidget(self.panel_view, 2)
        layout.addWidget(self.panel_view.hint)
        layout.addWidget(QLabel("From the organisation (Enter in Role adds an attendee):"))
        layout.addLayout(form)
        layout.addLayout(buttons)
        layout.addWidget(self.reps_view, 3)
        self.refresh()

    def refresh(self) -> None:
        with self.db.session() as session:
            review = ws.get_review(session, self.review_id)
            present = {p.panel_member_id for p in review.panel_present}
            members = [(m.id, f"{m.person.name} ({m.role})" if m.role == "chair" else m.person.name, m.id in present)
                       for m in review.round.panel]
            reps = [(r.id, r.name, r.role, r.kind, r.note) for r in review.representatives]
        self.panel_model.set_members(members)
        self.reps_model.set_rows(reps)

    def _presence(self, member_id: int, present: bool) -> None:
        self._change(lambda session, review: ws.set_present(session, review, member_id, present), refresh=False)

    def add(self, kind: str) -> None:
        if self._change(lambda session, review: ws.add_representative(session, review, self.name.text(),
                                                                         self.role.text(), kind, self.note.text())):
            self.name.clear()
            self.role.clear()
            self.note.clear()
            self.name.setFocus()

    def remove_selected(self) -> None:
        rows = self.reps_view.selectionModel().selectedRows()
        if not rows:
            return
        rep_id, name, _role, kind, _note = self.reps_model.rows[rows[0].row()]
        what = f"{name}'s apologies" if kind == "apologies" else f"{name} from those who attended"
        if self.deletes.delete(self, Representative, rep_id, what):
            self.refresh()
            self.changed.emit()

    def _change(self, change, refresh: bool = True) -> bool:
        try:
            with self.db.session() as session:
                change(session, ws.get_review(session, self.review_id))
        except UserError as exc:
            show_error(self, exc)
            self.refresh()
            return False
        if refresh:
            self.refresh()
        self.changed.emit()
        return True
