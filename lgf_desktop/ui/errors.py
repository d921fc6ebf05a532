"""The one way the GUI tells a person that something went wrong.

A ``UserError`` (the environment or the input is at fault) is shown as its sentence; anything else
is a bug: it is logged with its traceback and shown as an internal error.
"""

from __future__ import annotations

import logging
import traceback

from PySide6.QtWidgets import QMessageBox, QWidget

from ..errors import UserError

log = logging.getLogger("lgf_desktop")


def error_message(exc: BaseException) -> str:
    """The sentence the person reads for ``exc``."""
    if isinstance(exc, UserError):
        return str(exc)
    return (f"Something went wrong inside LGF Desktop ({type(exc).__name__}: {exc}). "
            "Your work up to the last save is in the database.")


def show_error(parent: QWidget | None, exc: BaseException, title: str = "LGF Desktop") -> None:
    if not isinstance(exc, UserError):
        log.error("".join(traceback.format_exception(exc)))
    present_error(parent, exc, title, error_message(exc))


def present_error(parent: QWidget | None, exc: BaseException, title: str, text: str) -> None:
    """The message box itself (tests replace this one function to read what the person was told)."""
    if isinstance(exc, UserError):
        QMessageBox.warning(parent, title, text)
    else:
        QMessageBox.critical(parent, title, text)
