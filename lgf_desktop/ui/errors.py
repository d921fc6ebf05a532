"""The one way the GUI tells a person that something went wrong.

A ``UserError`` (the environment or the input is at fault) is shown as its sentence; anything else
is a bug: it is logged with its traceback and shown as an internal error.
"""

from __future__ import annotations

from PySide6.QtWidgets import QMessageBox, QWidget

from ..error_log import describe_safely, log_internal_error
from ..errors import UserError


def show_error(parent: QWidget | None, exc: BaseException, title: str = "LGF Desktop") -> None:
    if isinstance(exc, UserError):
        QMessageBox.warning(parent, title, str(exc))
        return
    # Never the exception's message: it may hold what someone typed (see error_log).
    log = log_internal_error(exc, title)
    where = f" Details for support are in {log}." if log else ""
    QMessageBox.critical(parent, title, f"Something went wrong inside LGF Desktop ({describe_safely(exc)}). "
                         f"Your work up to the last save is in the database.{where}")
