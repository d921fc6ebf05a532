"""The one exception type whose message is shown to a person as it is.

Anything the user or the environment got wrong (a foreign file, a locked database, an unknown round)
is raised as ``UserError`` with one plain sentence; the CLI prints it to stderr and the GUI shows it
in a message box. Any other exception is a bug: reported by its type and a reference, its
traceback logged without any exception's text (``safe_traceback`` here; the one writer of the log is
``error_log.log_internal_error``, owner-only).
"""

from __future__ import annotations


class UserError(Exception):
    """An error whose message is a plain sentence meant for the person using the app."""


class StaleEdit(UserError):
    """A save refused because the record changed underneath the screen (another window, the CLI, an
    import) since the screen loaded it. Carries what the database now holds, so the screen can
    refresh quietly (no unsaved edits) or keep both texts and let the person choose."""

    def __init__(self, message: str, *, current_text: str | None = None, current_version: int | None = None) -> None:
        super().__init__(message)
        self.current_text = current_text
        self.current_version = current_version


def new_reference() -> str:
    """A short reference that ties what a person is shown to the matching entry in the log."""
    import uuid

    return uuid.uuid4().hex[:8].upper()


def safe_traceback(exc: BaseException) -> str:
    """A bug's traceback for the log: where it happened and the exception types, never their text.

    An exception's text can hold SQL, its parameter values or case text (SQLAlchemy puts the
    statement and its parameters in the message), so only frames and type names are kept.
    """
    import traceback

    parts: list[str] = []
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        name = f"{type(current).__module__}.{type(current).__qualname__}"
        code = getattr(current, "sqlite_errorname", None) or getattr(getattr(current, "orig", None), "sqlite_errorname", None)
        parts.append("".join(traceback.format_tb(current.__traceback__)) + name + (f" [{code}]" if code else "") + "\n")
        current = current.__cause__ or current.__context__
        if current is not None:
            parts.append("caused by / while handling:\n")
    return "Traceback (most recent call last, text withheld):\n" + "".join(parts)

