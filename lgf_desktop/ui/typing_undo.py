"""Ctrl+Z in small steps for the app's free-text boxes, as word processors do.

Qt's plain-text editor merges all consecutive typing into one undo command, so one Ctrl+Z can take
away a whole answer typed in bursts. ``SmallUndoSteps`` (mixed into a ``QPlainTextEdit``) starts a
new undo step at the first letter of each word, at a new line, and at any typing after a pause of
``BURST_PAUSE_S``: the keystroke is typed inside an edit block of its own, which Qt never merges with
the typing before it (the typing after it joins it, up to the next word).
"""

from __future__ import annotations

import time

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeyEvent, QTextCursor
from PySide6.QtWidgets import QPlainTextEdit

# Typing after a pause this long starts a new undo step even inside a word.
BURST_PAUSE_S = 1.5


def starts_undo_step(before: str, typed: str, paused: bool) -> bool:
    """Whether typing ``typed`` after the character ``before`` begins a new undo step: the first
    letter of a word, a new line, or anything after a pause."""
    if paused or not before or typed in ("\n", "\r", "\u2029"):
        return True
    return before.isspace() and not typed.isspace()


class SmallUndoSteps:
    """Mixin for a ``QPlainTextEdit``: each word or burst of typing is one undo step."""

    now = staticmethod(time.monotonic)  # the clock that measures pauses (tests replace it)
    _last_typed = float("-inf")
    _step_start = 0  # where the current undo step's typing began

    def _text_between(self, start: int, end: int) -> str:
        cursor = QTextCursor(self.document())
        cursor.setPosition(start)
        cursor.setPosition(end, QTextCursor.MoveMode.KeepAnchor)
        return cursor.selectedText()

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 (Qt's name)
        typed = event.text()
        if not typed or not typed.isprintable() and typed not in ("\r", "\n") or event.modifiers() & (
                Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier):
            super().keyPressEvent(event)
            return
        now = self.now()
        cursor = self.textCursor()
        before = "" if cursor.atStart() else self.document().characterAt(cursor.position() - 1)
        paused = now - self._last_typed >= BURST_PAUSE_S
        self._last_typed = now
        position = cursor.position()
        # A step that so far holds only spaces (typed after a pause) takes the word that follows.
        only_spaces = (not paused and self._step_start < position
                       and not self._text_between(self._step_start, position).strip())
        if not starts_undo_step(before, typed[0], paused) or only_spaces or cursor.hasSelection():
            super().keyPressEvent(event)
            return
        self._step_start = position
        # Qt merges consecutive typing into one undo command unless an edit block sits between:
        # typed inside its own block, this keystroke cannot merge with the ones before it.
        cursor.beginEditBlock()
        super().keyPressEvent(event)
        cursor.endEditBlock()


class UndoableText(SmallUndoSteps, QPlainTextEdit):
    """A plain-text box whose Ctrl+Z takes back a word or a burst of typing at a time."""
