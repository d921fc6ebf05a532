"""``lgf-desktop``: start the GUI on one database file (``--db PATH``, ``$LGF_DB`` or the default).

Order matters for a fast, safe start: take the one-window lock and refuse a foreign file before any
window; then open (and if needed migrate) the database on a worker while the window is built and
shown; fill the window; and only then write the start-of-day backup on a worker thread.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from .. import APP_NAME
from ..errors import UserError
from ..locking import DatabaseLock
from ..paths import resolve_db_path
from .errors import show_error

if TYPE_CHECKING:
    from ..db import Database

# Set by the startup benchmark: print the times the window was first shown ("shown") and was usable,
# its navigator and first page filled ("ready"), then quit.
PROBE_ENV = "LGF_STARTUP_PROBE"


def _parse(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="lgf-desktop", description=f"{APP_NAME}: the window.")
    parser.add_argument("--db", metavar="PATH", help="database file (default: $LGF_DB or the user data folder)")
    args, _qt_args = parser.parse_known_args(argv)
    return args


def _open_database(path: Path) -> Database:
    """On a worker: import the database layer and the modules the first page needs, then open (and if
    needed upgrade) the file. Only imports and the file: no widget is touched here."""
    from ..db import Database
    from . import extensions
    from .forms import round_page, welcome  # noqa: F401  (the first page the navigator shows)

    extensions.installers()  # imports the feature modules the window installs once the file is open
    return Database.open(path)


def _start_backup(window, path: Path) -> None:
    from ..backups import backup_database
    from .tasks import run_task

    def done(result: object, error: BaseException | None) -> None:
        if error is not None:
            show_error(window, error, "Start-of-day backup")

    run_task(lambda progress: backup_database(path, "start"), done)


def main(argv: list[str] | None = None) -> int:
    args = _parse(sys.argv[1:] if argv is None else argv)
    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName(APP_NAME)
    app.setOrganizationName("LGF Desktop")
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
        from ..schema_check import check_openable

        try:
            is_new = check_openable(path)  # refusals before any window, without writing a byte
        except UserError as exc:
            show_error(None, exc, APP_NAME)
            return 1
        from .tasks import run_task, wait_for_tasks

        probe = bool(os.environ.get(PROBE_ENV))
        opened: list = []
        window: MainWindow | None = None

        def database_opened(db: Database | None, error: BaseException | None) -> None:
            assert window is not None  # the worker reports back only once the event loop runs
            if error is not None:
                show_error(window, error, APP_NAME, path=path)  # every failure to open is a message
                window.close()
                app.exit(1)
                return
            assert db is not None
            opened.append(db)
            sys.excepthook = lambda kind, exc, tb: show_error(window, exc)
            window.attach(db)
            if not is_new:
                _start_backup(window, path)
            if probe:  # the navigator and the first page are filled: the window is usable
                QTimer.singleShot(0, lambda: (print(f"ready {time.time():.6f}", flush=True), app.quit()))

        # Most of a start is loading the database layer and opening the file: that runs on a worker
        # from here on, while the window is built and painted; the window fills when both are done.
        run_task(lambda progress: _open_database(path), database_opened)
        from .main_window import MainWindow

        window = MainWindow(None, path=path)
        window.show()

        def shown() -> None:
            if probe:
                print(f"shown {time.time():.6f}", flush=True)

        QTimer.singleShot(0, shown)
        code = app.exec()
        wait_for_tasks()
        for db in opened:
            db.close()
        return code
    finally:
        lock.release()
