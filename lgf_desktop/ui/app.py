"""``lgf-desktop``: start the GUI on one database (``--db PATH|URL``, ``$LGF_DB`` or the default file).

Order matters for a fast, safe start: take the one-window lock; for a plain file at the schema this
version writes, read the navigator and the first page with the standard ``sqlite3`` alone
(``services/first_page``) and show the window filled, usable, before SQLAlchemy is imported; only then
does a worker import the database layer and open the file, and the window takes it over (``attach``).
Any other file (new, encrypted, older, newer, foreign, locked, damaged) is refused before any window
(with ``sqlite3`` alone) or shown empty while the worker opens (and if needed creates or migrates) it.
The start-of-day backup is written on a worker thread once the file is open.

The worker starts only once the window is usable, not with it: importing SQLAlchemy is pure Python and
holds the interpreter lock most of the time, so a worker importing it while the window is built and
painted would slow the very start it is meant to hide.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

from PySide6.QtCore import QEvent, QLocale, QObject, QTimer
from PySide6.QtWidgets import QApplication

from .. import APP_NAME
from ..errors import UserError
from ..storage.locking import DatabaseLock
from ..storage import resolve_location
from .errors import show_error

# Set by the startup benchmark: print the times the window was first shown ("shown"), was usable, its
# navigator and first page filled ("ready"), and took over the open database ("loaded"), with the
# longest the event loop was kept waiting in between ("stall"), then quit (see ``_Probe``).
PROBE_ENV = "LGF_STARTUP_PROBE"


def _parse(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="lgf-desktop", description=f"{APP_NAME}: the window.")
    parser.add_argument("--db", metavar="PATH|URL", help="database file or postgresql:// URL (default: $LGF_DB or the user data folder)")
    args, _qt_args = parser.parse_known_args(argv)
    return args


def _start_backup(window, db) -> None:
    from .tasks import run_task

    def done(result: object, error: BaseException | None) -> None:
        if error is not None:
            show_error(window, error, "Start-of-day backup")

    run_task(lambda progress: db.backup("start"), done)


def _ask_passphrase(path: Path) -> tuple[bool, str | None]:
    """(is the file new, its passphrase): an encrypted file's passphrase is asked until it opens the
    file or the person cancels (then UserError-free ``None`` with False). Refusals raise UserError."""
    from ..storage.sqlite.connections import PassphraseNeeded, WrongPassphrase
    from ..storage.sqlite.schema_check import check_openable
    from .encryption import PassphraseDialog

    try:
        return check_openable(path), None
    except PassphraseNeeded:
        pass
    problem = ""
    while True:
        passphrase = PassphraseDialog.ask(None, path, problem)
        if passphrase is None:
            raise _Cancelled()
        try:
            return check_openable(path, passphrase), passphrase
        except WrongPassphrase:
            problem = f"That passphrase does not open {path.name}. Type it again (is Caps Lock on?)."


class _Cancelled(Exception):
    """The person chose not to type the passphrase: quit without a message."""


def _open(location, passphrase: str | None, opened: list):
    from ..db import Database

    db = Database.open(location, passphrase=passphrase)
    opened.append(db)
    _ready_for_the_window(db)
    return db


def _ready_for_the_window(db) -> None:
    """On the worker, what taking the database over (``MainWindow.attach``) would otherwise do first
    on the UI thread without touching a widget: configure SQLAlchemy's mappers, import the feature
    modules, and read the navigator and the newest round's page once through the database layer, so
    that SQLAlchemy compiles those statements here (the window then reads them again, with the
    statements compiled). Each was a pause of the window just after it became usable (together about
    half a second on a loaded machine)."""
    from sqlalchemy.orm import configure_mappers

    from ..models import Round
    from ..services import listing
    from ..services.editing import get
    from ..services.review.rounds import load_round
    from . import data_watch, extensions  # noqa: F401

    configure_mappers()
    extensions.installers()
    with db.read() as session:
        rounds = listing.rounds(session)
        if rounds:
            newest = rounds[-1][0]
            listing.reviews_of_round(session, newest)
            listing.round_kind(session, newest)
            get(session, Round, newest)
            load_round(session, newest, template=True, panel=True)


class _Usable(QObject):
    """Calls ``then`` once, when the window is usable: exposed on screen and filled (``filled``),
    after the events filling queued (the first page's layout) have run. A window that is not exposed
    (started minimised, on another desktop) does not hold anything up: ``then`` runs anyway once it
    is filled and ``UNSEEN_MS`` have passed."""

    UNSEEN_MS = 1000

    def __init__(self, window, then) -> None:
        super().__init__(window)
        self.window = window
        self.then = then
        self.exposed = self.is_filled = self.done = self.waited = False
        window.windowHandle().installEventFilter(self)
        QTimer.singleShot(self.UNSEEN_MS, self._unseen)

    def _unseen(self) -> None:
        self.waited = True
        self._when_both()

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt's name)
        if not self.exposed and event.type() == QEvent.Type.Expose and self.window.windowHandle().isExposed():
            self.exposed = True
            if os.environ.get(PROBE_ENV):
                _stamp("shown")
            self._when_both()
        return False

    def filled(self) -> None:
        self.is_filled = True
        self._when_both()

    def _when_both(self) -> None:
        if (self.exposed or self.waited) and self.is_filled and not self.done:
            self.done = True
            QTimer.singleShot(0, self.then)


class _Probe(QObject):
    """For the start-up benchmark: prints "ready" when the window is usable, then, while the database
    layer loads, ticks a timer every few milliseconds to see how long the event loop is kept waiting
    (a click or a keystroke would wait as long); prints that ("stall") and "loaded" once the window
    has the open database, then quits."""

    TICK_MS = 5

    def __init__(self, app: QApplication, window) -> None:
        super().__init__(window)
        self.app = app
        self.longest = 0.0
        self.last = 0.0
        self.is_loaded = False
        self.timer = QTimer(self, interval=self.TICK_MS)
        self.timer.timeout.connect(self._tick)

    def ready(self) -> None:
        _stamp("ready")
        self.last = time.perf_counter()
        self.timer.start()
        if self.is_loaded:  # the full path: usable only once loaded
            self._finish()

    def _tick(self) -> None:
        now = time.perf_counter()
        self.longest = max(self.longest, now - self.last - self.TICK_MS / 1000)
        self.last = now

    def loaded(self) -> None:
        self.is_loaded = True
        if self.timer.isActive():
            self._finish()

    def _finish(self) -> None:
        self._tick()
        self.timer.stop()
        _stamp("loaded")
        print(f"stall {max(self.longest, 0.0):.6f} 0", flush=True)
        # After the events attaching queued (the first page read again through the database layer).
        QTimer.singleShot(0, self.app.quit)


def _set_icon(app: QApplication) -> None:
    """The app's icon on its windows, set once. On the start of a plain file it is set only once the
    window is usable: the seven sizes are decoded for the title bar (under X, as the window is
    mapped), and a window without its icon for a moment costs the user nothing, a later first page
    does."""
    if app.windowIcon().isNull():
        from .about import app_icon

        app.setWindowIcon(app_icon())


def _stamp(mark: str) -> None:
    print(f"{mark} {time.time():.6f} {time.process_time():.6f}", flush=True)


def main(argv: list[str] | None = None) -> int:
    from ..error_log import install_logging
    from ..private_files import keep_new_files_private

    keep_new_files_private()
    install_logging()
    args = _parse(sys.argv[1:] if argv is None else argv)
    app = QApplication.instance() or QApplication(sys.argv[:1])
    # Date pickers and calendars in UK English whatever the machine says (see lgf_desktop/dates.py).
    QLocale.setDefault(QLocale(QLocale.Language.English, QLocale.Country.UnitedKingdom))
    from .tasks import collect_garbage_on_the_main_thread, share_the_interpreter_with_the_ui_thread, start_up_under_way

    collect_garbage_on_the_main_thread()
    start_up_under_way()
    share_the_interpreter_with_the_ui_thread()
    app.setApplicationName(APP_NAME)
    app.setOrganizationName("LGF Desktop")
    location = resolve_location(args.db)
    # For a server's database the lock and the recovery journal are this computer's, in the user's
    # data folder (one window per database per user here; other people and computers are welcome).
    path = location.path
    lock = DatabaseLock(path)
    try:
        lock.acquire()
    except OSError as exc:
        show_error(None, UserError(f"The database folder {path.parent} cannot be used: {exc.strerror}."), APP_NAME)
        return 1
    except UserError as exc:
        show_error(None, exc, APP_NAME)
        return 1
    try:
        from ..services.first_page import read_first_page

        # A plain file at this version's schema: its first page, read with sqlite3 alone. None: the
        # full opening path decides (and refuses, creates, recovers or upgrades) as it always has.
        first = None if location.is_server else read_first_page(path)
        is_new, passphrase = False, None
        if first is None:
            _set_icon(app)  # the passphrase box, before the window, bears it too
            try:
                # Refusals before any window, without writing a byte; an encrypted file's passphrase.
                # A server is asked on the worker (it may take seconds to answer, or not answer).
                is_new, passphrase = (False, None) if location.is_server else _ask_passphrase(path)
            except _Cancelled:
                return 1
            except UserError as exc:
                show_error(None, exc, APP_NAME)
                return 1
        from .tasks import run_task

        opened: list = []  # filled by the worker, so a file opened after the window closed is closed too

        def filling(backup: bool, into=None):
            def attach(db: object, error: BaseException | None) -> None:
                # Back on the main thread with the file open: fill the window, then back up on a worker.
                target = into or window
                if error is not None:  # every failure to open is a message, never a window left "Opening…"
                    show_error(target, error, APP_NAME, path=location, doing=f"opening {location}")
                    target.hide()  # not close(): closing the last window also asks Qt to quit, which outlives this run
                    app.exit(1)
                    return
                sys.excepthook = lambda kind, exc, tb: show_error(target, exc)
                target.reopen = reopen
                target.attach(db)
                from .tasks import freeze_start_up_heap

                freeze_start_up_heap()
                if backup:
                    _start_backup(target, db)
                if into is None:
                    usable.filled()  # (already, when the first page was read plain)
                    if probe is not None:
                        probe.loaded()

            return attach

        def reopen(passphrase: str | None) -> None:
            # After "Encrypt/Decrypt this database…" closed the window and converted the file.
            fresh = MainWindow(None, path=location)
            fresh.show()
            run_task(lambda progress: _open(location, passphrase, opened), filling(backup=False, into=fresh))

        def load() -> None:
            # The database layer (SQLAlchemy and the models: most of the start-up's work) is imported
            # and the file opened (or created, or upgraded) on a worker.
            run_task(lambda progress: _open(location, passphrase, opened), filling(backup=not is_new))

        if first is None:
            load()  # at once: the window can only wait for it (see the module's docstring)
        from .main_window import MainWindow

        window = MainWindow(None, path=location, first=first)
        probe = _Probe(app, window) if os.environ.get(PROBE_ENV) else None
        window.show()

        def now_usable() -> None:
            if probe is not None:
                probe.ready()
            _set_icon(app)
            if first is not None:
                load()

        usable = _Usable(window, now_usable)
        if first is not None:
            usable.filled()
        code = app.exec()
        from .tasks import wait_for_tasks

        wait_for_tasks()
        for db in opened:
            db.close()
        return code
    finally:
        lock.release()
