"""An encrypted database in the window: the passphrase asked at open, and File → "Encrypt this
database…" / "Decrypt this database…".

A conversion needs the file closed: the window saves and closes, the conversion runs on a worker
(``encrypting.py``: checked copy, atomic replace, the original overwritten), and the app opens the
file again in a new window (``window.reopen``, set by ``ui/app.py``). A failed conversion changes
nothing and the file reopens as it was. The passphrase lives only in the open ``Database``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QApplication, QDialog, QDialogButtonBox, QFormLayout, QLabel, QLineEdit, QMessageBox, QProgressDialog,
    QVBoxLayout, QWidget,
)

from .. import APP_NAME
from ..storage.sqlite.encrypting import (
    MIN_PASSPHRASE, check_passphrase, decrypt_database, encrypt_backups, encrypt_database, remove_backups,
)
from ..errors import UserError
from .errors import show_error
from .tasks import run_task


def _password_box() -> QLineEdit:
    box = QLineEdit()
    box.setEchoMode(QLineEdit.EchoMode.Password)
    box.setMinimumWidth(320)
    return box


def _wrapped(text: str) -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    return label


class PassphraseDialog(QDialog):
    """The passphrase of an encrypted database, asked when it is opened (or to confirm decrypting)."""

    def __init__(self, parent: QWidget | None, path: Path, problem: str = "", *, purpose: str = "open") -> None:
        super().__init__(parent)
        self.setWindowTitle(f"{APP_NAME} — encrypted database" if purpose == "open" else "Decrypt this database")
        self.setMinimumWidth(520)
        layout = QVBoxLayout(self)
        if purpose == "open":
            intro = (f"<b>{path.name}</b> is encrypted. Type its passphrase to open it.<br>"
                     "LGF Desktop keeps it in memory only while the file is open; it is never saved.")
        else:
            intro = (f"Decrypting makes <b>{path.name}</b> a plain file that anyone who can read the file can read. "
                     "Type the passphrase to confirm.")
        layout.addWidget(_wrapped(intro))
        form = QFormLayout()
        self.passphrase = _password_box()
        form.addRow("&Passphrase:", self.passphrase)
        layout.addLayout(form)
        self.problem = _wrapped(problem)
        self.problem.setStyleSheet("color: #a00000;")
        self.problem.setVisible(bool(problem))
        layout.addWidget(self.problem)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("&Open" if purpose == "open" else "&Decrypt")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    @classmethod
    def ask(cls, parent: QWidget | None, path: Path, problem: str = "", *, purpose: str = "open") -> str | None:
        dialog = cls(parent, path, problem, purpose=purpose)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None
        return dialog.passphrase.text()


class EncryptDialog(QDialog):
    """A new passphrase, typed twice, with what encrypting does said before it is done."""

    def __init__(self, parent: QWidget | None, path: Path) -> None:
        super().__init__(parent)
        self.setWindowTitle("Encrypt this database")
        self.setMinimumWidth(560)
        layout = QVBoxLayout(self)
        layout.addWidget(_wrapped(
            f"<b>{path.name}</b> will be encrypted with SQLCipher: without the passphrase its file, and the "
            "backups made from now on, cannot be read.<ul>"
            "<li>The window closes, an encrypted copy is made and checked, and only then replaces the file. "
            "The plain file is overwritten and removed.</li>"
            "<li>Backups made before stay plain: you will be asked whether to encrypt or remove them.</li>"
            "<li>The passphrase is asked each time the file is opened and is never saved. <b>If it is lost, "
            "nobody can recover the data.</b></li></ul>"))
        form = QFormLayout()
        self.passphrase = _password_box()
        self.repeated = _password_box()
        form.addRow("New &passphrase:", self.passphrase)
        form.addRow("&Type it again:", self.repeated)
        layout.addLayout(form)
        layout.addWidget(_wrapped(f"At least {MIN_PASSPHRASE} characters; a few unrelated words are easy to type "
                                  "and hard to guess."))
        self.problem = _wrapped("")
        self.problem.setStyleSheet("color: #a00000;")
        self.problem.hide()
        layout.addWidget(self.problem)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("&Encrypt")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def accept(self) -> None:
        try:
            check_passphrase(self.passphrase.text(), self.repeated.text())
        except UserError as exc:
            self.problem.setText(str(exc))
            self.problem.show()
            return
        super().accept()

    @classmethod
    def ask(cls, parent: QWidget | None, path: Path) -> str | None:
        dialog = cls(parent, path)
        return dialog.passphrase.text() if dialog.exec() == QDialog.DialogCode.Accepted else None


def ask_about_plain_backups(parent: QWidget | None, count: int, folder: Path) -> str:
    """"encrypt", "remove" or "leave" for the backups that are still plain."""
    box = QMessageBox(QMessageBox.Icon.Question, "Earlier backups are plain",
                      f"{count} backup(s) made before encrypting, in {folder}, are plain: anyone who can read "
                      "them can read the cases in them.", parent=parent)
    encrypt = box.addButton("&Encrypt them", QMessageBox.ButtonRole.AcceptRole)
    remove = box.addButton("&Remove them", QMessageBox.ButtonRole.DestructiveRole)
    box.addButton("&Leave them", QMessageBox.ButtonRole.RejectRole)
    box.exec()
    return "encrypt" if box.clickedButton() is encrypt else "remove" if box.clickedButton() is remove else "leave"


def tell(parent: QWidget | None, text: str) -> None:
    """What a conversion did (one box; tests replace it)."""
    QMessageBox.information(parent, APP_NAME, text)


def convert(window: Any, encrypt: bool) -> None:
    """Encrypt (or decrypt) the window's database: ask, close the window, convert, reopen."""
    db = window.db
    path = Path(db.path)
    if window.reopen is None:  # a window not started by the app cannot be started again
        show_error(window, UserError("Converting needs LGF Desktop started on this file; use `lgf encrypt` instead."))
        return
    old = db.passphrase
    new = EncryptDialog.ask(window, path) if encrypt else None
    if encrypt and new is None:
        return
    if not encrypt:
        typed = PassphraseDialog.ask(window, path, purpose="decrypt")
        if typed is None:
            return
        if typed != old:  # told before the window closes, not after a conversion that cannot start
            show_error(window, UserError(f"That is not the passphrase of {path.name}; nothing was changed."),
                       "Decrypt this database")
            return
    app = QApplication.instance()
    app.setQuitOnLastWindowClosed(False)  # the window closes while the file is converted
    if not window.close():
        app.setQuitOnLastWindowClosed(True)
        return
    db.close()
    busy = QProgressDialog("Encrypting the database…" if encrypt else "Decrypting the database…", "", 0, 0)
    busy.setCancelButton(None)
    busy.setWindowModality(Qt.WindowModality.ApplicationModal)
    busy.setMinimumDuration(0)
    busy.show()

    def work(progress):
        # The app holds the one-window lock on this file: the conversion runs under it.
        return encrypt_database(path, new, lock=False) if encrypt else decrypt_database(path, old, lock=False)

    def reopen(passphrase: str | None) -> None:
        window.reopen(passphrase)
        app.setQuitOnLastWindowClosed(True)

    def done(result, error: BaseException | None) -> None:
        busy.close()
        if error is not None:
            show_error(None, error, "Encrypt this database" if encrypt else "Decrypt this database")
            reopen(db.passphrase)  # nothing was changed: open it as it was
            return
        tell(None, result.sentence())
        choice = "leave"
        if result.plain_backups:
            choice = ask_about_plain_backups(None, len(result.plain_backups), result.plain_backups[0].parent)
        if choice == "leave":
            reopen(new)
            return
        busy.setLabelText("Encrypting the earlier backups…" if choice == "encrypt" else "Removing the plain backups…")
        busy.show()

        def backups_done(count, error: BaseException | None) -> None:
            busy.close()
            if error is not None:
                show_error(None, error, "Earlier backups")
            else:
                tell(None, f"Encrypted {count} backup(s)." if choice == "encrypt" else f"Removed {count} plain backup(s).")
            reopen(new)

        # Each backup is converted the checked way: seconds, so on the worker too.
        run_task(lambda progress: encrypt_backups(path, new, result.plain_backups) if choice == "encrypt"
                 else remove_backups(result.plain_backups), backups_done)

    run_task(work, done)


def install(window: Any) -> None:
    """File → Encrypt this database… or Decrypt this database… (whichever applies; a file only: a
    server protects its own database)."""
    if window.db.is_server:
        return
    file_menu = window.menu("&File")
    encrypted = window.db.encrypted
    action = file_menu.addAction("&Decrypt this database…" if encrypted else "E&ncrypt this database…")
    # Beside "My key…", above the separator before Quit.
    actions = file_menu.actions()
    before = actions[actions.index(window.quit_action) - 1] if window.quit_action in actions else None
    file_menu.insertAction(before, action)
    action.triggered.connect(lambda: convert(window, not encrypted))
    window.encryption_action = action
