"""The main window: the navigator on the left, the page for its selection on the right, the menus,
Edit → Undo delete, and the extension API that feature modules plug into (see ``extensions.py``).

Pages are built on first show and their modules imported only then, so the window appears fast.
At start-up on a plain file the window fills its navigator and first page from a plain read
(``show_first``) before the database layer is even imported, and holds every edit until ``attach``.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QByteArray, QTimer, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import QMainWindow, QMenu, QSplitter, QStackedWidget, QWidget

from .. import APP_NAME
from . import extensions
from .deleting import UndoableDeletes
from .errors import show_error
from .navigator import Navigator
from .settings import settings

if TYPE_CHECKING:
    from ..db import Database
    from ..services.first_page import FirstPage


def mnemonic(title: str) -> str:
    """The Alt letter of a menu title ("&Edit" → "e"), or ''."""
    at = title.replace("&&", "").find("&")
    return title.replace("&&", "")[at + 1].lower() if 0 <= at < len(title.replace("&&", "")) - 1 else ""


def unique_mnemonic(title: str, taken: set[str]) -> str:
    """``title`` with an Alt letter no other menu has ("&Export" beside "&Edit" → "E&xport"): two
    menus on one letter make Alt+E open only the first."""
    plain = title.replace("&", "")
    if mnemonic(title) and mnemonic(title) not in taken:
        return title
    for i, char in enumerate(plain):
        if char.isalnum() and char.lower() not in taken:
            return plain[:i] + "&" + plain[i:]
    return title


def round_page_key(kind: str | None) -> str:
    """The page that shows a round of ``kind``: year one (self-assessment) has its own, the returns
    and their collation."""
    return "self-assessment" if kind == "self-assessment" else "round"


class MainWindow(QMainWindow):
    """The one window of the app over one open database."""

    # A table name (or "*") after anyone has committed changes to it; every view refreshes itself.
    data_changed = Signal(str)
    # Set by the app: opens this file again in a new window (after "Encrypt this database…").
    reopen: Callable[[str | None], None] | None = None

    def __init__(self, db: Database | None, parent: QWidget | None = None, *, path=None,
                 first: FirstPage | None = None) -> None:
        """The window over ``db``; with ``db=None`` it shows at once and ``attach(db)`` fills it
        (the app does that, so the window appears before the database layer is even imported),
        showing ``first`` (the file's first page, read plain) meanwhile."""
        super().__init__(parent)
        self.db = db  # type: ignore[assignment]
        # ``path``: a file path or a ``storage.Location`` (a server's database is named by its name and host).
        self.setWindowTitle(f"{APP_NAME} — {(db.location if db else path or Path('')).name}")
        self._menus: dict[str, QMenu] = {}
        self._pages: dict[str, QWidget] = {}
        self._section_factories: dict[str, Callable[[], QWidget]] = {}
        self.review_actions: list[QAction] = []
        self.deletes = UndoableDeletes(db, "Edit → Undo delete", self)
        self.deletes.changed.connect(self._update_undo_action)

        self.navigator = Navigator(self)
        self.stack = QStackedWidget()
        self.splitter = QSplitter()  # horizontal (the default; no Qt enum touched before first paint)
        self.splitter.addWidget(self.navigator)
        self.splitter.addWidget(self.stack)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([230, 1136])
        self.setCentralWidget(self.splitter)
        self._build_menus()
        self.navigator.selection_changed.connect(self._show_selection)
        self.data_changed.connect(self.navigator.refresh)
        self.resize(1280, 720)
        self._restore_layout()
        self._release_edits: Callable[[], None] | None = None
        if db is not None:
            self.attach(db)
        else:
            self.statusBar().showMessage(f"Opening {path}…")
            if first is not None:
                self.show_first(first)
                # Said, because a click or a keystroke on the first page does nothing until then.
                self.statusBar().showMessage(f"Opening {path}… It can be read now, and changed in a moment.")

    def show_first(self, first: FirstPage) -> None:
        """Fill the navigator and the first page from the plain read, before the database layer is
        loaded. Everything shown can be read; every edit is held (text boxes read-only, buttons off)
        and another selection waits, until ``attach`` opens the file."""
        from .forms.common import hold_edits

        self.navigator.show_first(first)
        newest = first.newest
        if newest is not None and round_page_key(newest.kind) == "round":
            page = self.page("round")
            page.show_first(newest)
            self.stack.setCurrentWidget(page)
        self._release_edits = hold_edits(self.stack)

    def attach(self, db: Database) -> None:
        """Fill the window from the open database and let the feature modules plug in."""
        self.db = db
        self.deletes.db = db
        self.setWindowTitle(f"{APP_NAME} — {db.location.name}")
        self.prefs_action.setEnabled(True)
        self.partnership_action.setEnabled(True)
        self.key_action.setEnabled(True)
        # Shortcuts are set here, after the first paint: setting one builds Qt's key enums (~100 ms).
        self.quit_action.setShortcut(QKeySequence.StandardKey.Quit)
        self.undo_action.setShortcut(QKeySequence("Ctrl+Z"))
        self.statusBar().clearMessage()
        if self._release_edits is not None:  # the first page's edits, held until now
            self._release_edits()
            self._release_edits = None
        extensions.install_all(self)
        self.navigator.start()
        from .data_watch import DataWatcher

        # Changes committed by another program (the CLI, an import elsewhere) refresh every view.
        self.watcher = DataWatcher(db, self)
        self.watcher.changed_elsewhere.connect(lambda: self.data_changed.emit("*"))
        journal = db.journal
        if journal.entries() or journal.open_window("workshop") or journal.open_window("audit"):  # ended badly
            from .recovery import recover_after_crash

            QTimer.singleShot(0, lambda: recover_after_crash(self))

    # ----- extension API -------------------------------------------------------------------------
    def menu(self, title: str) -> QMenu:
        """The top-level menu ``title`` (e.g. "&Export"), created on first use before Help."""
        if title not in self._menus:
            taken = {mnemonic(m.title()) for m in self._menus.values()}
            menu = QMenu(unique_mnemonic(title, taken), self)
            help_menu = self._menus.get("&Help")
            if help_menu is not None:
                self.menuBar().insertMenu(help_menu.menuAction(), menu)
            else:
                self.menuBar().addMenu(menu)
            self._menus[title] = menu
        return self._menus[title]

    def add_section(self, key: str, title: str, factory: Callable[[], QWidget]) -> None:
        """A top-level navigator entry showing ``factory()`` (built once, on first show)."""
        self._section_factories[key] = factory
        self.navigator.add_section(key, title)

    def add_review_action(self, text: str, shortcut: str | None, callback: Callable[[int], None]) -> QAction:
        """An action on the selected review: in the Review menu and as a button on the review page."""
        action = QAction(text, self)
        if shortcut:
            action.setShortcut(QKeySequence(shortcut))
        action.setEnabled(self.current_review_id() is not None)

        def trigger() -> None:
            review_id = self.current_review_id()
            if review_id is None:
                return
            try:
                callback(review_id)
            except Exception as exc:  # noqa: BLE001 — every failure reaches the person as a sentence
                show_error(self, exc)

        action.triggered.connect(trigger)
        self.menu("&Review").addAction(action)
        self.review_actions.append(action)
        page = self._pages.get("review")
        if page is not None:
            page.add_action_button(action)
        return action

    def current_round_id(self) -> int | None:
        return self.navigator.current_round_id()

    def current_review_id(self) -> int | None:
        return self.navigator.current_review_id()

    # ----- pages --------------------------------------------------------------------------------
    def page(self, key: str) -> QWidget:
        """The page for a navigator key, built on first use."""
        if key not in self._pages:
            widget = self._build_page(key)
            self._pages[key] = widget
            self.stack.addWidget(widget)
        return self._pages[key]

    def _build_page(self, key: str) -> QWidget:
        if key in self._section_factories:
            return self._section_factories[key]()
        if key == "welcome":
            from .forms.welcome import WelcomePage

            return WelcomePage(self)
        if key == "rounds":
            from .forms.rounds_page import RoundsPage

            return RoundsPage(self)
        if key == "partnership":
            from .forms.region_page import RegionPage

            return RegionPage(self)
        if key == "round":
            from .forms.round_page import RoundPage

            return RoundPage(self)
        if key == "self-assessment":
            from .self_assessment.page import SelfAssessmentPage

            return SelfAssessmentPage(self)
        if key == "review":
            from .forms.review_page import ReviewPage

            page = ReviewPage(self)
            for action in self.review_actions:
                page.add_action_button(action)
            return page
        if key == "organisations":
            from .forms.directory import OrganisationsPage

            return OrganisationsPage(self)
        if key == "people":
            from .forms.directory import PeoplePage

            return PeoplePage(self)
        raise KeyError(key)

    def _show_selection(self, kind: str, record_id: int | None) -> None:
        for action in self.review_actions:
            action.setEnabled(kind == "review")
        try:
            if kind == "round" and record_id is not None:
                from ..services.listing import round_kind

                with self.db.session() as session:
                    kind = round_page_key(round_kind(session, record_id))
            page = self.page(kind)
            if record_id is not None and hasattr(page, "load"):
                page.load(record_id)
        except Exception as exc:  # noqa: BLE001
            show_error(self, exc)
            return
        self.stack.setCurrentWidget(page)

    def show_welcome(self) -> None:
        self.stack.setCurrentWidget(self.page("welcome"))

    # ----- deleting with undo -------------------------------------------------------------------
    def delete_with_undo(self, model: type, record_id: int, what: str) -> bool:
        """Ask, then delete a record and everything that hangs from it; Edit → Undo delete brings it back."""
        if not self.deletes.delete(self, model, record_id, what):
            return False
        self.data_changed.emit("*")
        self.statusBar().showMessage(f"Deleted {what}. Edit → Undo delete brings it back.", 8000)
        return True

    def undo_delete(self) -> None:
        snapshot = self.deletes.undo(self)
        if snapshot is not None:
            self.data_changed.emit("*")
            self.statusBar().showMessage(f"Brought back {snapshot.label}.", 8000)

    @property
    def undo_stack(self) -> list[Any]:
        """Deleted records waiting to be undone (``undo_delete.Snapshot``), newest last."""
        return self.deletes.stack

    def _update_undo_action(self) -> None:
        last = self.undo_stack[-1].label if self.undo_stack else ""
        self.undo_action.setEnabled(bool(self.undo_stack))
        self.undo_action.setText(f"&Undo delete {last}".strip() if last else "&Undo delete")

    # ----- menus, preferences, history, about ---------------------------------------------------
    def _build_menus(self) -> None:
        file_menu = self.menu("&File")
        self.partnership_action = file_menu.addAction("P&artnership…")
        self.partnership_action.setEnabled(False)
        self.partnership_action.triggered.connect(self.edit_partnership)
        self.prefs_action = file_menu.addAction("&Preferences…")
        self.prefs_action.setEnabled(False)
        self.prefs_action.triggered.connect(self.edit_preferences)
        self.key_action = file_menu.addAction("My &key…")
        self.key_action.setEnabled(False)
        self.key_action.triggered.connect(self.show_my_key)
        file_menu.addSeparator()
        self.quit_action = file_menu.addAction("&Quit")
        self.quit_action.triggered.connect(self.close)
        edit_menu = self.menu("&Edit")
        # A window-wide Ctrl+Z: text fields keep their own Ctrl+Z (they claim it first).
        self.undo_action = edit_menu.addAction("&Undo delete")
        self.undo_action.setEnabled(False)
        self.undo_action.triggered.connect(self.undo_delete)
        self.menu("&Review")
        help_menu = self.menu("&Help")
        about = help_menu.addAction("&About LGF Desktop")
        about.triggered.connect(self.about)

    def edit_preferences(self) -> None:
        from .forms.dialogs import PreferencesDialog

        PreferencesDialog(self).exec()

    def show_my_key(self) -> None:
        from .my_key import MyKeyDialog

        MyKeyDialog(self).exec()

    def edit_partnership(self) -> None:
        from .forms.partnership import PartnershipDialog

        PartnershipDialog(self).exec()

    def show_history(self, model: type, record_id: int) -> None:
        from .forms.dialogs import HistoryDialog

        HistoryDialog(self, model, record_id).exec()

    def about(self) -> None:
        from .about import about_box

        about_box(self, self.db.location if self.db else None).exec()

    # ----- layout -------------------------------------------------------------------------------
    def _restore_layout(self) -> None:
        store = settings()
        geometry = store.value("window/geometry")
        if isinstance(geometry, QByteArray):
            self.restoreGeometry(geometry)
        state = store.value("window/state")
        if isinstance(state, QByteArray):
            self.restoreState(state)
        splitter = store.value("window/splitter")
        if isinstance(splitter, QByteArray):
            self.splitter.restoreState(splitter)

    def save_layout(self) -> None:
        store = settings()
        store.setValue("window/geometry", self.saveGeometry())
        store.setValue("window/state", self.saveState())
        store.setValue("window/splitter", self.splitter.saveState())
        store.sync()

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 (Qt's name)
        from .autosave import UnsavedText

        # Workshop windows first: each saves, and asks if its last words cannot be saved.
        for child in self.findChildren(QMainWindow):
            if child is not self and child.isVisible() and not child.close():
                event.ignore()
                return
        problems = []
        for page in list(self._pages.values()):
            flush = getattr(page, "flush", None)
            # A pending edit reaches the database before the window goes; False: it could not.
            if flush is not None and flush() is False:
                problems.append(getattr(page, "problem", "") or "A text is not saved yet.")
        if problems and not UnsavedText.ask(self, problems[0]):
            event.ignore()
            return
        self.save_layout()
        watcher = getattr(self, "watcher", None)
        if watcher is not None:
            watcher.stop()
        super().closeEvent(event)
