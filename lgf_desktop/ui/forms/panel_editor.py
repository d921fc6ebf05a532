"""A round's peer-review panel: who is on it (name, role, organisation) and which one chairs."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QVBoxLayout

from ...models import PanelMember
from ...services import listing
from ...services.editing import add_to_panel, get
from ...services.review.rounds import load_round, set_chair
from .common import Column, Message, Page, RecordTableModel, button, selected_id, table_view

COLUMNS = (Column("Chair", "chair", editable=True, check=True), Column("Name", "name"),
           Column("Role", "role"), Column("Organisation", "organisation"))


class PanelEditor(Page):
    def __init__(self, page: Any) -> None:
        super().__init__(page.main)
        self.round_id: int | None = None
        layout = QVBoxLayout(self)
        hint = QLabel("Tick the one member who chairs the panel. People are added on the People page.")
        hint.setWordWrap(True)
        layout.addWidget(hint)
        self.model = RecordTableModel(COLUMNS, self._edit, self)
        self.view = table_view(self.model, stretch=3)
        self.view.setAccessibleName("Panel")
        layout.addWidget(self.view, 1)
        row = QHBoxLayout()
        self.person = QComboBox()
        self.person.setMinimumWidth(240)
        self.person.setAccessibleName("Person to add")
        self.person.setPlaceholderText("(add people on the People page first)")
        row.addWidget(QLabel("Person:"))
        row.addWidget(self.person)
        row.addWidget(button("Add to panel", self.add))
        row.addWidget(button("Add as chair", lambda: self.add(chair=True)))
        row.addStretch(1)
        row.addWidget(button("Remove from panel…", self.remove))
        layout.addLayout(row)
        self.error = Message(self)
        layout.addWidget(self.error)
        self.chair_problem = Message(self, error=False)  # beside the table, as well as atop the round
        layout.insertWidget(1, self.chair_problem)

    def load(self, round_id: int) -> None:
        self.round_id = round_id
        with self.db.session() as session:
            round_ = load_round(session, round_id, panel=True)
            rows = [{"id": m.id, "person_id": m.person_id, "chair": m.role == "chair", "name": m.person.name,
                     "role": m.person.role_title,
                     "organisation": m.person.organisation.name if m.person.organisation else ""}
                    for m in round_.panel]
            on_panel = {m.person_id for m in round_.panel}
            everyone = listing.person_choices(session)
            people = [(pid, name) for pid, name in everyone if pid not in on_panel]
        self.model.set_rows(rows)
        chairs = sum(1 for row in rows if row["chair"])
        self.chair_problem.show_messages(
            [] if chairs == 1 else ["No one chairs this panel yet: add the chair, or tick a member."])
        for column in range(3):
            self.view.resizeColumnToContents(column)
        self.person.clear()
        for pid, name in people:
            self.person.addItem(name, pid)
        # With a placeholder Qt leaves the choice empty, so the placeholder must fit each case.
        self.person.setPlaceholderText("Choose a person…" if people
                                       else "(add people on the People page first)" if not everyone
                                       else "(everyone is on the panel; add people on the People page)")

    def _edit(self, row: dict, key: str, value: Any) -> bool:
        if not value:
            self.error.show_messages(["A round needs a chair: tick another member to make them chair instead."])
            return False

        def make_chair(session: Any) -> None:
            member = get(session, PanelMember, row["id"])
            set_chair(member.round, member.person)

        if self.apply(make_chair, "panel_member", self.error):
            self.load(self.round_id)
        return False  # the rows were reloaded (the old chair's tick went too)

    def add(self, chair: bool = False) -> None:
        person_id = self.person.currentData()
        if person_id is None:
            self.error.show_messages(["Choose the person to add first." if self.person.count() else
                                      "Everyone on the People page is already on this panel; add the person there first."])
            return
        if self.apply(lambda s: add_to_panel(s, self.round_id, person_id, chair), "panel_member", self.error):
            self.load(self.round_id)

    def remove(self) -> None:
        member_id = selected_id(self.view)
        if member_id is None:
            return
        name = self.model.rows[self.model.row_of(member_id)]["name"]
        if self.main.delete_with_undo(PanelMember, member_id, f"{name} from the panel"):
            self.load(self.round_id)
