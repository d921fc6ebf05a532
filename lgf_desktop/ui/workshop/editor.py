"""The response editor and its autosave.

The editor is plain text (paragraphs and "- " / "• " bullet lines, which is what the Word report
renders); text pasted from Word, e-mail or the web keeps its paragraphs and loses its formatting.
The autosave writes the text 500 ms after the last keystroke, and at once when the question changes,
the editor loses focus or the window closes, each save one short transaction (a few milliseconds,
see ``benchmarks/bench_autosave.py``), so typing never waits for the database. Each save names the
version of the response the editor loaded; if another window, the CLI or an import changed it since,
the save is refused and ``conflict.settle`` decides (refresh, or let the chair choose).

Ctrl+Z undoes in small steps, as word processors do: each new word, and typing after a pause, starts
its own undo step (Qt would otherwise merge all consecutive typing into one).
"""

from __future__ import annotations

import time
from datetime import datetime

from PySide6.QtCore import QMimeData, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QFocusEvent, QFont, QKeyEvent, QTextCursor, QTextDocument
from PySide6.QtWidgets import QPlainTextEdit, QWidget

from ...errors import StaleEdit, UserError
from ...services.workshop import clean_pasted_text, save_response
from ..conflict import settle

DEBOUNCE_MS = 500
RETRY_MS = 2000
# Typing after a pause this long starts a new undo step even inside a word.
BURST_PAUSE_S = 1.5


def starts_undo_step(before: str, typed: str, paused: bool) -> bool:
    """Whether typing ``typed`` after the character ``before`` begins a new undo step: the first
    letter of a word, a new line, or anything after a pause."""
    if paused or not before or typed in ("\n", "\r", "\u2029"):
        return True
    return before.isspace() and not typed.isspace()


class ResponseEditor(QPlainTextEdit):
    """A plain-text editor that pastes clean paragraphs and says when it loses focus."""

    focus_lost = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTabChangesFocus(True)
        self.setAccessibleName("Response")
        font = QFont(self.font())
        font.setPointSizeF(font.pointSizeF() * 1.15)
        self.setFont(font)

    def canInsertFromMimeData(self, source: QMimeData) -> bool:  # noqa: N802 (Qt's name)
        return source.hasText() or source.hasHtml()

    def insertFromMimeData(self, source: QMimeData) -> None:  # noqa: N802
        if source.hasText():
            text = source.text()
        elif source.hasHtml():  # some web pages offer only HTML: keep its paragraphs, drop the rest
            document = QTextDocument()
            document.setHtml(source.html())
            text = document.toPlainText()
        else:
            return
        self.insertPlainText(clean_pasted_text(text))

    def focusOutEvent(self, event: QFocusEvent) -> None:  # noqa: N802
        super().focusOutEvent(event)
        self.focus_lost.emit()

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
        only_spaces = not paused and self._step_start < position and not self._text_between(self._step_start, position).strip()
        if not starts_undo_step(before, typed[0], paused) or only_spaces or cursor.hasSelection():
            super().keyPressEvent(event)
            return
        self._step_start = position
        # Qt merges consecutive typing into one undo command unless an edit block sits between:
        # typed inside its own block, this keystroke cannot merge with the ones before it.
        cursor.beginEditBlock()
        super().keyPressEvent(event)
        cursor.endEditBlock()

    def text(self) -> str:
        # toPlainText would turn non-breaking spaces into plain ones; the raw text keeps every
        # character the chair typed, with Qt's paragraph separators turned back into line breaks.
        return self.document().toRawText().replace("\u2029", "\n")


class AutoSaver(QObject):
    """Saves the editor's text for one question of one review, debounced; reports each save."""

    saved = Signal(int, str, object)  # question_id, text, datetime of the save
    failed = Signal(str)
    refreshed = Signal(int, str, str)  # question_id, text now shown, why (after a change elsewhere)

    def __init__(self, db, review_id: int, editor: ResponseEditor, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.review_id = review_id
        self.editor = editor
        self.question_id: int | None = None
        self.saved_text = ""
        self.version: int | None = None  # the response's version the text was loaded from (0: none yet)
        self._settling = False
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(DEBOUNCE_MS)
        self._timer.timeout.connect(self.save_now)
        editor.textChanged.connect(self._edited)
        editor.focus_lost.connect(self.save_now)

    def load(self, question_id: int, text: str, version: int | None = None) -> None:
        """Show a question's response (at ``version``; None: saves are not checked); the previous
        question is saved first."""
        self.save_now()
        self.question_id = None  # loading the text is not an edit
        self.editor.setPlainText(text)
        self.editor.document().clearUndoRedoStacks()
        # What the editor shows (a stored "\r\n" shows as one line break): only real edits save.
        self.saved_text = self.editor.text()
        self.version = version
        self.question_id = question_id

    def show_stored(self, text: str, version: int | None) -> None:
        """Show the text the database now holds (changed elsewhere) in place of the editor's, as one
        undoable edit, keeping the cursor where it was."""
        question_id, self.question_id = self.question_id, None
        try:
            if self.editor.text() != text:
                old = self.editor.textCursor()
                at_end, position = old.atEnd(), old.position()
                cursor = QTextCursor(self.editor.document())
                cursor.select(QTextCursor.SelectionType.Document)
                cursor.insertText(text)
                # Typing on at the end goes on at the end; elsewhere the cursor stays where it was.
                cursor.setPosition(len(text) if at_end else min(position, len(text)))
                self.editor.setTextCursor(cursor)
            self.saved_text = self.editor.text()
            self.version = version
        finally:
            self.question_id = question_id
        self._timer.stop()

    def refresh(self, text: str, version: int | None) -> bool:
        """After a change elsewhere: show the stored text if nothing is waiting to be saved here
        (True); with unsaved typing the next save's version check settles it."""
        if version == self.version or self.question_id is None:
            return False
        if self.pending:
            return False
        self.show_stored(text, version)
        self.refreshed.emit(self.question_id, text, "changed elsewhere")
        return True

    def _edited(self) -> None:
        if self.question_id is not None:
            self._timer.start()

    @property
    def pending(self) -> bool:
        return self.question_id is not None and self.editor.text() != self.saved_text

    def save_now(self) -> bool:
        """Write the text if it changed; True when the database holds what the editor shows."""
        self._timer.stop()
        if not self.pending:
            return True
        text = self.editor.text()
        try:
            with self.db.session() as session:
                version = save_response(session, self.review_id, self.question_id, text, self.version)
        except StaleEdit as exc:
            return self._settle(exc, text)
        except UserError as exc:
            self.failed.emit(str(exc))
            return False
        except Exception as exc:  # a locked or full disk: keep the text on screen and try again
            self.failed.emit(f"Not saved yet ({type(exc).__name__}); trying again.")
            self._timer.start(RETRY_MS)
            return False
        self.saved_text = text
        if version is not None:
            self.version = version
        self.saved.emit(self.question_id, text, datetime.now())
        return True

    def _settle(self, exc: StaleEdit, mine: str) -> bool:
        """The response changed elsewhere since it was loaded: refresh, or keep both and ask."""
        if self._settling:  # the conflict dialog is open; it saves when the chair has chosen
            return False
        self._settling = True
        try:
            keep = settle(self.editor.window(), exc, self.saved_text, mine)
            theirs = exc.current_text if exc.current_text is not None else self.saved_text
            self.show_stored(theirs, exc.current_version)
            if keep == theirs:
                self.refreshed.emit(self.question_id, theirs, str(exc))
                return True
            # The chosen text goes in as an edit over theirs (Ctrl+Z shows theirs again), and is saved.
            cursor = QTextCursor(self.editor.document())
            cursor.select(QTextCursor.SelectionType.Document)
            cursor.insertText(keep)
            self.editor.setTextCursor(cursor)
        finally:
            self._settling = False
        return self.save_now()
