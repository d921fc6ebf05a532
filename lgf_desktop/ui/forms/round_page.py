"""A round's page: its problems in plain words at the top, then tabs for the details and texts,
the question template, the panel and the reviews.

At start-up it is the first page, shown from the plain read (``show_first``) before the database
layer is loaded; so this module and its tabs import SQLAlchemy's models and services only inside
the methods that need the open database."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QTabWidget, QVBoxLayout, QWidget

from ...dates import long_date_time, short_date
from ...errors import UserError
from ...services.first_page import RoundShown
from .common import Column, Message, Page, RecordTableModel, button, selected_id, show_read_only, table_view
from .round_details import RoundDetails

TABS = ("Details and texts", "Question template", "Panel", "Reviews", "Appendices")
DETAILS, TEMPLATE, PANEL, REVIEWS, APPENDICES = range(len(TABS))


class RoundPage(Page):
    def __init__(self, window: Any) -> None:
        super().__init__(window)
        self.round_id: int | None = None
        layout = QVBoxLayout(self)
        top = QHBoxLayout()
        self.title = QLabel()
        top.addWidget(self.title, 1)
        top.addWidget(button("History…", self.show_history, "Every change made to this round's details, with who and when"))
        self.delete_button = button("Delete round…", self.delete_round)
        top.addWidget(self.delete_button)
        layout.addLayout(top)
        # A round imported from another partnership for the regional report: whose, and that it is read-only.
        self.imported = Message(self, error=False)
        self.imported.setAccessibleName("Imported round")
        layout.addWidget(self.imported)
        self.read_only = False
        self.problems = Message(self, error=False)
        self.problems.setAccessibleName("Round problems")
        layout.addWidget(self.problems)
        self.tabs = QTabWidget()
        self.details = RoundDetails(self)
        self.tabs.addTab(self.details, TABS[DETAILS])
        # The other tabs are built when first shown or asked for (``template``, ``panel``, ``reviews``,
        # ``appendices``);
        # a stand-in holds each place till then. At start-up this page is the first one shown, and
        # building those tabs was a good part of the window's own work before it could be used.
        self._parts: dict[int, Page] = {DETAILS: self.details}
        for title in TABS[DETAILS + 1:]:
            self.tabs.addTab(QWidget(), title)
        layout.addWidget(self.tabs, 1)
        # Only the tab in view is filled; another is filled when it is first shown for this round.
        self._filled: set[Any] = set()
        self.tabs.currentChanged.connect(lambda _index: self._fill_current_tab())
        window.data_changed.connect(self._changed)

    def load(self, round_id: int) -> None:
        self.flush()
        self.round_id = round_id
        self._filled.clear()
        self.refresh_problems()  # first: it learns whether the round is read-only
        self._fill_current_tab()

    def show_first(self, shown: RoundShown) -> None:
        """Show the round from the first page's plain read, before the database layer is loaded: the
        details tab and the problems (the other tabs are filled once it is, when shown)."""
        self.round_id = shown.id
        self._filled = {self.details}
        self.details.show_round(shown)
        self._show_title(shown.label, shown.kind, shown.problems)

    @property
    def template(self) -> Any:
        """The question template tab (a ``TemplateEditor``), built on first use."""
        return self._part(TEMPLATE)

    @property
    def panel(self) -> Any:
        """The panel tab (a ``PanelEditor``), built on first use."""
        return self._part(PANEL)

    @property
    def reviews(self) -> ReviewsTab:
        return self._part(REVIEWS)

    @property
    def appendices(self) -> Any:
        """The report's appendices tab (an ``AppendicesTab``), built on first use."""
        return self._part(APPENDICES)

    def _part(self, index: int) -> Any:
        part = self._parts.get(index)
        if part is not None:
            return part
        if index == TEMPLATE:
            from .template_editor import TemplateEditor

            part = TemplateEditor(self)
        elif index == PANEL:
            from .panel_editor import PanelEditor

            part = PanelEditor(self)
        elif index == APPENDICES:
            from .appendices import AppendicesTab

            part = AppendicesTab(self)
        else:
            part = ReviewsTab(self)
        self._parts[index] = part
        stand_in, current = self.tabs.widget(index), self.tabs.currentIndex()
        self.tabs.blockSignals(True)  # the same tab stays current: nothing for anyone to act on
        try:
            self.tabs.removeTab(index)
            self.tabs.insertTab(index, part, TABS[index])
            self.tabs.setCurrentIndex(current)
        finally:
            self.tabs.blockSignals(False)
        stand_in.deleteLater()
        return part

    def _fill_current_tab(self) -> None:
        if self.db is None:
            return  # the first page before the database is open: filled by ``load`` once it is
        part = self._part(self.tabs.currentIndex())
        if self.round_id is not None and part not in self._filled:
            self._filled.add(part)
            part.load(self.round_id)
            show_read_only(part, self.read_only)

    def _refill(self, *parts: Any) -> None:
        """After a change: the tab in view is filled again now, the others when next shown."""
        self._filled.difference_update(parts)
        self._fill_current_tab()

    def refresh_problems(self) -> None:
        from ...services.region.organisations import round_warnings
        from ...services.review.rounds import load_round, round_problems

        if self.round_id is None:
            return
        with self.db.session() as session:
            try:
                round_ = load_round(session, self.round_id, template=True, panel=True)
            except UserError:
                return  # deleted meanwhile: the navigator moves away from it
            self.read_only = bool(round_.read_only)
            self.delete_button.setEnabled(not self.read_only)
            # Planning: an organisation another partnership already asks in the same regional round.
            regional = self.main.navigator.regional  # known without a query: only then can one be asked twice
            problems = round_problems(round_) + (round_warnings(session, round_.id) if regional else [])
            self._show_title(round_.label, round_.kind, problems)
            if self.read_only:
                self.title.setText(f"<h2>Round {round_.label} — {round_.partnership.name}</h2>")
                when = f", exported on {long_date_time(round_.exported_at)} (UTC)" if round_.exported_at else ""
                self.imported.show_messages([f"Imported for the regional report from {round_.partnership.name}"
                                             f"{when}: read-only here. A newer export from them replaces it."])
            else:
                self.imported.show_messages([])

    def _show_title(self, label: str, kind: str, problems: Any) -> None:
        self.title.setText(f"<h2>Round {label} — {kind}</h2>")
        self.problems.show_messages(problems)

    def show_history(self) -> None:
        from ...models import Round

        self.main.show_history(Round, self.round_id)

    def _changed(self, table: str) -> None:
        from ...models import Round

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
            self._refill(self._parts.get(PANEL))
        if table in ("review", "organisation"):
            self._refill(self._parts.get(REVIEWS))

    def delete_round(self) -> None:
        from ...models import Round
        from ...services.editing import get

        with self.db.session() as session:
            label = get(session, Round, self.round_id).label
        self.main.delete_with_undo(Round, self.round_id, f"round {label} with its template, panel and reviews")


def ask_to_add_anyway(parent: Any, warnings: list[str]) -> bool:
    """Ask before asking an organisation another partnership already asks (replaced in tests)."""
    from PySide6.QtWidgets import QMessageBox

    answer = QMessageBox.question(parent, "Asked twice in the regional round",
                                  "\n\n".join(warnings) + "\n\nAdd the review anyway?")
    return answer == QMessageBox.StandardButton.Yes


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
        from ...models import Round
        from ...services import listing
        from ...services.editing import get

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
        from ...services.editing import add_review
        from ...services.region.organisations import asked_elsewhere

        with self.db.session() as session:
            warnings = asked_elsewhere(session, self.round_id, org_id)
        if warnings and not ask_to_add_anyway(self, warnings):
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
        from ...models import Review

        row = self.model.rows[self.model.row_of(review_id)]
        self.main.delete_with_undo(Review, review_id, f"the review of {row['organisation']}")
