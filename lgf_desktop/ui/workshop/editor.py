"""The response editor and its autosave.

The editor is plain text (paragraphs and "- " / "• " bullet lines, which is what the Word report
renders); text pasted from Word, e-mail or the web keeps its paragraphs and loses its formatting.
The autosave writes the text 500 ms after the last keystroke, and at once when the question changes,
the editor loses focus or the window closes, each save one short transaction (a few milliseconds,
see ``benchmarks/bench_autosave.py``), so typing never waits for the database.
"""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import QMimeData, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QFocusEvent, QFont, QTextDocument
from PySide6.QtWidgets import QPlainTextEdit, QWidget

from ...errors import UserError
from ...services.workshop import clean_pasted_text, save_response

DEBOUNCE_MS = 500
RETRY_MS = 2000


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

    def text(self) -> str:
        # toPlainText would turn non-breaking spaces into plain ones; the raw text keeps every
        # character the chair typed, with Qt's paragraph separators turned back into line breaks.
        return self.document().toRawText().replace("\u2029", "\n")


class AutoSaver(QObject):
    """Saves the editor's text for one question of one review, debounced; reports each save."""

    saved = Signal(int, str, object)  # question_id, text, datetime of the save
    failed = Signal(str)

    def __init__(self, db, review_id: int, editor: ResponseEditor, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.review_id = review_id
        self.editor = editor
        self.question_id: int | None = None
        self.saved_text = ""
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(DEBOUNCE_MS)
        self._timer.timeout.connect(self.save_now)
        editor.textChanged.connect(self._edited)
        editor.focus_lost.connect(self.save_now)

    def load(self, question_id: int, text: str) -> None:
        """Show a question's response; the previous question is saved first."""
        self.save_now()
        self.question_id = None  # loading the text is not an edit
        self.editor.setPlainText(text)
        self.editor.document().clearUndoRedoStacks()
        # What the editor shows (a stored "\r\n" shows as one line break): only real edits save.
        self.saved_text = self.editor.text()
        self.question_id = question_id

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
                save_response(session, self.review_id, self.question_id, text)
        except UserError as exc:
            self.failed.emit(str(exc))
            return False
        except Exception as exc:  # a locked or full disk: keep the text on screen and try again
            self.failed.emit(f"Not saved yet ({type(exc).__name__}); trying again.")
            self._timer.start(RETRY_MS)
            return False
        self.saved_text = text
        self.saved.emit(self.question_id, text, datetime.now())
        return True
