"""The one exception type whose message is shown to a person as it is.

Anything the user or the environment got wrong (a foreign file, a locked database, an unknown round)
is raised as ``UserError`` with one plain sentence; the CLI prints it to stderr and the GUI shows it
in a message box. Any other exception is a bug.
"""


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
