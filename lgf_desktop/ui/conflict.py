"""When a save is refused because the record changed underneath the screen (``StaleEdit``).

``settle`` decides, from the text the screen loaded (base), what it shows now (mine) and what the
database now holds (theirs): with nothing typed since, or the same text on both sides, the screen
just shows theirs; if only the screen changed the text, its save goes ahead over the new version;
if both changed it, ``ConflictDialog`` shows the two side by side and the person keeps theirs, keeps
mine, or keeps both (mine appended). Nothing is lost: closing the dialog keeps both.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont, QKeySequence, QTextCursor
from PySide6.QtWidgets import (
    QDialog, QGridLayout, QHBoxLayout, QLabel, QPushButton, QTextEdit, QVBoxLayout, QWidget,
)

from ..errors import StaleEdit
from ..services.differences import only_here_html

KEEP_MINE, KEEP_THEIRS, KEEP_BOTH = "mine", "theirs", "both"


def combine(choice: str, theirs: str, mine: str, base: str = "") -> str:
    """The text kept for a choice; "both" is theirs with mine appended as a new paragraph. When
    theirs still holds everything mine kept of ``base`` (the text both started from), only what was
    typed here since is appended (from the start of the word it begins in): a long answer that two
    people added to is not written out twice."""
    if choice == KEEP_MINE:
        return mine
    if choice == KEEP_THEIRS:
        return theirs
    if not theirs.strip():
        return mine
    if not mine.strip() or mine in theirs:
        return theirs
    kept = _kept_of_base(base, mine)
    if kept and theirs.startswith(mine[:kept]):
        mine = mine[kept:]
    return theirs.rstrip("\n") + "\n\n" + mine.lstrip()


def _kept_of_base(base: str, mine: str) -> int:
    """How much of ``mine``'s beginning is ``base``'s, back to the start of the word where they part."""
    same = 0
    for a, b in zip(base, mine):
        if a != b:
            break
        same += 1
    if same < len(mine) and same and not mine[same - 1].isspace():
        while same and not mine[same - 1].isspace():
            same -= 1  # "in M" + "arch." appends "March.", not "arch."
    return same


def settle(parent: QWidget | None, exc: StaleEdit, base: str, mine: str, what: str = "answer") -> str:
    """The text the field should hold after a refused save (save it if it differs from theirs)."""
    theirs = exc.current_text if exc.current_text is not None else base
    if mine == base or mine == theirs:
        return theirs  # nothing typed here since, or the same change: just show what is there
    if theirs == base:
        return mine  # only this screen changed the text (another field of the record moved on)
    return combine(ConflictDialog.ask(parent, str(exc), theirs, mine, what), theirs, mine, base)


class ConflictDialog(QDialog):
    """Theirs and mine side by side, and the three ways out."""

    def __init__(self, parent: QWidget | None, message: str, theirs: str, mine: str, what: str = "answer") -> None:
        super().__init__(parent)
        self.setWindowTitle(f"This {what} was changed elsewhere")
        self.choice = KEEP_BOTH
        intro = QLabel(f"<b>{message}</b><br>You had typed more here in the meantime. Both texts are kept until "
                       "you choose; nothing is saved over either of them before then.")
        intro.setWordWrap(True)
        intro.setTextFormat(Qt.TextFormat.RichText)
        grid = QGridLayout()
        font = QFont(self.font())
        font.setPointSizeF(font.pointSizeF() * 1.05)
        # Tinted apart, so the two texts are not mistaken for each other at a glance; in each, what the
        # other lacks is highlighted and shown, as in a long answer it is often the last lines only.
        self.theirs_view = self._view(theirs, mine, font, "Theirs: the text now in the database", "#eef3fb")
        self.mine_view = self._view(mine, theirs, font, "Mine: the text on this screen", "#fdf8e4")
        grid.addWidget(QLabel("<b>Theirs</b> — saved elsewhere, now in the database"), 0, 0)
        grid.addWidget(QLabel("<b>Mine</b> — typed on this screen, not yet saved"), 0, 1)
        grid.addWidget(self.theirs_view, 1, 0)
        grid.addWidget(self.mine_view, 1, 1)
        buttons = QHBoxLayout()
        self.keep_both = QPushButton("Keep &both (mine appended)")
        self.keep_mine = QPushButton("Keep &mine")
        self.keep_theirs = QPushButton("Keep &theirs")
        for button, choice in ((self.keep_both, KEEP_BOTH), (self.keep_mine, KEEP_MINE), (self.keep_theirs, KEEP_THEIRS)):
            button.clicked.connect(lambda _=False, c=choice: self._choose(c))
            buttons.addWidget(button)
        buttons.addStretch(1)
        hint = QLabel("<span style='background:#ffe08a'>Highlighted</span>: only in that text.  Esc keeps both.")
        hint.setStyleSheet("color: #555")
        buttons.addWidget(hint)
        self.keep_both.setDefault(True)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(grid, 1)
        layout.addLayout(buttons)
        self.resize(1000, 520)

    @staticmethod
    def _view(text: str, other: str, font: QFont, name: str, background: str) -> QTextEdit:
        view = QTextEdit()
        view.setStyleSheet(f"QTextEdit {{ background: {background}; color: #111; }}")
        view.setReadOnly(True)
        view.setFont(font)
        html, first = only_here_html(text, other)
        view.setHtml(html)
        view.setAccessibleName(name)
        view.setTabChangesFocus(True)
        if first is not None:  # the first difference in view
            cursor = view.textCursor()
            cursor.setPosition(min(first, len(view.toPlainText())))
            view.setTextCursor(cursor)
            view.ensureCursorVisible()
        else:
            view.moveCursor(QTextCursor.MoveOperation.Start)
        return view

    def _choose(self, choice: str) -> None:
        self.choice = choice
        self.accept()

    def keyPressEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        if event.matches(QKeySequence.StandardKey.Cancel):
            self._choose(KEEP_BOTH)  # Esc never throws a text away
            return
        super().keyPressEvent(event)

    @classmethod
    def ask(cls, parent: QWidget | None, message: str, theirs: str, mine: str, what: str = "answer") -> str:
        """Show the dialog and return KEEP_MINE, KEEP_THEIRS or KEEP_BOTH (tests patch this)."""
        dialog = cls(parent, message, theirs, mine, what)
        dialog.exec()
        return dialog.choice
