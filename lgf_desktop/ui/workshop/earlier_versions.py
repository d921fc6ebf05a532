"""The "Earlier versions…" view of one question's response: when each kept version was saved, by
whom and how long it was, the chosen one compared word by word with the current text, and
"Restore this version" (itself a change: the text it replaces is kept too, so nothing is lost)."""

from __future__ import annotations

from datetime import date, timezone
from html import escape
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog, QHBoxLayout, QLabel, QListWidget, QListWidgetItem, QPushButton, QSplitter, QTextBrowser, QVBoxLayout,
    QWidget,
)

from ...dates import short_date
from ...errors import StaleEdit, UserError
from ...services.differences import compare_html
from ...services.review import workshop as ws
from ...services.review.response_versions import (
    EarlierVersion, earlier_versions, restore_version,
)
from ..errors import show_error

if TYPE_CHECKING:
    from .window import WorkshopWindow

LEGEND = ("<span style='background:#fde0e0;color:#8b0000;text-decoration:line-through'>Struck through</span>: "
          "in this version, no longer in the response.  "
          "<span style='background:#dff3df;color:#1b5e20;text-decoration:underline'>Underlined</span>: "
          "in the response now, added since.")


def when(version: EarlierVersion) -> str:
    local = version.saved_at.replace(tzinfo=timezone.utc).astimezone()
    day = "today" if local.date() == date.today() else short_date(local.date())
    return f"{local:%H:%M:%S} {day}"


def chars(text: str) -> str:
    return f"{len(text):,} character{'' if len(text) == 1 else 's'}, {len(text.split()):,} words"


class EarlierVersionsDialog(QDialog):
    """Kept versions of the current question's response in the workshop ``window``."""

    def __init__(self, window: WorkshopWindow) -> None:
        super().__init__(window)
        self.window_ = window
        self.question_id = window.question_id
        number, _theme, _prompts, question = window.questions[self.question_id]
        self.setWindowTitle(f"Earlier versions of the response to question {number}")
        self.title = QLabel(f"<b>{number} {escape(question)}</b>")  # "1.1 How …", as in the outline
        self.title.setWordWrap(True)
        self.list = QListWidget()
        self.list.setAccessibleName("Kept versions, newest first")
        self.list.setAlternatingRowColors(True)  # each version is two lines: keep them apart
        self.list.setSpacing(2)
        self.list.currentRowChanged.connect(self._show)
        self.compare = QTextBrowser()
        self.compare.setAccessibleName("The chosen version compared with the response now")
        self.heading = QLabel()
        self.heading.setWordWrap(True)
        legend = QLabel(LEGEND)
        legend.setWordWrap(True)
        legend.setTextFormat(Qt.TextFormat.RichText)
        right = QVBoxLayout()
        right.setContentsMargins(0, 0, 0, 0)
        right.addWidget(self.heading)
        right.addWidget(self.compare, 1)
        right.addWidget(legend)
        right_widget = QWidget()
        right_widget.setLayout(right)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(self.list)
        splitter.addWidget(right_widget)
        splitter.setSizes([360, 740])
        self.restore_button = QPushButton("&Restore this version")
        self.restore_button.clicked.connect(self.restore)
        close = QPushButton("Close")
        close.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addWidget(QLabel("Restoring keeps the text it replaces as another earlier version."))
        buttons.addStretch(1)
        buttons.addWidget(self.restore_button)
        buttons.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(splitter, 1)
        layout.addLayout(buttons)
        self.resize(1120, 600)
        self.load()
        self.list.setFocus()

    def load(self) -> None:
        """Read the response and its kept versions again."""
        self.window_.autosaver.save_now()  # what is on screen is "now"
        with self.window_.db.session() as session:
            response_id = ws.response_id(session, self.window_.review_id, self.question_id)
            self.versions = earlier_versions(session, response_id) if response_id is not None else []
            self.current, _version = ws.response_states(session, self.window_.review_id).get(self.question_id, ("", 0))
        self.response_id = response_id
        self.list.clear()
        now = QListWidgetItem(f"Now\n{chars(self.current)} · as saved")
        now.setToolTip("The response as it is saved now")
        font = now.font()
        font.setBold(True)
        now.setFont(font)
        self.list.addItem(now)
        for version in self.versions:
            author = f" · {version.author}" if version.author else ""
            item = QListWidgetItem(f"{when(version)}{author}\n{chars(version.text)} · {version.reason_words}")
            self.list.addItem(item)
        self.list.setCurrentRow(1 if self.versions else 0)

    def selected(self) -> EarlierVersion | None:
        row = self.list.currentRow()
        return self.versions[row - 1] if 1 <= row <= len(self.versions) else None

    def _show(self, _row: int) -> None:
        version = self.selected()
        self.restore_button.setEnabled(version is not None and version.text != self.current)
        if version is None:
            self.heading.setText("<b>The response now</b>" if self.versions else
                                 "No earlier versions are kept yet: they are kept once a minute while the "
                                 "response is edited, and before any large deletion.")
            self.compare.setPlainText(self.current)
            return
        same = " (the same as now)" if version.text == self.current else ""
        self.heading.setText(f"<b>Saved {when(version)}</b>{(' by ' + version.author) if version.author else ''}"
                             f" — {version.reason_words}{same}")
        self.compare.setHtml(compare_html(version.text, self.current))

    def restore(self) -> None:
        version = self.selected()
        if version is None or self.response_id is None:
            return
        saver = self.window_.autosaver
        saver.save_now()
        try:
            with self.window_.db.session() as session:
                new_version = restore_version(session, self.response_id, version.id, saver.version)
        except StaleEdit as exc:
            self.window_.refresh_from_database()
            show_error(self, UserError(f"{exc} Look again before restoring."), "Earlier versions")
            self.load()
            return
        except UserError as exc:
            show_error(self, exc, "Earlier versions")
            return
        self.window_.show_restored(self.question_id, version.text, new_version, when(version))
        self.accept()
