"""The error log: where a bug's traceback goes, without a word anyone typed.

An exception's message can carry case text — an SQL error lists its parameters, a ``KeyError`` shows
its key, a ``ValueError`` the value it refused. So the log (``lgf-errors.log`` in the user's data
folder, owner-only) and what a person is shown name the exception's type and where it happened (file,
line, function and source line: our code, not their words), never its message. ``UserError`` messages
are sentences we wrote and may be shown as they are; they never reach the log.
"""

from __future__ import annotations

import logging
import os
from datetime import datetime, timezone
from pathlib import Path

from .errors import safe_traceback
from .paths import user_data_dir
from .private_files import FILE_MODE, make_private, private_folder

LOG_NAME = "lgf-errors.log"
LOGGER = "lgf_desktop"


def log_path() -> Path:
    return user_data_dir() / LOG_NAME


def _append(text: str) -> Path | None:
    path = log_path()
    try:
        private_folder(path.parent)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, FILE_MODE)
        with os.fdopen(fd, "a", encoding="utf-8") as fh:
            fh.write(f"--- {datetime.now(timezone.utc).isoformat(timespec='seconds')} {text}")
        make_private(path)
        return path
    except OSError:
        return None


def log_internal_error(exc: BaseException, where: str = "") -> Path | None:
    """Append the exception to the error log; returns the log's path, or None if it cannot be written."""
    return _append(f"{where}\n{safe_traceback(exc)}")


class _SafeHandler(logging.Handler):
    """Sends ``lgf_desktop`` log records to the error log: the record's own words (a sentence in our
    code, whose %-arguments are left out) and the exception's safe traceback."""

    def emit(self, record: logging.LogRecord) -> None:
        try:
            message = str(record.msg)
            if record.exc_info and record.exc_info[1] is not None:
                log_internal_error(record.exc_info[1], where=message)
            elif record.levelno >= logging.WARNING:
                _append(f"{record.levelname}: {message}\n")
        except Exception:  # logging must never raise into the caller
            pass


def install_logging() -> None:
    """Route the app's logger to the safe error log instead of stderr (called once at start)."""
    logger = logging.getLogger(LOGGER)
    if not any(isinstance(h, _SafeHandler) for h in logger.handlers):
        logger.addHandler(_SafeHandler())
    logger.propagate = False
