"""The response editor and its autosave.

The editor is plain text (paragraphs and "- " / "• " bullet lines, which is what the Word report
renders); text pasted from Word, e-mail or the web keeps its paragraphs and loses its formatting.
The autosave is the app's one mechanism (``ui/autosave.py``): after a pause, at most a second after
the first unsaved keystroke, at once when the question changes, the editor loses focus or the window
closes; queued for the writer, so typing never waits for the database. Each save names the version
of the response the editor loaded; if another window, the CLI or an import changed it since, the save
is refused and ``conflict.settle`` decides (refresh, or let the chair choose).

Ctrl+Z undoes in small steps, as word processors do: each new word, and typing after a pause, starts
its own undo step (Qt would otherwise merge all consecutive typing into one).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QMimeData, QObject, Signal
from PySide6.QtGui import QFocusEvent, QFont, QTextDocument
from PySide6.QtWidgets import QPlainTextEdit, QWidget

from ...services.review.workshop import clean_pasted_text, save_response
from ..autosave import AutoSave, SaveTarget
from ..typing_undo import SmallUndoSteps

if TYPE_CHECKING:
    from ...db import Database

class ResponseEditor(SmallUndoSteps, QPlainTextEdit):
    """A plain-text editor that pastes clean paragraphs, undoes a word or burst at a time
    (``SmallUndoSteps``) and says when it loses focus."""

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

    def text(self) -> str:
        # toPlainText would turn non-breaking spaces into plain ones; the raw text keeps every
        # character the chair typed, with Qt's paragraph separators turned back into line breaks.
        return self.document().toRawText().replace("\u2029", "\n")


def response_record(review_id: int, question_id: int) -> str:
    """The recovery journal's name for one response."""
    return f"response/{review_id}/{question_id}"


class AutoSaver(AutoSave):
    """The response editor's autosave (``ui/autosave.py``) for one question of one review at a time,
    over the response's version; a refused (stale) save is settled with ``conflict.settle``."""

    def __init__(self, db: Database, review_id: int, editor: ResponseEditor, parent: QObject | None = None) -> None:
        super().__init__(db, editor, editor.text, parent)
        self.review_id = review_id
        self.editor = editor

    @property
    def question_id(self) -> int | None:
        return self.target.key if self.target is not None else None

    @property
    def version(self) -> int | None:
        return self.target.expected_version if self.target is not None else None

    @property
    def saved_text(self) -> str:
        return self.target.saved_text if self.target is not None else ""

    def load(self, question_id: int, text: str, version: int | None = None, label: str = "") -> None:
        """Show a question's response (at ``version``; None: saves are not checked); the previous
        question's text is saved first."""
        review_id = self.review_id

        def save(session, text: str, expected_version: int | None) -> int | None:
            return save_response(session, review_id, question_id, text, expected_version)

        target = SaveTarget(response_record(review_id, question_id), "text", label or "this question", save, version,
                            key=question_id)
        unsaved = next((t for t in self._elsewhere if t.key == question_id), None)
        if unsaved is not None and unsaved.unsaved is not None:  # its save failed: show what was typed
            self._elsewhere.remove(unsaved)
            target, text = unsaved, unsaved.unsaved

        def show() -> None:
            self.editor.setPlainText(text)
            self.editor.document().clearUndoRedoStacks()

        super().load(target, show)
