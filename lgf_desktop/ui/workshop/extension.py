"""Plugs the workshop into the main window: "Open workshop" on the selected review (Ctrl+Shift+W)
and a Workshop menu with the panel members' notes exchange."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog, QMessageBox

from ...errors import UserError
from ..errors import show_error
from ..tasks import run_task

if TYPE_CHECKING:
    from .window import WorkshopWindow

OPEN_SHORTCUT = "Ctrl+Shift+W"


def install(window: Any) -> None:
    """Only actions here: the workshop window and the exchange code are imported on first use, so
    installing costs nothing at start-up."""
    open_windows: dict[int, WorkshopWindow] = {}

    def open_workshop(review_id: int) -> WorkshopWindow:
        from .window import WorkshopWindow

        existing = open_windows.get(review_id)
        if existing is not None:
            existing.show()
            existing.raise_()
            existing.activateWindow()
            return existing
        workshop = WorkshopWindow(window.db, review_id, window)
        workshop.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        workshop.changed.connect(window.data_changed.emit)
        # Any change elsewhere (another screen, the CLI, an import): show the responses as stored.
        window.data_changed.connect(workshop.refresh_from_database)
        workshop.destroyed.connect(lambda: open_windows.pop(review_id, None))
        open_windows[review_id] = workshop
        workshop.show()
        return workshop

    window.open_workshop = open_workshop  # for tests and other features
    action = window.add_review_action("Open workshop", OPEN_SHORTCUT, open_workshop)
    menu = window.menu("&Workshop")
    menu.addAction(action)
    menu.addSeparator()
    menu.addAction("Import panel member's notes…", lambda: import_notes(window))
    menu.addAction("Export my notes…", lambda: export_notes(window))


def import_notes(window: Any, path: str | None = None) -> None:
    if path is None:
        path, _ = QFileDialog.getOpenFileName(window, "Import panel member's notes", str(Path.home()),
                                              "LGF exchange files (*.lgfx)")
    if not path:
        return

    from ...importing import import_file

    def done(summary, error) -> None:
        if error is not None:
            show_error(window, error, "Import panel member's notes")
            return
        window.data_changed.emit("note_contribution")
        QMessageBox.information(window, "Import panel member's notes", summary)

    from ..my_key import open_then

    open_then(window, path, lambda opening: run_task(lambda progress: import_file(window.db, path, opening=opening), done))


def export_notes(window: Any, path: str | None = None) -> None:
    review_id = window.current_review_id()
    if review_id is None:
        show_error(window, UserError("Select the peer review whose notes you want to export first."))
        return
    if path is None:
        path, _ = QFileDialog.getSaveFileName(window, "Export my notes", str(Path.home() / f"{window.db.user} notes.lgfx"),
                                              "LGF exchange files (*.lgfx)")
    if not path:
        return

    from ...services.review import notes_exchange

    from ..my_key import unlock_then
    from ..recipients import ask_for_notes

    go, passphrase = ask_for_notes(window, window.db, review_id)
    if not go:
        return

    def work(override, progress):
        with window.db.session() as session:
            return notes_exchange.export_notes(session, review_id, window.db.user, path, override_identifying=override,
                                               passphrase=passphrase)

    def done(result, error) -> None:
        if error is not None:
            show_error(window, error, "Export my notes")
            return
        if result is None:
            return  # they chose not to send what the identifying-data check found
        written, count = result
        QMessageBox.information(window, "Export my notes",
                                f"{count} note(s) were written to {written}; send this file to the chair.")

    from ..identifying_dialog import run_guarded

    unlock_then(window, lambda: run_guarded(window, work, done))
