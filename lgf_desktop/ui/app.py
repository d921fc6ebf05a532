"""``lgf-desktop``: start the GUI on one database (``--db PATH|URL``, ``$LGF_DB`` or the default file).

Order matters for a fast, safe start: take the one-window lock, refuse a file this version cannot
open (with the standard ``sqlite3`` alone, before any window), then show the window while a worker
imports the database layer and opens (and if needed migrates) the file; fill the window, and only
then write the start-of-day backup on a worker thread.
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

# Set by the startup benchmark: print the times the window was first shown ("shown") and was usable,
# its navigator and first page filled ("ready"), then quit (see ``_Probe``).
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
    return db


class _Probe(QObject):
    """For the start-up benchmark: prints "shown" (wall-clock and CPU seconds) when the window is
    first exposed and "ready" once it is also filled, then quits."""

    def __init__(self, app: QApplication, window) -> None:
        super().__init__(window)
        self.app = app
        self.window = window
        self.exposed = self.is_filled = False

    def watch(self) -> None:
        self.window.windowHandle().installEventFilter(self)

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt's name)
        if not self.exposed and event.type() == QEvent.Type.Expose and self.window.windowHandle().isExposed():
            self.exposed = True
            _stamp("shown")
            self._ready_when_both()
        return False

    def filled(self) -> None:
        self.is_filled = True
        self._ready_when_both()

    def _ready_when_both(self) -> None:
        if self.exposed and self.is_filled:
            # After the events queued by filling (the first page's layout) have run.
            QTimer.singleShot(0, lambda: (_stamp("ready"), self.app.quit()))


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
    from .tasks import collect_garbage_on_the_main_thread, share_the_interpreter_with_the_ui_thread

    collect_garbage_on_the_main_thread()
    share_the_interpreter_with_the_ui_thread()
    app.setApplicationName(APP_NAME)
    app.setOrganizationName("LGF Desktop")
    from .about import app_icon

    app.setWindowIcon(app_icon())
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
                if probe is not None:
                    probe.filled()

            return attach

        def reopen(passphrase: str | None) -> None:
            # After "Encrypt/Decrypt this database…" closed the window and converted the file.
            fresh = MainWindow(None, path=location)
            fresh.show()
            run_task(lambda progress: _open(location, passphrase, opened), filling(backup=False, into=fresh))

        # The database layer (SQLAlchemy and the models: most of the start-up's work) is imported and
        # the file opened (or upgraded) on a worker while the window is built and painted.
        run_task(lambda progress: _open(location, passphrase, opened), filling(backup=not is_new))
        from .main_window import MainWindow

        window = MainWindow(None, path=location)
        probe = _Probe(app, window) if os.environ.get(PROBE_ENV) else None
        window.show()
        if probe is not None:
            probe.watch()
        code = app.exec()
        from .tasks import wait_for_tasks

        wait_for_tasks()
        for db in opened:
            db.close()
        return code
    finally:
        lock.release()
