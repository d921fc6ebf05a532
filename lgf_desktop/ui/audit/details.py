"""An audit's details: theme, quarter, start and end dates, and the training and resource links
printed (clickable) on the learning brief. The theme and quarter are on the one autosave
(``ui/autosave.py``: saved within a second as typed, journalled, each checked on its own field so a
change made elsewhere is never overwritten); the dates save when left. A new link's title and
address typed before "Add link" are drafts on the same autosave (``ui/drafts.py``), shown again
after a restart or a crash. A problem is shown in plain words next to the field and nothing is
changed. Removing a link asks first and can be undone."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import Any

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QDateEdit, QFormLayout, QGroupBox, QHBoxLayout, QHeaderView, QLabel, QLineEdit, QPushButton, QVBoxLayout,
    QWidget,
)

from ...db import Database
from ...errors import UserError
from ...models import Audit, AuditLink
from ...services.audit.details import add_link, edit_link, move_link, set_audit_details
from ...services.drafts import clear_draft, draft_texts, new_link_place
from ..date_picker import uk_date_picker
from ..deleting import UndoableDeletes
from ..autosave import AutoSave, SaveTarget, refuse_if_field_changed
from ..drafts import draft_target
from ..errors import show_error
from ..forms.common import Column, Message, RecordTableModel, selected_id, table_view

NO_DATE = QDate(2000, 1, 1)  # the date edit's minimum, shown as "not set"


def date_edit(name: str) -> QDateEdit:
    edit = QDateEdit()
    uk_date_picker(edit)
    edit.setMinimumDate(NO_DATE)
    edit.setSpecialValueText("not set")
    edit.setCalendarPopup(True)
    edit.setAccessibleName(name)
    edit.setDate(NO_DATE)
    edit.setMaximumWidth(220)
    return edit


def with_message(field: QWidget, message: QWidget) -> QWidget:
    """The field with its message right under it (taking no room while there is nothing to say)."""
    box = QWidget()
    layout = QVBoxLayout(box)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.setSpacing(2)
    layout.addWidget(field)
    layout.addWidget(message)
    return box


def _show(box: QLineEdit, text: str) -> None:
    if box.text() != text:  # the cursor of a box being typed in stays where it is
        box.setText(text)


def date_of(edit: QDateEdit) -> date | None:
    chosen = edit.date()
    return None if chosen == NO_DATE else date(chosen.year(), chosen.month(), chosen.day())


def show_date(edit: QDateEdit, value: date | None) -> None:
    edit.setDate(QDate(value.year, value.month, value.day) if value else NO_DATE)


class DetailsView(QWidget):
    def __init__(self, db: Database, on_change: Callable[[], None], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.on_change = on_change
        self.audit_id: int | None = None
        self.deletes = UndoableDeletes(db, "the Undo remove button", self)

        self.theme = QLineEdit(placeholderText="e.g. Neglect, Children missing education")
        self.theme.setAccessibleName("Theme")
        self.theme_error = Message(self)
        self.quarter = QLineEdit(placeholderText="e.g. 2025-26 Q3")
        self.quarter.setAccessibleName("Quarter")
        self.quarter_error = Message(self)
        self.start = date_edit("Start date")
        self.end = date_edit("End date")
        self.dates_error = Message(self)
        self.saved = QLabel()
        self.saved.setStyleSheet("color: #2e7d32;")
        self.autosaves: dict[str, AutoSave] = {}
        for field, box, error in (("theme", self.theme, self.theme_error), ("quarter", self.quarter, self.quarter_error)):
            autosave = AutoSave(db, box, parent=self)
            autosave.saved.connect(lambda _target, _text, _when, box=box, error=error: self._field_saved(box, error))
            autosave.failed.connect(lambda _target, sentence, error=error: error.show_messages([sentence]))
            self.autosaves[field] = autosave
        for edit in (self.start, self.end):
            edit.editingFinished.connect(self._save_dates)
            edit.calendarWidget().clicked.connect(lambda _day: self._save_dates())

        details = QGroupBox("Audit details")
        columns = QHBoxLayout(details)
        left, right = QFormLayout(), QFormLayout()
        left.addRow("Theme", with_message(self.theme, self.theme_error))
        left.addRow("Quarter", with_message(self.quarter, self.quarter_error))
        right.addRow("Start date", self.start)
        right.addRow("End date", with_message(self.end, self.dates_error))
        columns.addLayout(left, 3)
        columns.addLayout(right, 2)

        self.links = RecordTableModel([Column("Title on the brief", "title", editable=True),
                                       Column("Link", "url", editable=True)], self._edit_link, self)
        self.links_view = table_view(self.links)
        self.links_view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.links_view.setAccessibleName("Training and resource links")
        self.links_error = Message(self)
        self.link_title = QLineEdit(placeholderText="Title shown on the brief")
        self.link_title.setAccessibleName("New link's title")
        self.link_url = QLineEdit(placeholderText="https://… or mailto:…")
        self.link_url.setAccessibleName("New link's address")
        self.link_url.returnPressed.connect(self.add_link)
        self.add_error = Message(self)
        # The new link's two boxes, typed before "Add link": drafts on the one autosave.
        self.link_drafts: dict[str, AutoSave] = {}
        for part, box in (("title", self.link_title), ("address", self.link_url)):
            draft = AutoSave(db, box, parent=self)
            draft.saved.connect(lambda *_: self.add_error.show_messages([]))
            draft.failed.connect(lambda _target, sentence: self.add_error.show_messages([sentence]))
            self.link_drafts[part] = draft
        # Typed and not yet added is said, so a kept draft is never taken for a link on the brief.
        self.link_draft_state = QLabel("Not added yet: Add link (or Enter in the address) puts it on the brief.")
        self.link_draft_state.setStyleSheet("color: #555;")
        self.link_draft_state.hide()
        for box in (self.link_title, self.link_url):
            box.textChanged.connect(self._show_link_draft_state)
        add = QPushButton("Add link")
        add.clicked.connect(self.add_link)
        up, down = QPushButton("Move up"), QPushButton("Move down")
        up.clicked.connect(lambda: self.move(-1))
        down.clicked.connect(lambda: self.move(1))
        remove = QPushButton("Remove link…")
        remove.clicked.connect(self.remove_link)
        self.undo_button = QPushButton("Undo remove")
        self.undo_button.clicked.connect(self.undo_remove)
        self.deletes.changed.connect(self._update_undo)

        link_box = QGroupBox("Training and resources (clickable on the learning brief)")
        link_layout = QVBoxLayout(link_box)
        hint = QLabel("Double-click a title or link to change it. A link is a web address (https://…) "
                      "or an email address (mailto:…).")
        hint.setWordWrap(True)
        link_layout.addWidget(hint)
        link_layout.addWidget(self.links_view, 1)
        link_layout.addWidget(self.links_error)
        buttons = QHBoxLayout()
        for button in (up, down, remove, self.undo_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        link_layout.addLayout(buttons)
        new = QHBoxLayout()
        new.addWidget(self.link_title, 1)
        new.addWidget(self.link_url, 1)
        new.addWidget(add)
        link_layout.addLayout(new)
        link_layout.addWidget(self.link_draft_state)
        link_layout.addWidget(self.add_error)

        layout = QVBoxLayout(self)
        layout.addWidget(details)
        layout.addWidget(self.saved)
        layout.addWidget(link_box, 1)
        self._update_undo()

    def load(self, audit_id: int) -> None:
        for autosave in self._all_autosaves():
            autosave.save_now()  # queued before the read below, which waits for it
        self.audit_id = audit_id
        with self.db.session() as session:
            audit = session.get(Audit, audit_id)
            for field, autosave in self.autosaves.items():
                value = getattr(audit, field)
                autosave.load(self._target(audit_id, field, value), lambda box=autosave.widget, value=value: _show(box, value))
            places = {part: new_link_place(audit_id, part) for part in self.link_drafts}
            typed = draft_texts(session, list(places.values()))
            for part, draft in self.link_drafts.items():
                text = typed[places[part]]
                draft.load(draft_target(places[part], f"the new link's {part}", text),
                           lambda box=draft.widget, text=text: _show(box, text))
            show_date(self.start, audit.start_date)
            show_date(self.end, audit.end_date)
            links = [{"id": link.id, "title": link.title, "url": link.url} for link in audit.links]
        self.links.set_rows(links)
        for message in (self.theme_error, self.quarter_error, self.dates_error, self.links_error):
            message.show_messages([])

    # ----- the details ----------------------------------------------------------------------------
    def _target(self, audit_id: int, field: str, text: str) -> SaveTarget:
        target = SaveTarget(f"audit/{audit_id}", field, f"the audit's {field}", None, None, key=audit_id,
                            what=f"audit's {field}", written=text)

        def save(session: Any, text: str, _version: int | None) -> None:
            audit = session.get(Audit, audit_id)
            if audit is None:
                raise UserError("That audit is no longer in the database.")
            refuse_if_field_changed(session, audit, getattr(audit, field), target, text)
            set_audit_details(audit, **{field: text})

        target.save = save
        return target

    def _field_saved(self, box: QLineEdit, error: Message) -> None:
        error.show_messages([])
        self._saved()
        if not box.hasFocus():  # the audit chooser shows the theme and quarter: told once the field is left
            self.on_change()

    def _all_autosaves(self) -> list[AutoSave]:
        return [*self.autosaves.values(), *self.link_drafts.values()]

    def save(self) -> None:
        """Queue what changed (never waits)."""
        for autosave in self._all_autosaves():
            autosave.save_now()

    def flush(self) -> bool:
        """Save and wait (closing): True when the database holds every text shown."""
        return all([autosave.flush() for autosave in self._all_autosaves()])

    @property
    def problem(self) -> str:
        return next((a.problem for a in self._all_autosaves() if a.problem), "")

    def _apply(self, change: Callable[[Any], Any], error: Message) -> bool:
        """Run ``change(session)``; a refusal goes beside the field and nothing is changed."""
        if self.audit_id is None:
            return False
        try:
            with self.db.session() as session:
                change(session)
        except UserError as exc:
            error.show_messages([str(exc)])
            return False
        except Exception as exc:  # noqa: BLE001 — a bug: reported, never a silent loss
            show_error(self, exc)
            return False
        error.show_messages([])
        return True

    def _save_dates(self) -> None:
        start, end = date_of(self.start), date_of(self.end)
        if self.audit_id is None:
            return
        with self.db.session() as session:
            audit = session.get(Audit, self.audit_id)
            same = (audit.start_date, audit.end_date) == (start, end)
        if same:
            self.dates_error.show_messages([])
            return
        if self._apply(lambda session: set_audit_details(session.get(Audit, self.audit_id),
                                                         start_date=start, end_date=end), self.dates_error):
            self._saved()

    def _saved(self) -> None:
        self.saved.setText(f"Saved {datetime.now():%H:%M:%S}")

    # ----- the links --------------------------------------------------------------------------------
    def _edit_link(self, row: dict, key: str, value: Any) -> bool:
        return self._apply(lambda session: edit_link(session, row["id"], **{key: str(value)}), self.links_error)

    def add_link(self) -> None:
        if self.audit_id is None:
            return
        audit_id, typed = self.audit_id, {part: draft.widget.text() for part, draft in self.link_drafts.items()}
        targets = {part: draft.target for part, draft in self.link_drafts.items()}

        def add(session: Any) -> None:
            add_link(session.get(Audit, audit_id), typed["title"], typed["address"])
            for part in self.link_drafts:
                clear_draft(session, new_link_place(audit_id, part))  # made: the drafts go with the same commit

        # The drafts typed so far are queued first (the add waits for them), then the boxes empty.
        for draft in self.link_drafts.values():
            draft.load(None, draft.widget.clear)
        if self._apply(add, self.add_error):
            for part, target in targets.items():
                if target is not None:
                    self.db.journal.saved(target.record, target.field, typed[part])  # a link now
            self.link_title.setFocus()
            self._reload_links()
        else:  # refused: the texts come back to be corrected, still drafts
            for part, draft in self.link_drafts.items():
                draft.load(targets[part], lambda box=draft.widget, text=typed[part]: box.setText(text))

    def _show_link_draft_state(self) -> None:
        self.link_draft_state.setVisible(bool(self.link_title.text().strip() or self.link_url.text().strip()))

    def move(self, step: int) -> None:
        link_id = selected_id(self.links_view)
        if link_id is not None and self._apply(lambda session: move_link(session, link_id, step), self.links_error):
            self._reload_links()
            self.links_view.selectRow(self.links.row_of(link_id))

    def remove_link(self) -> None:
        link_id = selected_id(self.links_view)
        if link_id is None:
            self.links_error.show_messages(["Select the link to remove first."])
            return
        title = self.links.rows[self.links.row_of(link_id)]["title"]
        if self.deletes.delete(self, AuditLink, link_id, f"the link “{title}”"):
            self._reload_links()

    def undo_remove(self) -> None:
        if self.deletes.undo(self) is not None:
            self._reload_links()

    def _update_undo(self) -> None:
        self.undo_button.setEnabled(bool(self.deletes.stack))
        self.undo_button.setToolTip(self.deletes.action_text())

    def _reload_links(self) -> None:
        if self.audit_id is not None:
            self.load(self.audit_id)
        self._saved()
