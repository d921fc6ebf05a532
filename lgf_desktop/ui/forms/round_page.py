"""A round's page: its problems in plain words at the top, then tabs for the details and texts,
the question template, the panel and the reviews."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QTabWidget, QVBoxLayout

from ...dates import short_date
from ...errors import UserError
from ...models import Review, Round
from ...services import listing
from ...services.editing import add_review, get
from ...services.review.rounds import load_round, round_problems
from .common import Column, Message, Page, RecordTableModel, button, selected_id, table_view
from .panel_editor import PanelEditor
from .appendices import AppendicesTab
from .round_details import RoundDetails
from .template_editor import TemplateEditor


class RoundPage(Page):
    def __init__(self, window: Any) -> None:
        super().__init__(window)
        self.round_id: int | None = None
        layout = QVBoxLayout(self)
        top = QHBoxLayout()
        self.title = QLabel()
        top.addWidget(self.title, 1)
        top.addWidget(button("History…", lambda: self.main.show_history(Round, self.round_id),
                             "Every change made to this round's details, with who and when"))
        top.addWidget(button("Delete round…", self.delete_round))
        layout.addLayout(top)
        self.problems = Message(self, error=False)
        self.problems.setAccessibleName("Round problems")
        layout.addWidget(self.problems)
        self.tabs = QTabWidget()
        self.details = RoundDetails(self)
        self.template = TemplateEditor(self)
        self.panel = PanelEditor(self)
        self.reviews = ReviewsTab(self)
        self.appendices = AppendicesTab(self)
        self.tabs.addTab(self.details, "Details and texts")
        self.tabs.addTab(self.template, "Question template")
        self.tabs.addTab(self.panel, "Panel")
        self.tabs.addTab(self.reviews, "Reviews")
        self.tabs.addTab(self.appendices, "Appendices")
        layout.addWidget(self.tabs, 1)
        # Only the tab in view is filled; another is filled when it is first shown for this round
        # (at start-up this page is the first one shown, and its other tabs are most of its work).
        self._filled: set[Any] = set()
        self.tabs.currentChanged.connect(lambda _index: self._fill_current_tab())
        window.data_changed.connect(self._changed)

    def load(self, round_id: int) -> None:
        self.flush()
        self.round_id = round_id
        self._filled.clear()
        self._fill_current_tab()
        self.refresh_problems()

    def _fill_current_tab(self) -> None:
        part = self.tabs.currentWidget()
        if self.round_id is not None and part not in self._filled:
            self._filled.add(part)
            part.load(self.round_id)

    def _refill(self, *parts: Any) -> None:
        """After a change: the tab in view is filled again now, the others when next shown."""
        self._filled.difference_update(parts)
        self._fill_current_tab()

    def refresh_problems(self) -> None:
        if self.round_id is None:
            return
        with self.db.session() as session:
            try:
                round_ = load_round(session, self.round_id, template=True, panel=True)
            except UserError:
                return  # deleted meanwhile: the navigator moves away from it
            self.title.setText(f"<h2>Round {round_.label} — {round_.kind}</h2>")
            self.problems.show_messages(round_problems(round_))

    def _changed(self, table: str) -> None:
        if self.round_id is None or not self.isVisible():
            return
        if table == "*":  # a delete or an undo: anything on the page may have gone or come back
            with self.db.session() as session:
                exists = session.get(Round, self.round_id) is not None
            if exists:
                self.load(self.round_id)
            return
        self.refresh_problems()
        if table in ("person", "organisation", "panel_member"):
            self._refill(self.panel)
        if table in ("review", "organisation"):
            self._refill(self.reviews)

    def delete_round(self) -> None:
        with self.db.session() as session:
            label = get(session, Round, self.round_id).label
        self.main.delete_with_undo(Round, self.round_id, f"round {label} with its template, panel and reviews")


REVIEW_COLUMNS = (Column("Organisation", "organisation"), Column("Status", "status"), Column("Date", "date"),
                  Column("Responses", "responses"))


class ReviewsTab(Page):
    """The round's reviews in report order; add one per organisation."""

    def __init__(self, page: RoundPage) -> None:
        super().__init__(page.main)
        self.round_id: int | None = None
        layout = QVBoxLayout(self)
        self.model = RecordTableModel(REVIEW_COLUMNS, parent=self)
        self.view = table_view(self.model, stretch=0)
        self.view.doubleClicked.connect(lambda _index: self.open_selected())
        layout.addWidget(self.view, 1)
        row = QHBoxLayout()
        self.organisation = QComboBox()
        self.organisation.setMinimumWidth(260)
        row.addWidget(QLabel("Organisation:"))
        row.addWidget(self.organisation)
        row.addWidget(button("Add review", self.add))
        row.addStretch(1)
        row.addWidget(button("Open review", self.open_selected))
        row.addWidget(button("Delete review…", self.delete))
        layout.addLayout(row)
        self.error = Message(self)
        layout.addWidget(self.error)

    def load(self, round_id: int) -> None:
        self.round_id = round_id
        with self.db.session() as session:
            get(session, Round, round_id)  # a round deleted meanwhile is a sentence, not an empty table
            reviews = listing.review_rows(session, round_id)
            reviewed = {r["organisation_id"] for r in reviews}
            choices = [(oid, name) for oid, name in listing.organisation_choices(session) if oid not in reviewed]
        rows = [{"id": r["id"], "organisation": r["organisation"], "status": r["status"],
                 "date": short_date(r["review_date"]), "responses": r["responses"]} for r in reviews]
        self.model.set_rows(rows)
        self.organisation.clear()
        for oid, name in choices:
            self.organisation.addItem(name, oid)

    def add(self) -> None:
        org_id = self.organisation.currentData()
        if org_id is None:
            self.error.show_messages(["Add the organisation on the Organisations page first."])
            return
        self.apply(lambda session: add_review(session, self.round_id, org_id), "review", self.error)

    def open_selected(self) -> None:
        review_id = selected_id(self.view)
        if review_id is not None:
            self.main.navigator.select("review", review_id)

    def delete(self) -> None:
        review_id = selected_id(self.view)
        if review_id is None:
            return
        row = self.model.rows[self.model.row_of(review_id)]
        self.main.delete_with_undo(Review, review_id, f"the review of {row['organisation']}")
