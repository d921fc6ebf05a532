"""Deleting asks first and can be undone: the one mechanism behind the main window's Edit → Undo
delete, the workshop's Recommendation → Undo delete and the audit links' Undo remove. Records go
through ``services.undo_delete`` snapshots."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QMessageBox, QWidget

from .errors import show_error

if TYPE_CHECKING:
    from ..db import Database
    from ..services import undo_delete


def confirm(parent: QWidget | None, title: str, question: str) -> bool:
    """Ask a yes/no question, No being the default (tests replace this function)."""
    answer = QMessageBox.question(parent, title, question,
                                  QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                                  QMessageBox.StandardButton.No)
    return answer == QMessageBox.StandardButton.Yes


class UndoableDeletes(QObject):
    """Records deleted here, newest last, each kept as an ``undo_delete.Snapshot``."""

    changed = Signal()  # after a delete or an undo

    def __init__(self, db: Database, undo_where: str, parent: QObject | None = None) -> None:
        """``undo_where`` finishes "You can bring it back with …", e.g. "the Undo remove button"."""
        super().__init__(parent)
        self.db = db
        self.undo_where = undo_where
        self.stack: list[undo_delete.Snapshot] = []

    def delete(self, parent: QWidget, model: type, record_id: int, what: str) -> bool:
        """Ask (No is the default), then delete; False when the person said no or it could not be done."""
        from ..services import undo_delete  # imported on first use: the window shows before SQLAlchemy loads

        try:
            with self.db.session() as session:
                snap = undo_delete.snapshot(session, model, record_id)
            question = f"Delete {what}?"
            if snap.summary():
                question += f"\n\nThis also deletes {snap.summary()}."
            question += f"\n\nYou can bring it back with {self.undo_where}."
            if not confirm(parent, "Delete", question):
                return False
            with self.db.session() as session:
                snap = undo_delete.delete(session, model, record_id)
        except Exception as exc:  # noqa: BLE001 — every failure reaches the person as a sentence
            show_error(parent, exc)
            return False
        self.stack.append(snap)
        self.changed.emit()
        return True

    def undo(self, parent: QWidget) -> undo_delete.Snapshot | None:
        """Bring back the newest deleted record; its snapshot, or None (nothing to undo, or refused)."""
        from ..services import undo_delete

        if not self.stack:
            return None
        snap = self.stack[-1]
        try:
            with self.db.session() as session:
                undo_delete.restore(session, snap)
        except Exception as exc:  # noqa: BLE001
            show_error(parent, exc)
            return None
        self.stack.pop()
        self.changed.emit()
        return snap

    def action_text(self) -> str:
        return f"Undo delete {self.stack[-1].label[:50]}" if self.stack else "Undo delete"
