""""Suggest themes for the peer reviews": the standards with the most weak answers, each with the
organisations behind it, ticked to add as themes with draft questions to a peer-review round."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox, QDialog, QDialogButtonBox, QLabel, QListWidget, QListWidgetItem, QVBoxLayout,
)
from sqlalchemy import select

from ...errors import UserError
from ...models import Round
from ...services.self_assessment.standards import KIND, scale_of
from ...services.self_assessment.themes import add_themes, next_peer_review_round, suggest_themes
from ..errors import show_error


class ThemesDialog(QDialog):
    def __init__(self, page: Any, round_id: int) -> None:
        super().__init__(page)
        self.page, self.round_id = page, round_id
        self.setWindowTitle("Suggest themes for the peer reviews")
        layout = QVBoxLayout(self)
        with page.db.session() as session:
            round_ = session.get(Round, round_id)
            self.suggestions = suggest_themes(session, round_)
            targets = list(session.scalars(select(Round).where(Round.kind != KIND).order_by(Round.label)))
            suggested = next_peer_review_round(session, round_)
            self.targets = [(r.id, r.label) for r in targets]
            weak = " or ".join(sorted(scale_of(session, round_).weak, reverse=True))
            label = round_.label
        layout.addWidget(QLabel(f"The standards most often rated {weak} in {label}. Tick those to add as themes, "
                                "each with draft questions to edit in the round's template."))
        self.list = QListWidget()
        self.list.setAccessibleName("Suggested themes")
        for s in self.suggestions:
            item = QListWidgetItem(f"{s.title} — {s.weak} organisation{'s' if s.weak != 1 else ''}: "
                                   f"{', '.join(s.organisations)}")
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked)
            item.setData(Qt.ItemDataRole.UserRole, s.standard_id)
            self.list.addItem(item)
        if not self.suggestions:
            layout.addWidget(QLabel("No standard has a weak answer yet."))
        layout.addWidget(self.list, 1)
        layout.addWidget(QLabel("Add them to the peer-review round:"))
        self.target = QComboBox()
        for round_id_, round_label in self.targets:
            self.target.addItem(round_label, round_id_)
        if suggested is not None:
            self.target.setCurrentIndex(self.target.findData(suggested.id))
        layout.addWidget(self.target)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Add themes")
        buttons.accepted.connect(self.add)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.resize(640, 380)

    def chosen(self) -> list[int]:
        return [self.list.item(i).data(Qt.ItemDataRole.UserRole) for i in range(self.list.count())
                if self.list.item(i).checkState() == Qt.CheckState.Checked]

    def add(self) -> None:
        target_id = self.target.currentData()
        if target_id is None:
            show_error(self, UserError("There is no peer-review round to add the themes to; create the next round first."))
            return
        chosen = self.chosen()
        added: list[str] = []

        def save(session) -> None:
            themes = add_themes(session, session.get(Round, self.round_id), session.get(Round, target_id), chosen)
            added.extend(t.title for t in themes)

        if self.page.apply(save, "theme"):
            self.added = added
            self.accept()
