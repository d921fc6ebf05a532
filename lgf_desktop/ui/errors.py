"""The one way the GUI tells a person that something went wrong.

A ``UserError`` (the input is at fault) is shown as its sentence, and so is a fault of the
environment (read-only, full disk, locked, damaged: ``storage.faults``); anything else is a bug: its
traceback is logged without any exception's text (it can hold SQL parameters or case text) and the
person is shown its type and a reference to that log entry.
"""

from __future__ import annotations

from PySide6.QtWidgets import QMessageBox, QWidget

from ..error_log import log_internal_error
from ..errors import UserError, new_reference
from ..storage.faults import describe_fault


def show_error(parent: QWidget | None, exc: BaseException, title: str = "LGF Desktop", path=None,
               doing: str = "") -> None:
    """``path``: the database file, named in a storage fault's sentence (default: the window's).
    ``doing``: what was under way, for a bug's message ("opening /path/lgf.sqlite3")."""
    if isinstance(exc, UserError):
        present_error(parent, exc, title, str(exc))
        return
    if path is None:
        db = getattr(parent.window(), "db", None) if parent is not None else None
        path = getattr(db, "location", None)
    sentence = describe_fault(exc, path)
    if sentence is not None:
        present_error(parent, exc, title, sentence)
        return
    reference = new_reference()
    written = log_internal_error(exc, f"internal error {reference}")  # owner-only, never the message
    where = f"; details in {written}" if written else ""
    during = f" while {doing}" if doing else ""
    present_error(parent, exc, title, f"Something went wrong inside LGF Desktop{during} ({type(exc).__name__}, "
                  f"reference {reference}{where}). Your work up to the last save is in the database.", bug=True)


def present_error(parent: QWidget | None, exc: BaseException, title: str, text: str, *, bug: bool = False) -> None:
    """The message box itself: a warning for what the person or the machine can put right, critical
    for a bug (tests replace this one function to read what the person was told)."""
    if bug:
        QMessageBox.critical(parent, title, text)
    else:
        QMessageBox.warning(parent, title, text)
