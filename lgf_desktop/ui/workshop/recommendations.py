"""Recommendations typed inline: the current question's (under the editor) or the partnership's own
(in the right column). Type in the line and press Enter to add; double-click or F2 to edit one;
Delete removes the selected one after asking (the window's Undo delete brings it back); Escape goes
back to the response editor (the window's one Esc shortcut, see ``shortcuts.py``).

Editing one in place is on the app's one autosave (``ui/autosave.py``): saved after a pause, at most
a second after the first unsaved keystroke and at once when the edit ends, queued for the writer so
typing never waits, journalled meanwhile, over the version the list loaded (a change made elsewhere
is never overwritten: ``conflict.settle``). A failed save is said under the list in one sentence.
So is a new one typed before Enter, as a draft (``ui/drafts.py``): no recommendation is made until
Enter, but what is typed is in the database within a second and is there again after a crash."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView, QHeaderView, QLabel, QLineEdit, QStyledItemDelegate, QTableView, QVBoxLayout, QWidget,
)

from ...errors import UserError
from ...models import Recommendation
from ...services.review import workshop as ws
from ...services.review.numbering import report_numbers
from ...services.drafts import clear_draft, draft_text, new_recommendation_place, partnership_recommendation_place
from ..autosave import AutoSave, SaveTarget
from ..deleting import UndoableDeletes
from ..drafts import draft_target
from ..errors import show_error
from .shortcuts import UNDO_SHORTCUT

if TYPE_CHECKING:
    from ...db import Database

Index = QModelIndex | QPersistentModelIndex


def workshop_deletes(db: Database, parent: QWidget) -> UndoableDeletes:
    """What the workshop deletes asks first; Recommendation → Undo delete brings it back."""
    return UndoableDeletes(db, f"Recommendation → Undo delete ({UNDO_SHORTCUT})", parent)


def widget_shortcut(key, widget: QWidget, slot) -> QShortcut:
    """A shortcut only while ``widget`` has focus. Set after construction: PySide6 ignores a ``context=``
    keyword there, and three lists each claiming Delete window-wide made the key do nothing at all."""
    shortcut = QShortcut(key, widget, slot)
    shortcut.setContext(Qt.ShortcutContext.WidgetShortcut)
    return shortcut


class RecommendationModel(QAbstractTableModel):
    """One editable column: the recommendation's text, in template order."""

    text_edited = Signal(int, str)  # recommendation id, new text

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.rows: list[tuple[int, str]] = []
        self.numbers: list[str] = []  # as in the report and the tracker (services/review/numbering.py)

    def set_rows(self, rows: list[tuple[int, str]], numbers: list[str] | None = None) -> None:
        self.beginResetModel()
        self.rows = rows
        self.numbers = numbers or [str(n) for n in range(1, len(rows) + 1)]
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802 (Qt's name)
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else 1

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):  # noqa: N802
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal:
            return "Recommendation"
        return self.numbers[section] if 0 <= section < len(self.numbers) else None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsEditable

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        rec_id, text = self.rows[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole, Qt.ItemDataRole.ToolTipRole):
            return text
        if role == Qt.ItemDataRole.UserRole:
            return rec_id
        return None

    def setData(self, index: Index, value, role: int = Qt.ItemDataRole.EditRole) -> bool:  # noqa: N802
        if not index.isValid() or role != Qt.ItemDataRole.EditRole:
            return False
        rec_id, old = self.rows[index.row()]
        if str(value).strip() == old:
            return False
        self.text_edited.emit(rec_id, str(value))
        return True

    def show_text(self, rec_id: int, text: str) -> None:
        """Show a text being saved (the list is read again once the save committed)."""
        for row, (each, _old) in enumerate(self.rows):
            if each == rec_id:
                self.rows[row] = (rec_id, text)
                self.dataChanged.emit(self.index(row, 0), self.index(row, 0))


def recommendation_record(rec_id: int) -> str:
    """The recovery journal's name for one recommendation's text."""
    return f"recommendation/{rec_id}"


class AutoSavingDelegate(QStyledItemDelegate):
    """The in-place editor of a recommendation's text, on the app's one autosave."""

    def __init__(self, panel: RecommendationsPanel) -> None:
        super().__init__(panel)
        self.panel = panel

    def createEditor(self, parent: QWidget, option: Any, index: QModelIndex) -> QWidget:  # noqa: N802 (Qt's name)
        editor = QLineEdit(parent)
        editor.setAccessibleName("Recommendation text")
        self.panel.start_editing(editor, index.data(Qt.ItemDataRole.UserRole), index.data(Qt.ItemDataRole.EditRole))
        return editor

    def setEditorData(self, editor: QWidget, index: QModelIndex) -> None:  # noqa: N802
        pass  # filled once, by start_editing: a refresh of the list never replaces what is being typed

    def setModelData(self, editor: QWidget, model: Any, index: QModelIndex) -> None:  # noqa: N802
        self.panel.finish_editing(editor)


class RecommendationsPanel(QWidget):
    """``partnership=False``: the recommendations of the review's current question."""

    changed = Signal()
    done = Signal()  # Enter: the chair goes back to typing the response

    def __init__(self, db: Database, review_id: int, *, partnership: bool = False, deletes: UndoableDeletes | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.deletes = deletes or workshop_deletes(db, self)
        self.review_id = review_id
        self.partnership = partnership
        self.question_id: int | None = None
        self.loaded: dict[int, tuple[str, int]] = {}
        self.editing: dict[QLineEdit, AutoSave] = {}
        self.problems: dict[int | str, str] = {}  # recommendation id (or draft place): its failed save's sentence
        self.round_id: int | None = None
        self.title = QLabel("Partnership recommendations" if partnership else "Recommendations on this question")
        self.title.setStyleSheet("font-weight: bold")
        self.model = RecommendationModel(self)
        self.view = QTableView()
        self.view.setModel(self.model)
        self.view.setItemDelegate(AutoSavingDelegate(self))
        self.view.horizontalHeader().hide()
        self.view.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.view.setWordWrap(True)
        # Rows follow the text as the panel's width changes (it is built in a hidden tab, narrower than
        # it is shown): a recommendation sized while hidden read "Contact newly … routinely to …".
        self.view.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.DoubleClicked | QAbstractItemView.EditTrigger.EditKeyPressed)
        self.view.setAccessibleName(self.title.text())
        widget_shortcut(QKeySequence.StandardKey.Delete, self.view, self.delete_selected)
        self.entry = QLineEdit()
        self.entry.setPlaceholderText(
            "Type a recommendation for the partnership and press Enter" if partnership
            else "Type a recommendation agreed on this question and press Enter (Ctrl+R)")
        self.entry.setAccessibleName("New recommendation")
        self.entry.returnPressed.connect(self.add_from_entry)
        self.draft = AutoSave(db, self.entry, parent=self)  # the new one typed before Enter
        self.draft.saved.connect(lambda target, _text, when: self._draft_saved(target, when))
        self.draft.failed.connect(self._failed)
        self.not_saved = QLabel(wordWrap=True)
        self.not_saved.setStyleSheet("color: #b00020; font-weight: bold;")
        self.not_saved.setAccessibleName("Save status")
        self.not_saved.hide()
        # A line typed and not yet added is a draft: said so, so the chair never takes it for added.
        self.draft_state = QLabel(wordWrap=True)
        self.draft_state.setStyleSheet("color: #555;")
        self.draft_state.setAccessibleName("Draft status")
        self.draft_state.hide()
        self.entry.textChanged.connect(lambda text: self.draft_state.setVisible(bool(text.strip())))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.title)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.not_saved)
        layout.addWidget(self.entry)
        layout.addWidget(self.draft_state)
        if partnership:
            self.refresh()
            self._show_draft()

    def set_question(self, question_id: int | None) -> None:
        for editor in list(self.editing):  # an edit in progress is saved before the list changes
            self.finish_editing(editor)
        self.question_id = question_id
        self.refresh(force=True)
        self._show_draft()

    def refresh(self, force: bool = False) -> None:
        """Read the list again; not while one is being edited in place (a reset would close its
        editor under the chair's typing; its save's version check settles any change elsewhere)."""
        if self.editing and not force:
            return
        with self.db.session() as session:
            review = ws.get_review(session, self.review_id)
            self.round_id = review.round_id
            if self.partnership:
                recs = ws.partnership_recommendations(session, review.round_id)
            elif self.question_id is None:
                recs = []
            else:
                recs = ws.question_recommendations(session, self.review_id, self.question_id)
            rows = [(r.id, r.text) for r in recs]
            # What each row was loaded as: an edit is saved over that version, never over a newer one.
            self.loaded = {r.id: (r.text, r.version) for r in recs}
            numbers = report_numbers(session, review.round)
        self.model.set_rows(rows, [numbers.get(rec_id, "") for rec_id, _text in rows])
        self.view.resizeRowsToContents()
        if not self.partnership:
            self.title.setText(f"Recommendations on this question ({len(rows)})")

    def start(self) -> None:
        """Ctrl+R: put the cursor in the line where a new recommendation is typed."""
        self.entry.setFocus()
        self.entry.selectAll()

    # --- the new one, typed before Enter: a draft on the one autosave ------------------------------
    def draft_place(self) -> str | None:
        if self.partnership:
            return partnership_recommendation_place(self.round_id) if self.round_id is not None else None
        return new_recommendation_place(self.review_id, self.question_id) if self.question_id is not None else None

    def _show_draft(self) -> None:
        """Show the draft typed at this place before (after a restart too); the one shown so far is
        saved first."""
        place = self.draft_place()
        if place is None:
            self.draft.load(None, self.entry.clear)
            return
        with self.db.session() as session:
            text = draft_text(session, place)
        where = "the partnership's new recommendation" if self.partnership else "the new recommendation on this question"
        self.draft_state.setText("Not added yet: a draft kept from before; Enter adds it." if text.strip()
                                 else "Not added yet: Enter adds it.")
        self.draft.load(draft_target(place, where, text), lambda: self.entry.setText(text))

    def _draft_saved(self, target: SaveTarget, when: object) -> None:
        if self.problems.pop(target.key, None) is not None:
            self._say_problems()
        if target is self.draft.target:
            self.draft_state.setText(f"Not added yet: the draft is kept (saved {when:%H:%M:%S}); Enter adds it.")

    def add_from_entry(self) -> None:
        text = self.entry.text()
        if not text.strip():
            self.done.emit()
            return
        target, place = self.draft.target, self.draft_place()

        def add(session) -> None:
            review = ws.get_review(session, self.review_id)
            if self.partnership:
                ws.add_partnership_recommendation(session, review.round_id, text)
            else:
                if self.question_id is None:
                    raise UserError("Open a question first.")
                ws.add_recommendation(session, review, self.question_id, text)
            if place is not None:
                clear_draft(session, place)  # made: the draft goes with the same commit

        # The draft typed so far is queued first (the add waits for it), then the line empties.
        self.draft.load(None, self.entry.clear)
        if self._change(add):
            if target is not None:
                self.db.journal.saved(target.record, target.field, text)  # it is a recommendation now
            self._show_draft()
            self.done.emit()
        else:  # refused: the text comes back to be corrected, still a draft
            self.draft.load(target, lambda: self.entry.setText(text))

    # --- editing in place, on the one autosave -----------------------------------------------------
    def start_editing(self, editor: QLineEdit, rec_id: int, text: str) -> None:
        base, version = self.loaded.get(rec_id, (text, None))

        def save(session: Any, text: str, expected_version: int | None) -> int:
            rec = ws.update_recommendation(session, rec_id, text, expected_version)
            session.flush()
            return rec.version

        short = base if len(base) <= 40 else base[:37].rstrip() + "…"
        target = SaveTarget(recommendation_record(rec_id), "text", f"the recommendation “{short}”", save, version,
                            key=rec_id, what="recommendation")
        autosave = AutoSave(self.db, editor, parent=self)  # outlives the editor until its saves return
        autosave.saved.connect(self._saved)
        autosave.failed.connect(self._failed)
        autosave.load(target, lambda: editor.setText(base))
        self.editing[editor] = autosave
        editor.destroyed.connect(lambda *_: self._editor_gone(editor))

    def finish_editing(self, editor: QLineEdit) -> None:
        """The edit ended (Enter, or focus moved): save now; the list shows the text meanwhile."""
        autosave = self.editing.get(editor)
        if autosave is None or autosave.target is None:
            return
        autosave.save_now()
        self.model.show_text(autosave.target.key, editor.text().strip())

    def _editor_gone(self, editor: QLineEdit) -> None:
        autosave = self.editing.pop(editor, None)
        if autosave is not None:
            autosave.target = None  # its saves in flight still report; nothing reads the editor again
            autosave.schedule.stop()

    def _saved(self, target: SaveTarget, text: str, when: object) -> None:
        self.problems.pop(target.key, None)
        self._say_problems()
        self.refresh()
        self.changed.emit()

    def _failed(self, target: SaveTarget, sentence: str) -> None:
        self.problems[target.key] = sentence
        self._say_problems()

    def _say_problems(self) -> None:
        self.not_saved.setText("\n".join(f"⚠ {p}" for p in self.problems.values()))
        self.not_saved.setVisible(bool(self.problems))

    @property
    def problem(self) -> str:
        return next(iter(self.problems.values()), "")

    def flush(self) -> bool:
        """Save what is being edited and wait (the window is closing): True when all is saved."""
        for editor in list(self.editing):
            self.finish_editing(editor)
        autosaves = {a for a in self.findChildren(AutoSave)}
        return all([a.flush() for a in autosaves]) and not self.problem

    def delete_selected(self) -> None:
        rows = self.view.selectionModel().selectedRows()
        if not rows:
            return
        rec_id, text = self.model.rows[rows[0].row()]
        short = text if len(text) <= 60 else text[:57].rstrip() + "…"
        if self.deletes.delete(self, Recommendation, rec_id, f"the recommendation “{short}”"):
            self.refresh()
            self.changed.emit()

    def _change(self, change) -> bool:
        try:
            with self.db.session() as session:
                change(session)
        except UserError as exc:
            show_error(self, exc)
            self.refresh()
            return False
        self.refresh()
        self.changed.emit()
        return True
