"""``lgf-desktop``: start the GUI on one database file (``--db PATH``, ``$LGF_DB`` or the default).

Order matters for a fast, safe start: take the one-window lock, open (and if needed migrate) the
database, show the window, and only then write the start-of-day backup on a worker thread.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

from PySide6.QtCore import QLocale, QTimer
from PySide6.QtWidgets import QApplication

from .. import APP_NAME
from ..errors import UserError
from ..locking import DatabaseLock
from ..paths import resolve_db_path
from .errors import show_error

# Set by the startup benchmark: print the times the window was first shown ("shown") and was usable,
# its navigator and first page filled ("ready"), then quit.
PROBE_ENV = "LGF_STARTUP_PROBE"


def _parse(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="lgf-desktop", description=f"{APP_NAME}: the window.")
    parser.add_argument("--db", metavar="PATH", help="database file (default: $LGF_DB or the user data folder)")
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
    from ..connections import PassphraseNeeded, WrongPassphrase
    from ..schema_check import check_openable
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
    path = resolve_db_path(args.db)
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
            is_new, passphrase = _ask_passphrase(path)
        except _Cancelled:
            return 1
        except UserError as exc:
            show_error(None, exc, APP_NAME)
            return 1
        from .main_window import MainWindow

        window = MainWindow(None, path=path)
        window.show()
        probe = bool(os.environ.get(PROBE_ENV))
        opened: list = []

        def finish_opening(window=window, passphrase=passphrase, backup=not is_new) -> None:
            # After the window is on screen: import the database layer, open (and if needed
            # upgrade) the file, fill the window, then back up on a worker thread.
            from ..db import Database

            try:
                db = Database.open(path, passphrase=passphrase)
            except Exception as exc:  # every failure to open is a message, never a window left "Opening…"
                show_error(window, exc, APP_NAME, path=path, doing=f"opening {path}")
                window.hide()  # not close(): closing the last window also asks Qt to quit, which outlives this run
                app.exit(1)
                return
            opened.append(db)
            sys.excepthook = lambda kind, exc, tb: show_error(window, exc)
            window.reopen = reopen
            window.attach(db)
            from .tasks import freeze_start_up_heap

            freeze_start_up_heap()
            if backup:
                _start_backup(window, db)
            if probe:  # the navigator and the first page are filled: the window is usable
                QTimer.singleShot(0, lambda: (print(f"ready {time.time():.6f}", flush=True), app.quit()))

        def reopen(passphrase: str | None) -> None:
            # After "Encrypt/Decrypt this database…" closed the window and converted the file.
            fresh = MainWindow(None, path=path)
            fresh.show()
            finish_opening(fresh, passphrase, backup=False)

        def shown() -> None:
            if probe:
                print(f"shown {time.time():.6f}", flush=True)
            QTimer.singleShot(0, finish_opening)

        QTimer.singleShot(0, shown)
        code = app.exec()
        from .tasks import wait_for_tasks

        wait_for_tasks()
        for db in opened:
            db.close()
        return code
    finally:
        lock.release()
