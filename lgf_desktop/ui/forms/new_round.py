"""The 'create a round' box used on the welcome screen and the Rounds page: label, where the
template comes from (the shipped 2021-22 template or a copy of an earlier round), and the
partnership's name when the database has none yet."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QComboBox, QFormLayout, QGroupBox, QLineEdit

from ...services import listing
from ...services.editing import set_partnership
from ...services.review.rounds import create_round, the_partnership
from .common import Message, button


class NewRoundBox(QGroupBox):
    def __init__(self, page: Any) -> None:
        super().__init__("Create a round")
        self.page = page
        form = QFormLayout(self)
        self.partnership = QLineEdit()
        self.partnership.setPlaceholderText("e.g. Westmoor Children's Partnership")
        form.addRow("Partnership name", self.partnership)
        self.label = QLineEdit()
        self.label.setPlaceholderText("e.g. 2025-26")
        self.label.returnPressed.connect(self.create)
        form.addRow("Round label", self.label)
        self.source = QComboBox()
        form.addRow("Question template", self.source)
        self.error = Message(self)
        form.addRow(self.error)
        self.create_button = button("Create round", self.create)
        form.addRow(self.create_button)
        self.reload()

    def reload(self) -> None:
        with self.page.db.session() as session:
            has_partnership = the_partnership(session) is not None
            rounds = listing.rounds(session)
        form = self.layout()
        form.setRowVisible(self.partnership, not has_partnership)
        self.source.clear()
        self.source.addItem("The 2021-22 Section 11 peer-review template", None)
        for round_id, label in reversed(rounds):
            self.source.addItem(f"A copy of round {label}'s template", round_id)
        if rounds:
            self.source.setCurrentIndex(1)  # next year usually starts from last year's questions

    def create(self) -> None:
        label, partnership, source = self.label.text(), self.partnership.text(), self.source.currentData()
        created: list[int] = []

        def action(session: Any) -> None:
            from ...models import Round

            if the_partnership(session) is None:
                set_partnership(session, partnership)
            copy_from = session.get(Round, source) if source is not None else None
            created.append(create_round(session, label, copy_from=copy_from).id)

        if self.page.apply(action, "round", self.error):
            self.label.clear()
            self.reload()
            self.page.main.navigator.select("round", created[0])
