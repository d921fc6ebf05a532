"""The one way the GUI tells a person that something went wrong.

A ``UserError`` (the input is at fault) is shown as its sentence, and so is a fault of the
environment (read-only, full disk, locked, damaged: ``storage_faults``); anything else is a bug: its
traceback is logged without any exception's text (it can hold SQL parameters or case text) and the
person is shown its type and a reference to that log entry.
"""

from __future__ import annotations

from PySide6.QtWidgets import QMessageBox, QWidget

from ..error_log import log_internal_error
from ..errors import UserError, new_reference
from ..storage_faults import describe_fault


def show_error(parent: QWidget | None, exc: BaseException, title: str = "LGF Desktop", path=None) -> None:
    """``path``: the database file, named in a storage fault's sentence (default: the window's)."""
    if isinstance(exc, UserError):
        QMessageBox.warning(parent, title, str(exc))
        return
    if path is None:
        db = getattr(parent.window(), "db", None) if parent is not None else None
        path = getattr(db, "path", None)
    sentence = describe_fault(exc, path)
    if sentence is not None:
        QMessageBox.warning(parent, title, sentence)
        return
    reference = new_reference()
    log_internal_error(exc, f"internal error {reference}")  # owner-only, never the message
    QMessageBox.critical(parent, title, f"Something went wrong inside LGF Desktop ({type(exc).__name__}, "
                         f"reference {reference}). Your work up to the last save is in the database.")
