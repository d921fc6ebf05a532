"""The region: every partnership in this database with its rounds and their counts (its rounds
imported for the regional report are read-only), the organisations reviewed by more than one
partnership, and the names that look like one organisation for the regional lead to confirm."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QHBoxLayout, QLabel, QVBoxLayout

from ...dates import short_date_time
from ...services.region import organisations as one_org
from ...services.region.partnerships import partnership_rounds
from .common import Column, Message, Page, RecordTableModel, button, selected_id, table_view

ROUND_COLUMNS = (Column("Partnership", "partnership"), Column("Round", "label"), Column("Source", "source"),
                 Column("Reviews", "reviews"), Column("Held", "held"), Column("Declined", "declined"),
                 Column("Recommendations", "recommendations"), Column("Exported", "exported"))
SHARED_COLUMNS = (Column("Organisation", "name"), Column("ODS code", "ods"), Column("Reviewed by", "by"))
LIKELY_COLUMNS = (Column("Organisation", "name"), Column("Looks like", "same_as"))


class RegionPage(Page):
    def __init__(self, window: Any) -> None:
        super().__init__(window)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("<h2>The region: partnerships and their rounds</h2>"))
        self.rounds = RecordTableModel(ROUND_COLUMNS, parent=self)
        self.rounds_view = table_view(self.rounds, stretch=0)
        self.rounds_view.doubleClicked.connect(lambda _index: self.open_round())
        layout.addWidget(self.rounds_view, 2)
        row = QHBoxLayout()
        row.addWidget(button("Open round", self.open_round))
        row.addStretch(1)
        layout.addLayout(row)
        layout.addWidget(QLabel("<b>Organisations reviewed by more than one partnership</b>"))
        self.shared = RecordTableModel(SHARED_COLUMNS, parent=self)
        self.shared_view = table_view(self.shared, stretch=2)
        layout.addWidget(self.shared_view, 1)
        layout.addWidget(QLabel("<b>Perhaps the same organisation</b> (names that match once case and "
                                "punctuation are set aside): confirm the ones that are"))
        self.likely = RecordTableModel(LIKELY_COLUMNS, parent=self)
        self.likely_view = table_view(self.likely, stretch=1)
        layout.addWidget(self.likely_view, 1)
        row = QHBoxLayout()
        row.addWidget(button("Confirm: the same organisation", self.confirm))
        row.addStretch(1)
        layout.addLayout(row)
        self.error = Message(self)
        layout.addWidget(self.error)
        window.data_changed.connect(lambda _table: self.load() if self.isVisible() else None)

    def load(self, _record_id: int | None = None) -> None:
        with self.db.session() as session:
            rows = [{"id": r.id, "partnership": p.name, "label": r.label,
                     "source": "imported, read-only" if r.read_only else "this database's own",
                     "reviews": r.reviews, "held": r.held, "declined": r.declined, "recommendations": r.recommendations,
                     "exported": short_date_time(r.exported_at)}
                    for p in partnership_rounds(session) for r in p.rounds]
            shared = [{"id": o.id, "name": o.name, "ods": o.ods_code,
                       "by": "; ".join(f"{r.partnership} ({r.round_label}, {r.status})" for r in o.reviews)}
                      for o in one_org.organisations_across(session) if len(o.partnerships) > 1]
            likely = [{"id": p.organisation_id, "name": p.name, "same_as": p.same_as_name, "same_as_id": p.same_as_id}
                      for p in one_org.likely_same(session)]
        self.rounds.set_rows(rows)
        self.shared.set_rows(shared)
        self.likely.set_rows(likely)
        self.rounds_view.resizeColumnsToContents()
        for view in (self.shared_view, self.likely_view):
            view.resizeColumnToContents(0)  # organisations' names whole; the last column takes the rest

    def open_round(self) -> None:
        round_id = selected_id(self.rounds_view)
        if round_id is not None:
            self.main.navigator.select("round", round_id)

    def confirm(self) -> None:
        org_id = selected_id(self.likely_view)
        if org_id is None:
            self.error.show_messages(["Choose a pair in the list first."])
            return
        row = self.likely.rows[self.likely.row_of(org_id)]
        self.apply(lambda session: one_org.confirm_same(session, org_id, row["same_as_id"]), "organisation", self.error)
        self.load()
