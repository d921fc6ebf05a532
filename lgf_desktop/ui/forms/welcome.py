"""The welcome screen of a database with no round yet: load the demo round, or create a round."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QGroupBox, QHBoxLayout, QLabel, QPushButton, QVBoxLayout

from ...services.demo import load_demo
from .common import Page, button
from .new_round import NewRoundBox


class WelcomePage(Page):
    def __init__(self, window: Any) -> None:
        super().__init__(window)
        outer = QHBoxLayout(self)
        column = QVBoxLayout()
        outer.addStretch(1)
        outer.addLayout(column, 3)
        outer.addStretch(1)
        title = QLabel("<h1>Welcome to LGF Desktop</h1>")
        column.addStretch(1)
        column.addWidget(title)
        intro = QLabel(
            f"This database ({self.db.path.name}) has no round yet. A round is one year's Section 11 "
            "exercise: its question template, its panel, the organisations reviewed and the report."
        )
        intro.setWordWrap(True)
        column.addWidget(intro)
        demo_box = QGroupBox("Try it with the demo")
        demo_layout = QVBoxLayout(demo_box)
        # Say all the demo adds: the audit appears under Audits and its recommendations in the tracker.
        self.demo_text = demo_text = QLabel(
            "Two fictional rounds: 2020-21, the organisations' written self-assessments, and 2021-22 (a six-person "
            "panel, two peer reviews held with their minutes and recommendations, one organisation that "
            "declined); and a multi-agency audit of ten children, graded and moderated.")
        demo_text.setWordWrap(True)
        demo_layout.addWidget(demo_text)
        self.demo_button = button("Load the demo", self.load_demo)
        demo_layout.addWidget(self.demo_button, alignment=Qt.AlignmentFlag.AlignLeft)
        column.addWidget(demo_box)
        self.new_round = NewRoundBox(self)
        column.addWidget(self.new_round)
        column.addStretch(2)
        # Return presses the button that has the focus, as Space does (outside a dialog Qt does not).
        for push in self.findChildren(QPushButton):
            push.setAutoDefault(True)

    def load(self, _record_id: int | None = None) -> None:
        self.new_round.reload()

    def showEvent(self, event: Any) -> None:  # noqa: N802
        self.new_round.reload()
        super().showEvent(event)

    def load_demo(self) -> None:
        if self.apply(lambda session: load_demo(session), "*"):
            self.main.navigator.start()
