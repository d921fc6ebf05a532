"""The workshop window: the panel chair's screen during a 90-minute peer review.

Outline on the left, the current question with its sub-prompts above a large response editor (and
the question's recommendations) in the middle, the clock, theme times, attendance and partnership
recommendations on the right. Keyboard first (see ``shortcuts.SHORTCUTS``); nothing to save by hand.
"""

from __future__ import annotations

import logging
from functools import partial
from html import escape
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QFileDialog, QLabel, QMainWindow, QMessageBox, QSplitter, QTabWidget, QTreeView, QVBoxLayout, QWidget,
)

from ...importing import import_file
from ...models import Question
from ...errors import UserError
from ...services.review import notes_exchange, responses, workshop as ws
from ..autosave import UnsavedText
from ..errors import show_error
from ..tasks import run_task
from .attendance import AttendancePanel
from .clock import ClockPanel, set_style
from .editor import AutoSaver, ResponseEditor
from .notes import NotesPanel
from .outline import OutlineModel, OutlineQuestion, OutlineTheme
from .panels import panel_classes
from .recommendations import RecommendationsPanel, workshop_deletes
from .shortcuts import SHORTCUTS, THEME_JUMP, TICKED, ShortcutsDialog

if TYPE_CHECKING:
    from ...db import Database

log = logging.getLogger("lgf_desktop")

FOCUS_STYLE = ("QLineEdit:focus, QAbstractSpinBox:focus, QAbstractItemView:focus, QPlainTextEdit:focus, "
               "QTextEdit:focus { border: 2px solid #1565c0; }")


class WorkshopWindow(QMainWindow):
    changed = Signal(str)  # a table name, for the main window's data_changed

    def __init__(self, db: Database, review_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowFlag(Qt.WindowType.Window)
        self.db = db
        self.review_id = review_id
        self.focus_mode = False
        self.question_id: int | None = None
        with db.session() as session:
            review = ws.get_review(session, review_id)
            self.setWindowTitle(f"Workshop — peer review of {review.organisation.name} — round {review.round.label}")
            self.organisation = review.organisation.name
            responses = {r.question_id: r.text for r in review.responses}
            marks = {r.question_id: "above" if r.answered_above else "blank" if r.not_discussed else ""
                     for r in review.responses}
            themes = []
            self.questions: dict[int, tuple[str, str, list[str], str]] = {}
            for t_pos, theme in enumerate(review.round.themes, 1):
                item = OutlineTheme(theme.id, theme.title)
                for q_pos, question in enumerate(theme.questions, 1):
                    number = f"{t_pos}.{q_pos}"
                    item.questions.append(OutlineQuestion(question.id, number, question.text,
                                                          ws.question_state(responses.get(question.id)),
                                                          marks.get(question.id, "")))
                    self.questions[question.id] = (number, theme.title, question.sub_prompts, question.text)
                themes.append(item)
            start_at = review.current_question_id
        self._build(themes)
        self._build_actions()
        ordered = self.outline_model.ordered_ids()
        if ordered:
            self.open_question(start_at if start_at in self.questions else ordered[0])
        self.resize(1366, 768)

    # --- layout ----------------------------------------------------------------------------
    def _build(self, themes: list[OutlineTheme]) -> None:
        self.outline_model = OutlineModel(themes, self)
        self.outline = QTreeView()
        self.outline.setModel(self.outline_model)
        self.outline.setHeaderHidden(True)
        self.outline.setWordWrap(True)
        self.outline.setUniformRowHeights(False)
        self.outline.expandAll()
        self.outline.setAccessibleName("Outline of themes and questions")
        self.outline.activated.connect(self._outline_activated)
        self.outline.clicked.connect(self._outline_activated)

        self.position = QLabel()
        self.position.setStyleSheet("color: #555")
        self.question_label = QLabel()
        self.question_label.setWordWrap(True)
        self.question_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        font = self.question_label.font()
        font.setPointSizeF(font.pointSizeF() * 1.3)
        font.setBold(True)
        self.question_label.setFont(font)
        self.prompts = QLabel()
        self.prompts.setWordWrap(True)
        self.prompts.setTextFormat(Qt.TextFormat.RichText)
        # A mark the chair put on the question, said where the response is typed.
        self.marks = QLabel()
        self.marks.setWordWrap(True)
        self.marks.setAccessibleName("Question marks")
        self.marks.setStyleSheet("color: #1f4e79; font-style: italic")
        self.marks.hide()
        self.editor = ResponseEditor()
        self.editor.setPlaceholderText("Type the response here. Start a line with \"- \" for a bullet.")
        self.autosaver = AutoSaver(self.db, self.review_id, self.editor, self)
        self.autosaver.saved.connect(self._saved)
        self.autosaver.failed.connect(self._save_failed)
        self.autosaver.refreshed.connect(self._refreshed)
        self.saved_label = QLabel("Everything is saved")
        self.saved_label.setAccessibleName("Save status")
        self.saved_label.setWordWrap(True)  # a failure's sentence must not widen the editor's column
        self.notes = NotesPanel(self.db, self.review_id)
        self.notes.before_merge = self.autosaver.save_now
        self.notes.merged.connect(self._notes_merged)
        self.notes.changed.connect(lambda: self.changed.emit("note_contribution"))
        self.deletes = workshop_deletes(self.db, self)
        self.recommendations = RecommendationsPanel(self.db, self.review_id, deletes=self.deletes)
        self.recommendations.done.connect(self.focus_editor)
        self.recommendations.changed.connect(lambda: self.changed.emit("recommendation"))
        self.recommendations.setMaximumHeight(150)

        editing = QSplitter(Qt.Orientation.Horizontal)
        editing.addWidget(self.editor)
        editing.addWidget(self.notes)
        editing.setStretchFactor(0, 3)
        editing.setStretchFactor(1, 2)
        middle = QWidget()
        layout = self.middle_layout = QVBoxLayout(middle)
        # Focus mode hides the right column; the time stays in sight on one line above the question.
        self.compact_clock = QLabel()
        self.compact_clock.setAccessibleName("Clock and this theme's time")
        self.compact_clock.setAlignment(Qt.AlignmentFlag.AlignRight)
        self.compact_clock.hide()
        layout.addWidget(self.compact_clock)
        layout.addWidget(self.position)
        layout.addWidget(self.question_label)
        layout.addWidget(self.prompts)
        layout.addWidget(self.marks)
        layout.addWidget(editing, 1)
        layout.addWidget(self.saved_label)
        layout.addWidget(self.recommendations)

        self.clock = ClockPanel(self.db, self.review_id)
        self.clock.ticked.connect(lambda: self.outline_model.set_theme_times(self.clock.theme_times))
        self.clock.ticked.connect(self._update_compact_clock)
        self.clock.toggled.connect(lambda: self.changed.emit("review"))
        self.attendance = AttendancePanel(self.db, self.review_id, self.deletes)
        self.attendance.changed.connect(lambda: self.changed.emit("review"))
        self.partnership = RecommendationsPanel(self.db, self.review_id, partnership=True, deletes=self.deletes)
        self.partnership.done.connect(self.focus_editor)
        self.partnership.changed.connect(lambda: self.changed.emit("recommendation"))
        self.tabs = QTabWidget()
        self.tabs.addTab(self.attendance, "Attendance")
        self.tabs.addTab(self.partnership, "Partnership")
        self.extra_panels: list[QWidget] = []
        for cls in panel_classes():
            try:
                panel = cls(self.db, self.review_id, self.tabs)
            except Exception:  # one broken add-on panel must not take the workshop down
                log.exception("Workshop panel %s could not be built", cls)
                continue
            self.extra_panels.append(panel)
            self.tabs.addTab(panel, panel.windowTitle() or cls.__name__)
        right = QSplitter(Qt.Orientation.Vertical)
        right.addWidget(self.clock)
        right.addWidget(self.tabs)
        right.setSizes([300, 420])

        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.addWidget(self.outline)
        self.splitter.addWidget(middle)
        self.splitter.addWidget(right)
        self.splitter.setSizes([300, 680, 386])
        self.right = right
        self.setCentralWidget(self.splitter)
        self.outline_model.set_theme_times(self.clock.theme_times)
        # Where the cursor is must be plain to see (Esc brings it back to the response from anywhere).
        self.setStyleSheet(FOCUS_STYLE)

    def _build_actions(self) -> None:
        self.actions_by_key: dict[str, QAction] = {}
        for menu_name, key, text, keys in SHORTCUTS:
            action = QAction(text, self)
            action.setShortcuts([QKeySequence(k) for k in keys])
            action.setCheckable(key in TICKED)
            action.triggered.connect(getattr(self, key))
            self._menu(menu_name).addAction(action)
            self.addAction(action)  # shortcuts still work in focus mode, with the menu bar hidden
            self.actions_by_key[key] = action
        jump = self._menu("&Question").addMenu("Jump to theme")
        for n, theme in enumerate(self.outline_model.themes[:9], 1):
            action = QAction(f"{n}. {theme.title}", self)
            action.setShortcut(QKeySequence(THEME_JUMP.format(n=n)))
            action.triggered.connect(partial(self.jump_to_theme, n - 1))
            jump.addAction(action)
            self.addAction(action)
        self.deletes.changed.connect(self._update_undo_delete)
        self._update_undo_delete()

    def _menu(self, title: str):
        for action in self.menuBar().actions():
            if action.text() == title:
                return action.menu()
        return self.menuBar().addMenu(title)

    # --- questions ---------------------------------------------------------------------------
    def open_question(self, question_id: int) -> None:
        """Save the current text, show another question and put the cursor in its response."""
        self.autosaver.save_now()
        with self.db.session() as session:  # in turn after that save: reads what it wrote
            review = ws.get_review(session, self.review_id)
            response = review.response_for(session.get(Question, question_id))
            text, version = (response.text, response.version) if response is not None else ("", 0)
            marks = (bool(response and response.answered_above), bool(response and response.not_discussed))
        review_id = self.review_id
        # Where the chair is, for the next start; queued, and not worth a message if it fails.
        self.db.write(lambda session: ws.set_current_question(session, ws.get_review(session, review_id), question_id))
        self.question_id = question_id
        number, theme, prompts, question = self.questions[question_id]
        ordered = self.outline_model.ordered_ids()
        self.position.setText(f"{theme} · question {number} · {ordered.index(question_id) + 1} of {len(ordered)}")
        self.question_label.setText(question)
        self.prompts.setText("<ul style='margin: 0'>" + "".join(f"<li>{escape(p)}</li>" for p in prompts) + "</ul>"
                             if prompts else "")
        self.prompts.setVisible(bool(prompts))
        self._show_marks(*marks)
        self.autosaver.load(question_id, text, version, label=f"question {number}")
        self.db.journal.window_opened("workshop", review_id=self.review_id, question_id=question_id)
        # Typing carries on after what is there: at the start, words went before the answer so far.
        self.editor.moveCursor(self.editor.textCursor().MoveOperation.End)
        self.outline_model.set_current(question_id)
        index = self.outline_model.question_index(question_id)
        self.outline.setCurrentIndex(index)
        self.outline.scrollTo(index)
        self.recommendations.set_question(question_id)
        self.notes.set_question(question_id)
        self.notes.setVisible(self.notes.count > 0 and not self.focus_mode)
        for panel in self.extra_panels:
            if hasattr(panel, "set_question"):
                panel.set_question(question_id)
        self.clock.refresh()
        self.focus_editor()

    # --- marks on a question: one response for two questions, or blank on purpose ----------------
    def toggle_answered_above(self, checked: bool | None = None) -> None:
        self._mark(responses.set_answered_above, "toggle_answered_above")

    def toggle_not_discussed(self, checked: bool | None = None) -> None:
        self._mark(responses.set_not_discussed, "toggle_not_discussed")

    def _mark(self, setter, key: str) -> None:
        action = self.actions_by_key[key]
        question_id, on = self.question_id, action.isChecked()
        if question_id is None:
            action.setChecked(False)
            return
        self.autosaver.save_now()
        try:
            with self.db.session() as session:
                response = setter(session, ws.get_review(session, self.review_id), question_id, on)
                marks = (bool(response.answered_above), bool(response.not_discussed))
        except UserError as exc:
            action.setChecked(not on)
            show_error(self, exc)
            return
        self._show_marks(*marks)
        self.changed.emit("response")
        self.focus_editor()

    def _show_marks(self, answered_above: bool, not_discussed: bool) -> None:
        self.actions_by_key["toggle_answered_above"].setChecked(answered_above)
        self.actions_by_key["toggle_not_discussed"].setChecked(not_discussed)
        if self.question_id is not None:
            self.outline_model.set_mark(self.question_id, "above" if answered_above else "blank" if not_discussed else "")
        said = []
        if answered_above:
            said.append("Answered with the question above: the report prints one response for both questions "
                        "(anything typed here follows it). Ctrl+Shift+U undoes this.")
        if not_discussed:
            said.append("Not discussed: the report leaves this response blank on purpose"
                        + (" (the text typed here is printed)." if self.editor.toPlainText().strip() else ".")
                        + " Ctrl+Shift+N undoes this.")
        self.marks.setText(" ".join(said))
        self.marks.setVisible(bool(said))

    def _outline_activated(self, index) -> None:
        question_id = self.outline_model.data(index, Qt.ItemDataRole.UserRole)
        if question_id is None:  # a theme: its first question
            self.jump_to_theme(index.row())
        elif question_id != self.question_id:
            self.open_question(question_id)

    def _step(self, delta: int) -> None:
        ordered = self.outline_model.ordered_ids()
        if self.question_id is None or not ordered:
            return
        position = max(0, min(len(ordered) - 1, ordered.index(self.question_id) + delta))
        if ordered[position] != self.question_id:
            self.open_question(ordered[position])
        else:
            self.focus_editor()

    def next_question(self) -> None:
        self._step(1)

    def previous_question(self) -> None:
        self._step(-1)

    def jump_to_theme(self, row: int) -> None:
        themes = self.outline_model.themes
        if 0 <= row < len(themes) and themes[row].questions:
            self.open_question(themes[row].questions[0].question_id)

    def next_theme(self) -> None:
        self.jump_to_theme(self.outline_model.theme_of(self.question_id) + 1)

    def previous_theme(self) -> None:
        self.jump_to_theme(max(0, self.outline_model.theme_of(self.question_id) - 1))

    def focus_editor(self) -> None:
        self.editor.setFocus(Qt.FocusReason.ShortcutFocusReason)

    def focus_outline(self) -> None:
        if self.focus_mode:  # the outline is hidden there: never leave the cursor in an invisible box
            self.toggle_focus_mode()
        self.outline.setFocus(Qt.FocusReason.ShortcutFocusReason)

    def undo(self) -> None:
        self.editor.undo()
        self.focus_editor()

    def redo(self) -> None:
        self.editor.redo()
        self.focus_editor()

    # --- saving ------------------------------------------------------------------------------
    def _saved(self, target, text: str, when) -> None:
        if not self.autosaver.problem:
            self.saved_label.setText(f"Saved {when:%H:%M:%S}")
            set_style(self.saved_label, "color: #1b5e20")
            if self.statusBar().currentMessage().startswith("Recovered "):
                # The chair typed on and it saved: the recovery is old news (seen beside a failed save
                # and a conflict, it read as if it were about them).
                self.statusBar().clearMessage()
        self.outline_model.set_text(target.key, text)
        self.changed.emit("response")

    def _save_failed(self, target, message: str) -> None:
        where = "" if target.key == self.question_id else f" (in {target.label})"
        self.saved_label.setText(f"⚠ {message}{where}")
        set_style(self.saved_label, "color: #b00020; font-weight: bold")

    def show_recovery(self, sentence: str, draft_place: str | None = None) -> None:
        """After a crash: say what was brought back (and what to check), where the save state is shown.
        ``draft_place``: the first text brought back was a draft (``services.drafts``)."""
        self.saved_label.setText(sentence)
        set_style(self.saved_label, "color: #8a5300; font-weight: bold")
        self.statusBar().showMessage(sentence, 60000)
        # The chair carries on where the crash stopped them: at the end of the recovered text; for a
        # recommendation typed and not yet added, on its line, where Enter adds it.
        for panel in (self.recommendations, self.partnership):
            if draft_place is not None and draft_place == panel.draft_place():
                if panel is self.partnership:
                    self.tabs.setCurrentWidget(panel)
                panel.entry.setFocus()
                panel.entry.end(False)
                return
        self.editor.moveCursor(self.editor.textCursor().MoveOperation.End)
        self.editor.ensureCursorVisible()
        self.focus_editor()

    def _refreshed(self, question_id: int, text: str, why: str) -> None:
        self.outline_model.set_text(question_id, text)
        self.saved_label.setText("Everything is saved")
        self.saved_label.setStyleSheet("")
        self.statusBar().showMessage(why if why.endswith(".") else "The response was changed elsewhere; "
                                     "this screen now shows what is saved.", 10000)

    def show_earlier_versions(self) -> None:
        from .earlier_versions import EarlierVersionsDialog

        if self.question_id is not None:
            EarlierVersionsDialog(self).exec()
        self.focus_editor()

    def show_restored(self, question_id: int, text: str, version: int, saved_when: str) -> None:
        """An earlier version was restored: show it as one undoable edit."""
        if question_id == self.question_id:
            self.autosaver.show_stored(text, version)
        self.outline_model.set_text(question_id, text)
        self.statusBar().showMessage(f"Restored the version saved {saved_when}; the text it replaced is kept "
                                     "in Earlier versions.", 15000)
        self.changed.emit("response")

    def refresh_from_database(self) -> None:
        """After a change elsewhere (another window, the CLI, an import): show the responses as
        stored; a response with unsaved typing here is left to the next save's version check."""
        with self.db.session() as session:
            states = ws.response_states(session, self.review_id)
        for question_id in self.questions:
            text, version = states.get(question_id, ("", 0))
            if question_id == self.question_id:
                self.autosaver.refresh(text, version)
            else:
                self.outline_model.set_text(question_id, text)

    def _notes_merged(self, question_id: int, text: str) -> None:
        if question_id == self.question_id:
            with self.db.session() as session:
                version = ws.response_states(session, self.review_id).get(question_id, ("", 0))[1]
            self.autosaver.load(question_id, text, version, label=f"question {self.questions[question_id][0]}")
            self.outline_model.set_text(question_id, text)
            self.editor.moveCursor(self.editor.textCursor().MoveOperation.End)
            self.focus_editor()

    # --- the right column ----------------------------------------------------------------------
    def toggle_clock(self) -> None:
        self.clock.toggle()

    def focus_attendance(self) -> None:
        self._show_right()
        self.tabs.setCurrentWidget(self.attendance)
        self.attendance.panel_view.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.attendance.panel_view.arm()  # Ctrl+L is on purpose: Space may tick (see PresenceView)
        if not self.attendance.panel_view.currentIndex().isValid() and self.attendance.panel_model.rowCount():
            self.attendance.panel_view.setCurrentIndex(self.attendance.panel_model.index(0, 0))

    def focus_representative(self) -> None:
        self._show_right()
        self.tabs.setCurrentWidget(self.attendance)
        self.attendance.name.setFocus(Qt.FocusReason.ShortcutFocusReason)

    def add_recommendation(self) -> None:
        if self.focus_mode:
            self.toggle_focus_mode()
        self.recommendations.start()

    def add_partnership_recommendation(self) -> None:
        self._show_right()
        self.tabs.setCurrentWidget(self.partnership)
        self.partnership.start()

    def undo_delete(self) -> None:
        """Bring back the newest deleted recommendation, representative or apology, and show it."""
        snap = self.deletes.undo(self)
        if snap is None:
            return
        table, values = snap.rows[0]
        self.recommendations.refresh()
        self.partnership.refresh()
        self.attendance.refresh()
        self.changed.emit("*")
        if table == "recommendation" and values.get("review_id") == self.review_id:
            if values.get("question_id") in self.questions and values["question_id"] != self.question_id:
                self.open_question(values["question_id"])  # it shows again under its question
        elif table == "recommendation":
            self.add_partnership_recommendation()
        elif table == "representative":
            self._show_right()
            self.tabs.setCurrentWidget(self.attendance)
        self.statusBar().showMessage(f"Brought back {snap.label}.", 8000)

    def _update_undo_delete(self) -> None:
        action = self.actions_by_key["undo_delete"]
        action.setEnabled(bool(self.deletes.stack))
        action.setText(self.deletes.action_text())

    def _show_right(self) -> None:
        if self.focus_mode:
            self.toggle_focus_mode()
        sizes = self.splitter.sizes()
        if sizes[2] == 0:  # dragged shut: a shortcut must not put the cursor where it cannot be seen
            self.splitter.setSizes([sizes[0], max(0, sizes[1] - 386), 386])

    def toggle_focus_mode(self) -> None:
        self.focus_mode = not self.focus_mode
        visible = not self.focus_mode
        for widget in (self.outline, self.right, self.recommendations, self.menuBar(), self.position):
            widget.setVisible(visible)
        self.notes.setVisible(visible and self.notes.count > 0)
        self.compact_clock.setVisible(self.focus_mode)
        self._update_compact_clock()
        # A readable line length in focus mode: the question and editor centred, about 960 px wide.
        side = max(9, (self.width() - 960) // 2) if self.focus_mode else 9
        self.middle_layout.setContentsMargins(side, 9, side, 9)
        self.focus_editor()

    def _update_compact_clock(self) -> None:
        if not getattr(self, "focus_mode", False):
            return
        clock = self.clock
        state = "running" if clock.running else "paused"
        self.compact_clock.setText(f"<b>{clock.elapsed.text()}</b> {state} · {escape(clock.remaining.text())}"
                                   + (f" · <b>{escape(clock.theme_words)}</b>" if clock.theme_words else ""))
        self.compact_clock.setStyleSheet(clock.theme_left.styleSheet().replace("font-weight: bold", ""))

    def show_shortcuts(self) -> None:
        ShortcutsDialog(self).exec()

    # --- notes exchange ----------------------------------------------------------------------
    def import_notes(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Import panel member's notes", str(Path.home()),
                                              "LGF exchange files (*.lgfx)")
        if path:
            self.run_import(path)

    def run_import(self, path: str) -> None:
        self.autosaver.save_now()
        from ..my_key import open_then

        def go(opening) -> None:
            self.statusBar().showMessage(f"Importing {Path(path).name}…")
            run_task(lambda progress: import_file(self.db, path, opening=opening), self._imported)

        open_then(self, path, go)

    def _imported(self, summary, error) -> None:
        if error is not None:
            self.statusBar().clearMessage()
            show_error(self, error, "Import panel member's notes")
            return
        self.statusBar().showMessage(summary, 15000)
        self.notes.refresh()
        self.notes.setVisible(self.notes.count > 0 and not self.focus_mode)
        self.changed.emit("note_contribution")
        QMessageBox.information(self, "Import panel member's notes", summary)

    def export_notes(self) -> None:
        self.autosaver.save_now()
        default = Path.home() / f"{self.db.user} notes - {self.organisation}.lgfx"
        path, _ = QFileDialog.getSaveFileName(self, "Export my notes", str(default), "LGF exchange files (*.lgfx)")
        if path:
            self.run_export(path)

    def run_export(self, path: str) -> None:
        from ..identifying_dialog import run_guarded
        from ..my_key import unlock_then
        from ..recipients import ask_for_notes

        go, passphrase = ask_for_notes(self, self.db, self.review_id)
        if not go:
            return

        def work(override, progress):
            with self.db.session() as session:
                return notes_exchange.export_notes(session, self.review_id, self.db.user, path,
                                                   override_identifying=override, passphrase=passphrase)

        unlock_then(self, lambda: run_guarded(self, work, self._exported))

    def _exported(self, result, error) -> None:
        if error is not None:
            show_error(self, error, "Export my notes")
            return
        if result is None:
            return  # they chose not to send what the identifying-data check found
        path, count = result
        self.statusBar().showMessage(f"Exported {count} note(s) to {path}.", 15000)

    # --- closing -----------------------------------------------------------------------------
    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 (Qt's name)
        saved = [self.autosaver.flush(), self.recommendations.flush(), self.partnership.flush()]
        if not all(saved):
            problem = (self.autosaver.problem or self.recommendations.problem or self.partnership.problem
                       or "The last words typed are not saved yet.")
            if not UnsavedText.ask(self, problem):
                event.ignore()
                return
        try:
            with self.db.session() as session:
                ws.account(session, ws.get_review(session, self.review_id))
        except Exception:  # noqa: BLE001 — the clock's account can wait; the chair asked to close
            log.warning("The workshop clock could not be written on close.")
        else:
            if not self.autosaver.pending:
                self.db.journal.window_closed("workshop")
        self.clock._timer.stop()
        self.changed.emit("*")
        super().closeEvent(event)
