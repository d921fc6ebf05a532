"""The one autosave for free text: when to save, where the save goes, and what the screen says.

When (``SaveSchedule``): after a short pause in typing (``PAUSE_MS``), and at most ``MAX_WAIT_MS``
after the first unsaved keystroke however fast the typing goes on (a second timer that keystrokes
do not restart); at once when the field loses focus, the screen moves to another record, the window
closes or the app quits.

Where (``AutoSave``): the text is written to the recovery journal beside the database every
``JOURNAL_MS`` while typing (a cheap append), and the save is queued for the one writer
(``Database.write``): typing never waits for the disk. The result comes back on the main thread.
"Saved hh:mm:ss" is said only after the commit returned; a failed save keeps the text on screen and
in the journal, says why in one sentence and is tried again; a save refused as stale
(``StaleEdit``) is not retried: the ``conflict`` signal lets the screen show both texts.

A save function has the shape ``save(session, text, expected_version) -> new_version | None``.
A record with several text fields edited side by side (a case summary, a tracker entry) checks
each field on its own instead (``refuse_if_field_changed``): a save is refused only when *this*
field was changed elsewhere since it was read, so typing in one box never conflicts with the
screen's own save of the box beside it.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QCoreApplication, QEvent, QObject, QTimer, Signal
from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import QLineEdit, QMessageBox, QPlainTextEdit, QWidget

from ..errors import StaleEdit, UserError
from ..storage.faults import fault_sentence

if TYPE_CHECKING:
    from concurrent.futures import Future

    from ..db import Database

PAUSE_MS = 500
MAX_WAIT_MS = 800  # the promise is one second: the commit itself takes a few milliseconds more
JOURNAL_MS = 100
RETRY_MS = 2000

_FOCUS_OUT = QEvent.Type.FocusOut
SaveFunction = Callable[[Any, str, "int | None"], "int | None"]


class SaveSchedule(QObject):
    """Decides when a text field saves; emits ``due`` then. Attach it to the field's widget."""

    due = Signal()

    def __init__(self, widget: QWidget | list[QWidget], parent: QObject | None = None) -> None:
        widgets = widget if isinstance(widget, list) else [widget]
        super().__init__(parent or widgets[0])
        self.widgets = widgets
        self._pause = QTimer(self, singleShot=True, interval=PAUSE_MS)
        self._max = QTimer(self, singleShot=True, interval=MAX_WAIT_MS)
        self._pause.timeout.connect(self.fire)
        self._max.timeout.connect(self.fire)
        self.quiet = False  # set while a screen fills the field: loading is not an edit
        for each in widgets:
            each.installEventFilter(self)
        app = QCoreApplication.instance()
        if app is not None:
            app.aboutToQuit.connect(self.fire)

    def edited(self) -> None:
        if self.quiet:
            return
        self._pause.start()  # restarted by every keystroke
        if not self._max.isActive():
            self._max.start()  # not restarted: the first unsaved keystroke sets the deadline

    @property
    def waiting(self) -> bool:
        return self._pause.isActive() or self._max.isActive()

    def stop(self) -> None:
        self._pause.stop()
        self._max.stop()

    def fire(self) -> None:
        self.stop()
        self.due.emit()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt's name)
        # Called for every event the text box gets (each keystroke, each paint): kept to one compare.
        if event.type() == _FOCUS_OUT and self.waiting:
            self.fire()
        return False


@dataclass(eq=False)
class SaveTarget:
    """One field of one record being edited: where its text goes and the version it was read at."""

    record: str  # the journal's name for the record, e.g. "response/12/34"
    field: str
    label: str  # for people: "question 2.3"
    save: SaveFunction
    expected_version: int | None = None
    key: Any = None  # the screen's own id for the record (a question id, a grade id)
    saved_text: str = ""  # what the database holds, as far as this screen knows
    conflicted: bool = False
    failed: str = ""  # the sentence of the last failed save, "" when none
    unsaved: str | None = field(default=None)  # text of a failed save while another record is shown
    what: str = "answer"  # for the conflict's question: "This answer was changed elsewhere"
    # The field's text as this screen last read or wrote it; set on the writer thread by each save,
    # so a chain of queued saves each compare with what the previous one left.
    written: str | None = None


def refuse_if_field_changed(session: Any, record: Any, stored: str, target: SaveTarget, text: str,
                            stored_as: Callable[[str], Any] = str.strip) -> None:
    """Raise ``StaleEdit`` when ``stored`` (the field as the database holds it now) is not what this
    screen last read or wrote, and differs from ``text``: someone else changed this field since.
    ``stored_as`` is how the service stores a text (trimmed, by default), so that what it tidies
    away is not taken for a change made elsewhere. ``record`` is None for one not (or no longer) there."""
    # Services trim the ends of what they store: a space typed last is not a change made elsewhere.
    if target.written is None or stored_as(stored) in (stored_as(target.written), stored_as(text)):
        return
    from ..services.stale import stale_edit  # on the writer thread; the first page shows before SQLAlchemy loads

    raise stale_edit(session, getattr(record, "uuid", ""), target.what, getattr(record, "version", None), stored)


def replace_text(widget: QWidget, text: str) -> None:
    """Put ``text`` in a text box as one undoable edit, keeping the cursor where it was (at the end
    if it was there)."""
    if isinstance(widget, QLineEdit):
        if widget.text() != text:
            position = widget.cursorPosition()
            widget.selectAll()
            widget.insert(text)
            widget.setCursorPosition(min(position, len(text)))
        return
    assert isinstance(widget, QPlainTextEdit)
    if widget.document().toRawText().replace("\u2029", "\n") == text:
        return
    old = widget.textCursor()
    at_end, position = old.atEnd(), old.position()
    cursor = QTextCursor(widget.document())
    cursor.select(QTextCursor.SelectionType.Document)
    cursor.insertText(text)
    cursor.setPosition(len(text) if at_end else min(position, len(text)))
    widget.setTextCursor(cursor)


def read_text(widget: QWidget) -> Callable[[], str]:
    """How to read a text box's text exactly as typed (non-breaking spaces kept)."""
    if isinstance(widget, QLineEdit):
        return widget.text
    return lambda: widget.document().toRawText().replace("\u2029", "\n")


class _Stopped(Exception):
    """A queued save skipped because its record is in conflict."""


class AutoSave(QObject):
    """Saves one text widget's content to the record it currently shows, through the writer."""

    saved = Signal(object, str, object)  # target, text, datetime of the commit
    failed = Signal(object, str)  # target, the sentence saying why
    conflict = Signal(object, object)  # target, StaleEdit
    refreshed = Signal(object, str, str)  # key of the record, text now shown, why (changed elsewhere)
    _finished = Signal(object, object, str, object)  # future, target, text, datetime

    def __init__(self, db: Database, widget: QWidget, text_of: Callable[[], str] | None = None,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.widget = widget
        self.text_of = text_of or read_text(widget)
        self.target: SaveTarget | None = None
        self.schedule = SaveSchedule(widget, self)
        self.schedule.due.connect(self.save_now)
        self._journal_timer = QTimer(self, singleShot=True, interval=JOURNAL_MS)
        self._journal_timer.timeout.connect(self._journal)
        self._retry = QTimer(self, singleShot=True, interval=RETRY_MS)
        self._retry.timeout.connect(self._try_again)
        self._inflight: dict[Future, tuple[SaveTarget, str]] = {}
        self._elsewhere: list[SaveTarget] = []  # failed saves of records no longer shown
        self._settling = False
        self._finished.connect(self._on_finished)
        self.conflict.connect(self._settle)
        widget.textChanged.connect(self.edited)

    # --- what the widget shows ----------------------------------------------------------------
    def load(self, target: SaveTarget | None, show: Callable[[], None]) -> None:
        """Save the record shown so far, then let ``show()`` fill the widget with ``target``'s text."""
        self.save_now()
        self._journal()
        self.target = None
        self.schedule.quiet = True
        try:
            show()
        finally:
            self.schedule.quiet = False
        self.schedule.stop()
        if target is not None and target.unsaved is None:
            target.saved_text = self.text_of()
            if target.written is None:
                target.written = target.saved_text
        elif target is not None:  # a failed save shown again: still unsaved, tried again now
            target.unsaved = None
            self.target = target
            self.save_now()
        self.target = target

    def edited(self) -> None:
        if self.target is None or self.schedule.quiet:
            return
        self.schedule.edited()
        if not self._journal_timer.isActive():
            self._journal_timer.start()

    @property
    def pending(self) -> bool:
        """True while the widget shows text the database may not hold (unsaved, in flight, failed)."""
        if self._elsewhere:
            return True
        return self.target is not None and self.text_of() != self.target.saved_text

    @property
    def problem(self) -> str:
        """The sentence of the newest failed save still unsaved, or ""."""
        for target in [self.target, *self._elsewhere]:
            if target is not None and target.failed:
                return target.failed
        return ""

    # --- saving ---------------------------------------------------------------------------------
    def _journal(self) -> None:
        self._journal_timer.stop()
        target = self.target
        if target is None:
            return
        text = self.text_of()
        if text != target.saved_text:
            self.db.journal.note(target.record, target.field, text, target.label)

    def save_now(self) -> None:
        """Queue a save of the shown text if it changed; never waits."""
        self.schedule.stop()
        target = self.target
        if target is None or target.conflicted:
            return
        text = self.text_of()
        if text == target.saved_text and not target.failed:
            return
        if target.failed:
            self._journal()  # a failed save: the journal holds the text until one succeeds
        self._submit(target, text)

    def _submit(self, target: SaveTarget, text: str) -> None:
        # The journal holds exactly the text being saved, so the commit can clear it (an older,
        # shorter entry must never outlive a newer save and be "recovered" over it).
        if text != target.saved_text:
            self.db.journal.note(target.record, target.field, text, target.label)
        def job(session: Any) -> None:
            # Reads and sets the version on the writer thread: saves of one record run in the
            # order they were queued, so each expects the version the previous one left.
            if target.conflicted:
                raise _Stopped
            new_version = target.save(session, text, target.expected_version)
            if new_version is not None:
                target.expected_version = new_version
            target.written = text

        future = self.db.write(job)
        self._inflight[future] = (target, text)
        future.add_done_callback(lambda f: self._report(f, target, text))

    def _report(self, future: Future, target: SaveTarget, text: str) -> None:
        try:  # on the writer thread: hand the result to the main thread
            self._finished.emit(future, target, text, datetime.now())
        except RuntimeError:  # the screen is gone; the journal still holds anything unsaved
            pass

    def _on_finished(self, future: Future, target: SaveTarget, text: str, when: datetime) -> None:
        if self._inflight.pop(future, None) is None:
            return  # already handled by flush()
        error = future.exception()
        if error is None:
            target.saved_text = text
            target.failed = ""
            target.unsaved = None
            if target in self._elsewhere:
                self._elsewhere.remove(target)
            self.db.journal.saved(target.record, target.field, text)
            self.saved.emit(target, text, when)
        elif isinstance(error, _Stopped):
            pass
        elif isinstance(error, StaleEdit):
            target.conflicted = True
            self.conflict.emit(target, error)
        else:
            target.failed = fault_sentence(error, "Your text", self.db.location)
            if target is not self.target:
                target.unsaved = text
                if target not in self._elsewhere:
                    self._elsewhere.append(target)
            self.failed.emit(target, target.failed)
            if not isinstance(error, UserError):  # the environment's fault: it may clear
                self._retry.start()

    def _try_again(self) -> None:
        for target in list(self._elsewhere):
            if target.unsaved is not None and not target.conflicted:
                self._submit(target, target.unsaved)
        if self.target is not None and self.target.failed:
            self.save_now()

    def flush(self, timeout: float = 5.0) -> bool:
        """Save now and wait for the result (closing, quitting): True when the database holds
        everything this field showed."""
        from concurrent.futures import wait as wait_futures  # here: the first page shows before it is needed

        self.save_now()
        self._try_again_now()
        deadline = time.monotonic() + timeout
        while self._inflight and time.monotonic() < deadline:  # a settled conflict may queue one more
            futures = list(self._inflight)
            wait_futures(futures, max(0.0, deadline - time.monotonic()))
            for future in futures:
                if future.done() and future in self._inflight:
                    target, text = self._inflight[future]
                    self._on_finished(future, target, text, datetime.now())
        return not self._inflight and not self.pending and not self.problem

    def _try_again_now(self) -> None:
        for target in list(self._elsewhere):
            if target.unsaved is not None and not target.conflicted and not any(
                    t is target for t, _ in self._inflight.values()):
                self._submit(target, target.unsaved)

    def _default_conflict(self, target: SaveTarget, error: StaleEdit) -> None:
        # A record no longer shown: the sentence is shown as the failure it is, and the text stays
        # in the journal until the record is shown again.
        self.failed.emit(target, str(error))

    # --- a change elsewhere ---------------------------------------------------------------------
    def show_stored(self, text: str, version: int | None) -> None:
        """Show the text the database now holds (changed elsewhere) in place of the field's, as one
        undoable edit, keeping the cursor where it was."""
        target = self.target
        if target is None:
            return
        self.schedule.quiet = True
        try:
            replace_text(self.widget, text)
        finally:
            self.schedule.quiet = False
        self.schedule.stop()
        target.saved_text = target.written = self.text_of()
        target.expected_version = version
        target.conflicted = False
        target.failed = ""
        self.db.journal.saved(target.record, target.field, target.saved_text)

    def refresh(self, text: str, version: int | None) -> bool:
        """After a change elsewhere: show the stored text if nothing is waiting to be saved here
        (True); with unsaved typing the next save's check settles it."""
        target = self.target
        if target is None or self.pending or self._inflight:
            return False
        if (version is not None and version == target.expected_version) or text.strip() == target.saved_text.strip():
            return False  # (services trim what they store: the space typed last stays on screen)
        self.show_stored(text, version)
        self.refreshed.emit(target.key, text, "changed elsewhere")
        return True

    def _settle(self, target: SaveTarget, exc: StaleEdit) -> None:
        """The text changed elsewhere since it was read: refresh, or keep both and ask (``conflict.settle``)."""
        from .conflict import settle

        if self._settling or target is not self.target:  # another record's: its text stays in the journal
            if target is not self.target:
                self._default_conflict(target, exc)
            return
        self._settling = True
        try:
            base, mine = target.saved_text, self.text_of()
            keep = settle(self.widget.window(), exc, base, mine, target.what)
            theirs = exc.current_text if exc.current_text is not None else base
            self.show_stored(theirs, exc.current_version)
            if keep == theirs:
                self.refreshed.emit(target.key, theirs, str(exc))
                return
            # The chosen text goes in as an edit over theirs (Ctrl+Z shows theirs again), and is saved.
            replace_text(self.widget, keep)
        finally:
            self._settling = False
        self.save_now()


class UnsavedText:
    """The question asked before closing with text that is not saved (patched in tests)."""

    @classmethod
    def ask(cls, parent: QWidget | None, problem: str) -> bool:
        """True to close anyway (the text stays in the recovery journal), False to stay."""
        box = QMessageBox(QMessageBox.Icon.Warning, "Not saved yet",
                          f"{problem}\n\nClose anyway? The text is kept in the recovery file beside the database "
                          "and offered again the next time it is opened.", parent=parent)
        close = box.addButton("Close anyway", QMessageBox.ButtonRole.DestructiveRole)
        box.addButton("Keep the window open", QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(box.buttons()[-1])
        box.exec()
        return box.clickedButton() is close
