"""File → My key…: your key pair (made here on first need), its fingerprint to read out over the
phone, exporting your public key and importing someone else's; and the two small questions an
exchange file asks — your key's passphrase (once a sitting) and how to seal what you send.

Unlocking and making a key take a deliberate fraction of a second (scrypt), so both run through
``run_task``; nothing here touches the database except recording an imported public key.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QDialog, QDialogButtonBox, QFileDialog, QFormLayout, QInputDialog, QLabel, QLineEdit, QMessageBox, QPushButton,
    QVBoxLayout, QWidget,
)
from sqlalchemy import select

from .. import keys
from ..errors import UserError
from ..models import Person
from .errors import show_error
from .tasks import run_task

KEY_FILTER = "LGF public keys (*.lgfkey);;All files (*)"


class MyKeyDialog(QDialog):
    """Your key: make it, see its fingerprint, export it; import someone else's."""

    def __init__(self, window: Any) -> None:
        super().__init__(window)
        self.window_ = window
        self.setWindowTitle("My key")
        self.setMinimumWidth(620)
        self.layout_ = QVBoxLayout(self)
        self.body: QWidget | None = None
        self.show_state()

    def show_state(self) -> None:
        if self.body is not None:  # out of the layout now; deleted when Qt is next idle
            self.layout_.removeWidget(self.body)
            self.body.hide()
            self.body.deleteLater()
        self.body = QWidget()
        self.layout_.insertWidget(0, self.body)
        public = keys.my_public_key()
        if public is None:
            self._creating(self.body)
        else:
            self._showing(self.body, public)

    # --- no key yet ----------------------------------------------------------------------------
    def _creating(self, body: QWidget) -> None:
        form = QFormLayout(body)
        intro = QLabel("You have no key yet. Your key lets people send you exchange files only you can open, "
                       "and proves the files you send are yours. Choose a passphrase to protect it; it is "
                       "never stored, and cannot be recovered if forgotten.")
        intro.setWordWrap(True)
        form.addRow(intro)
        self.name = QLineEdit(getattr(getattr(self.window_, "db", None), "user", ""))
        self.passphrase = QLineEdit()
        self.again = QLineEdit()
        for field in (self.passphrase, self.again):
            field.setEchoMode(QLineEdit.EchoMode.Password)
        form.addRow("Your &name", self.name)
        form.addRow("&Passphrase", self.passphrase)
        form.addRow("&Again", self.again)
        self.create_button = QPushButton("&Make my key")
        self.create_button.clicked.connect(self.create)
        form.addRow(self.create_button)

    def create(self) -> None:
        if self.passphrase.text() != self.again.text():
            show_error(self, UserError("The two passphrases differ; type the same one twice."))
            return
        name, passphrase = self.name.text(), self.passphrase.text()
        self.create_button.setEnabled(False)

        def done(result: Any, error: BaseException | None) -> None:
            self.create_button.setEnabled(True)
            if error is not None:
                show_error(self, error)
                return
            keys.use_for_this_sitting(result)
            self.show_state()

        run_task(lambda progress: keys.create_my_key(name, passphrase), done)

    # --- a key ---------------------------------------------------------------------------------
    def _showing(self, body: QWidget, public: keys.PublicKey) -> None:
        form = QFormLayout(body)
        self.fingerprint = QLabel(public.fingerprint)
        font = QFont("monospace")
        font.setPointSize(font.pointSize() + 3)
        self.fingerprint.setFont(font)
        form.addRow("Name", QLabel(public.name or "—"))
        form.addRow("Fingerprint", self.fingerprint)
        hint = QLabel("Read it out over the phone: their copy of your key must show the same.")
        hint.setStyleSheet("color: #555;")
        form.addRow("", hint)
        line = QLineEdit(public.text())
        line.setReadOnly(True)
        form.addRow("Public key", line)
        export = QPushButton("&Export my public key…")
        export.clicked.connect(lambda: self.export_public())
        imp = QPushButton("&Import someone's key…")
        imp.clicked.connect(lambda: self.import_key())
        form.addRow(export)
        form.addRow(imp)
        if self.layout_.count() == 1:
            close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
            close.rejected.connect(self.reject)
            self.layout_.addWidget(close)

    def export_public(self, path: str | None = None) -> Path | None:
        public = keys.my_public_key()
        path = path or QFileDialog.getSaveFileName(self, "Export my public key",
                                                   str(Path.home() / f"{public.name or 'my'} key.lgfkey"), KEY_FILTER)[0]
        if not path:
            return None
        from ..atomic import atomic_write

        try:
            return atomic_write(path, lambda temp: temp.write_text(public.text() + "\n", encoding="utf-8"))
        except UserError as exc:
            show_error(self, exc)
            return None

    def import_key(self, path: str | None = None, person_name: str | None = None,
                   confirm: Callable[[str], bool] | None = None) -> bool:
        """Record a public key for a person in this database, after they confirm its fingerprint."""
        from ..exchange.senders import set_person_key

        db = self.window_.db
        path = path or QFileDialog.getOpenFileName(self, "Import someone's public key", str(Path.home()), KEY_FILTER)[0]
        if not path:
            return False
        try:
            public = keys.PublicKey.parse(Path(path).read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError):
            show_error(self, UserError(f"{path} cannot be read as a public key file."))
            return False
        except UserError as exc:
            show_error(self, exc)
            return False
        with db.session() as session:
            names = sorted(session.scalars(select(Person.name)))
        if person_name is None:
            person_name, ok = QInputDialog.getItem(self, "Whose key is this?", f"The key of ({public.name or 'unnamed'}):",
                                                   names, 0, False)
            if not ok:
                return False
        question = (f"Ask {person_name} to read you their fingerprint. Does it read\n\n{public.fingerprint}\n\n"
                    "exactly? Only then record the key.")
        confirm = confirm or (lambda text: QMessageBox.question(self, "Compare the fingerprint", text)
                              == QMessageBox.StandardButton.Yes)
        if not confirm(question):
            return False
        with db.session() as session:
            person = session.scalar(select(Person).where(Person.name == person_name))
            if person is None:
                show_error(self, UserError(f"{person_name} is no longer in this database."))
                return False
            set_person_key(session, person, public)
        return True


def unlock_then(parent: QWidget, then: Callable[[], None], *,
                ask: Callable[[], str | None] | None = None) -> None:
    """Run ``then`` once your key is unlocked for this sitting (asking its passphrase the first time)."""
    if keys._sitting is not None:  # noqa: SLF001 (the one place the GUI asks)
        then()
        return
    if not keys.has_my_key():
        show_error(parent, UserError("You have no key yet: make one with File → My key… first."))
        return

    def asked() -> str | None:
        text, ok = QInputDialog.getText(parent, "Unlock your key", "Your key's passphrase:", QLineEdit.EchoMode.Password)
        return text if ok else None

    passphrase = (ask or asked)()
    if passphrase is None:
        return

    def done(result: Any, error: BaseException | None) -> None:
        if error is not None:
            show_error(parent, error)
            return
        keys.use_for_this_sitting(result)
        then()

    run_task(lambda progress: keys.unlock_my_key(passphrase), done)


def ask_passphrase_for_file(parent: QWidget, *, twice: bool) -> str | None:
    """A one-off file passphrase (typed twice when sealing)."""
    first, ok = QInputDialog.getText(parent, "Passphrase", "The passphrase for this file (at least 8 characters; "
                                     "tell it to the recipient by phone, not by e-mail):", QLineEdit.EchoMode.Password)
    if not ok:
        return None
    if twice:
        second, ok = QInputDialog.getText(parent, "Passphrase", "The same passphrase again:", QLineEdit.EchoMode.Password)
        if not ok:
            return None
        if first != second:
            show_error(parent, UserError("The two passphrases differ; nothing was written."))
            return None
    if len(first) < 8:
        show_error(parent, UserError("Choose a passphrase of at least 8 characters; nothing was written."))
        return None
    return first


def passphrase_if_no_key(parent: QWidget, missing: list[str]) -> tuple[bool, str | None]:
    """How to seal: for the recipients' recorded keys (no question asked), or — when someone's key is
    not recorded — with a one-off passphrase if the person agrees. Returns (go ahead, passphrase)."""
    if not missing:
        return True, None
    answer = QMessageBox.question(
        parent, "No key recorded",
        f"No public key is recorded for {', '.join(missing)}. Seal with a one-off passphrase instead "
        "(tell it to them by phone)? Or cancel, and import their key with File → My key….")
    if answer != QMessageBox.StandardButton.Yes:
        return False, None
    passphrase = ask_passphrase_for_file(parent, twice=True)
    return passphrase is not None, passphrase


def open_then(parent: QWidget, path: str, then: Callable[[Any], None]) -> None:
    """Call ``then(opening)`` for an exchange file: with its passphrase asked now, or once your key is
    unlocked; not at all if the person cancels."""
    opening = opening_for(parent, path)
    if opening is None:
        return
    if opening.passphrase:
        then(opening)
    else:
        unlock_then(parent, lambda: then(opening))


def opening_for(parent: QWidget, path: str) -> Any:
    """How to open ``path``: with a passphrase asked now if it was sealed with one, else your key."""
    from ..exchange.sealing import Opening, sealed_label

    try:
        label = sealed_label(path)
    except UserError:
        label = None
    if label is not None and label.get("opened_by") == "passphrase":
        passphrase = ask_passphrase_for_file(parent, twice=False)
        return None if passphrase is None else Opening(passphrase=passphrase)
    return Opening(unlock=keys.this_sitting)
