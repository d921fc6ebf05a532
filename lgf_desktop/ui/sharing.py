"""File → "Copy to a shared database…" (a file's contents into an empty database on a PostgreSQL server,
for a partnership team) and, on a server's database, "Take a snapshot to a file…" (to work offline or
to keep a copy: backups of a server's database are the server's job).

Both run ``copying.copy_database`` on a worker (it checks every table's count) and say what was done in
one box; a refusal (the target holds records, the server cannot be reached) is one sentence.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtWidgets import QFileDialog, QInputDialog, QLineEdit, QMessageBox, QWidget

from .. import APP_NAME
from ..paths import documents_folder
from .errors import show_error
from .tasks import run_task

EXAMPLE_URL = "postgresql://you@server.council.example/lgf_team"


def ask_server_url(parent: QWidget | None) -> str | None:
    """The URL of the empty shared database (tests replace this one function)."""
    url, ok = QInputDialog.getText(
        parent, "Copy to a shared database",
        "The address of an empty PostgreSQL database (ask whoever runs the server), e.g.\n"
        f"{EXAMPLE_URL}\nThe password can be given here, in $PGPASSWORD or in ~/.pgpass.",
        QLineEdit.EchoMode.Normal, "postgresql://")
    return url.strip() if ok and url.strip() not in ("", "postgresql://") else None


def ask_snapshot_path(parent: QWidget | None, suggested: Path) -> Path | None:
    """Where the snapshot file goes (tests replace this one function)."""
    path, _ = QFileDialog.getSaveFileName(parent, "Take a snapshot to a file", str(suggested),
                                          "LGF Desktop database (*.sqlite3)")
    return Path(path) if path else None


def tell(parent: QWidget | None, text: str) -> None:
    """What was copied (one box; tests replace it)."""
    QMessageBox.information(parent, APP_NAME, text)


def _copy(window: Any, target, title: str, after: str) -> None:
    from ..copying import copy_database

    db = window.db
    action = window.sharing_action
    action.setEnabled(False)
    window.statusBar().showMessage(f"{title}…")

    def done(copied, error: BaseException | None) -> None:
        action.setEnabled(True)
        window.statusBar().clearMessage()
        if error is not None:
            show_error(window, error, title)
            return
        tell(window, f"{copied.sentence()} {after}")

    run_task(lambda progress: copy_database(db, target), done)


def copy_to_server(window: Any) -> None:
    url = ask_server_url(window)
    if url is None:
        return
    from ..storage import Location, is_server_url

    if not is_server_url(url):
        from ..errors import UserError

        show_error(window, UserError(f"That is not a PostgreSQL address (it starts with postgresql://, e.g. "
                                     f"{EXAMPLE_URL}); nothing was copied."), "Copy to a shared database")
        return
    shown = Location.parse(url).display
    _copy(window, url, "Copy to a shared database",
          f"Your team opens it with: lgf-desktop --db {shown} (this file stays as it was).")


def take_snapshot(window: Any) -> None:
    suggested = documents_folder() / f"{window.db.location.name.split(' on ')[0]}-snapshot.sqlite3"
    path = ask_snapshot_path(window, suggested)
    if path is None:
        return
    _copy(window, path, "Take a snapshot to a file", f"Open it offline with: lgf-desktop --db {path}")


def install(window: Any) -> None:
    """File → Copy to a shared database… (a file) or Take a snapshot to a file… (a server's database)."""
    file_menu = window.menu("&File")
    server = window.db.is_server
    action = file_menu.addAction("Take a &snapshot to a file…" if server else "Copy to a s&hared database…")
    actions = file_menu.actions()
    before = actions[actions.index(window.quit_action) - 1] if window.quit_action in actions else None
    file_menu.insertAction(before, action)
    action.triggered.connect(lambda: take_snapshot(window) if server else copy_to_server(window))
    window.sharing_action = action
