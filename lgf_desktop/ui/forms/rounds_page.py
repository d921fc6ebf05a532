"""The Rounds page: every round with its numbers of reviews, responses and recommendations, and
the box to create the next round."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QHBoxLayout, QLabel, QVBoxLayout

from ...services import listing
from .common import Column, Page, RecordTableModel, button, selected_id, table_view
from .new_round import NewRoundBox

COLUMNS = (
    Column("Round", "label"), Column("Kind", "kind"), Column("Cycle year", "cycle_year"),
    Column("Report", "report_month"), Column("Reviews", "reviews"), Column("Held", "held"),
    Column("Responses", "responses"), Column("Recommendations", "recommendations"),
)


class RoundsPage(Page):
    def __init__(self, window: Any) -> None:
        super().__init__(window)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("<h2>Rounds</h2>"))
        self.model = RecordTableModel(COLUMNS, parent=self)
        self.view = table_view(self.model)
        self.view.doubleClicked.connect(lambda _index: self.open_selected())
        layout.addWidget(self.view, 1)
        row = QHBoxLayout()
        row.addWidget(button("Open round", self.open_selected))
        row.addStretch(1)
        layout.addLayout(row)
        self.new_round = NewRoundBox(self)
        layout.addWidget(self.new_round)
        window.data_changed.connect(self._changed)
        self.load()

    def load(self, _record_id: int | None = None) -> None:
        with self.db.session() as session:
            self.model.set_rows(listing.round_overview(session))
        self.view.resizeColumnsToContents()
        self.new_round.reload()

    def _changed(self, table: str) -> None:
        if self.isVisible():
            self.load()

    def open_selected(self) -> None:
        round_id = selected_id(self.view)
        if round_id is not None:
            self.main.navigator.select("round", round_id)
