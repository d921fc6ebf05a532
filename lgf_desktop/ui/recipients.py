"""Who a sealed file is for, shown before it is written: each recipient with the fingerprint of the
key it will be sealed for, and — for anyone with no key recorded — importing theirs from a file or
from pasted text, or taking a key already known here, each only after the fingerprints were compared;
or a one-off passphrase instead.

Used when issuing auditors' packages and when sending a panel member's notes to the chair (a
return is sealed for the coordinator's key, recorded from the package itself).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QAbstractItemView, QDialog, QFileDialog, QHBoxLayout, QHeaderView, QInputDialog, QLabel, QMessageBox, QPushButton,
    QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget,
)
from sqlalchemy import select

from ..errors import UserError
from ..exchange.senders import known_keys, person_key, set_person_key
from ..keys import PublicKey
from ..models import Person
from .errors import show_error
from .my_key import KEY_FILTER, ask_passphrase_for_file


@dataclass
class Recipient:
    person_uuid: str
    label: str  # "Siân Howells (auditor)"
    key: PublicKey | None = None


def confirm_fingerprint(parent: QWidget, name: str, public: PublicKey) -> bool:
    """Ask the person to compare the fingerprint with its owner (by phone) before it is recorded."""
    return QMessageBox.question(
        parent, "Compare the fingerprint",
        f"Ask {name} to read you their fingerprint. Does it read\n\n{public.fingerprint}\n\nexactly? Only then "
        "is the key recorded.") == QMessageBox.StandardButton.Yes


class RecipientsDialog(QDialog):
    """The recipients of one sending and their keys; ``passphrase`` is set if a one-off passphrase
    was chosen instead."""

    def __init__(self, parent: QWidget | None, db: Any, recipients: list[Recipient], what: str) -> None:
        super().__init__(parent)
        self.db = db
        self.recipients = recipients
        self.passphrase: str | None = None
        self.setWindowTitle(f"Who {what} is for")
        self.setMinimumWidth(720)
        layout = QVBoxLayout(self)
        intro = QLabel(f"{what[0].upper()}{what[1:]} will be sealed for the key shown beside each recipient, so "
                       "only they can open it. To record a missing key, select the recipient and use a button below; "
                       "compare the fingerprint with its owner over the phone first.")
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.table = QTableWidget(len(recipients), 2)
        self.table.setHorizontalHeaderLabels(["Recipient", "Key fingerprint"])
        self.table.verticalHeader().hide()
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        layout.addWidget(self.table)
        row = QHBoxLayout()
        self.file_button = QPushButton("Import key from a &file…")
        self.text_button = QPushButton("&Paste key text…")
        self.known_button = QPushButton("Use a &known key…")
        for button in (self.file_button, self.text_button, self.known_button):
            row.addWidget(button)
        row.addStretch(1)
        layout.addLayout(row)
        buttons = QHBoxLayout()
        self.passphrase_button = QPushButton("Use a one-off pass&phrase instead…")
        self.seal_button = QPushButton("&Seal for these keys")
        self.seal_button.setDefault(True)
        cancel = QPushButton("Cancel")
        buttons.addWidget(self.passphrase_button)
        buttons.addStretch(1)
        buttons.addWidget(self.seal_button)
        buttons.addWidget(cancel)
        layout.addLayout(buttons)
        self.file_button.clicked.connect(lambda: self.import_from_file())
        self.text_button.clicked.connect(lambda: self.import_from_text())
        self.known_button.clicked.connect(lambda: self.use_known_key())
        self.passphrase_button.clicked.connect(self.use_passphrase)
        self.seal_button.clicked.connect(self.accept)
        cancel.clicked.connect(self.reject)
        self.fill()
        missing = next((i for i, r in enumerate(recipients) if r.key is None), 0)
        self.table.selectRow(missing)

    def fill(self) -> None:
        mono = QFont("monospace")
        mono.setStyleHint(QFont.StyleHint.TypeWriter)
        for i, recipient in enumerate(self.recipients):
            self.table.setItem(i, 0, QTableWidgetItem(recipient.label))
            item = QTableWidgetItem(recipient.key.fingerprint if recipient.key else "no key recorded")
            if recipient.key:
                item.setFont(mono)
            self.table.setItem(i, 1, item)
        self.seal_button.setEnabled(all(r.key for r in self.recipients))

    def current(self) -> Recipient | None:
        row = self.table.currentRow()
        return self.recipients[row] if 0 <= row < len(self.recipients) else None

    def record(self, public: PublicKey) -> bool:
        """Record ``public`` for the selected recipient once its fingerprint was compared."""
        recipient = self.current()
        if recipient is None:
            return False
        name = recipient.label.split(" (")[0]
        if not confirm_fingerprint(self, name, public):
            return False
        with self.db.session() as session:
            person = session.scalar(select(Person).where(Person.uuid == recipient.person_uuid))
            if person is None:
                show_error(self, UserError(f"{name} is no longer in this database."))
                return False
            set_person_key(session, person, public)
        recipient.key = public
        self.fill()
        return True

    def import_from_file(self, path: str | None = None) -> bool:
        path = path or QFileDialog.getOpenFileName(self, "Import a public key", str(Path.home()), KEY_FILTER)[0]
        if not path:
            return False
        try:
            public = PublicKey.parse(Path(path).read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError):
            show_error(self, UserError(f"{path} cannot be read as a public key file."))
            return False
        except UserError as exc:
            show_error(self, exc)
            return False
        return self.record(public)

    def import_from_text(self, text: str | None = None) -> bool:
        if text is None:
            text, ok = QInputDialog.getMultiLineText(self, "Paste a public key",
                                                     "The key's line of text (it starts LGF-KEY-1):")
            if not ok:
                return False
        try:
            public = PublicKey.parse(text)
        except UserError as exc:
            show_error(self, exc)
            return False
        return self.record(public)

    def use_known_key(self, choice: int | None = None) -> bool:
        """Take a key already recorded here for someone (the same person recorded twice, say)."""
        with self.db.session() as session:
            known = [(person.name, key) for person, key in known_keys(session)]
        if not known:
            show_error(self, UserError("No public keys are recorded in this database yet; import one first."))
            return False
        if choice is None:
            labels = [f"{name} — {key.fingerprint}" for name, key in known]
            picked, ok = QInputDialog.getItem(self, "Use a known key", "Keys recorded in this database:", labels, 0, False)
            if not ok:
                return False
            choice = labels.index(picked)
        return self.record(known[choice][1])

    def use_passphrase(self) -> None:
        passphrase = ask_passphrase_for_file(self, twice=True)
        if passphrase:
            self.passphrase = passphrase
            self.accept()

    @classmethod
    def ask(cls, parent: QWidget | None, db: Any, recipients: list[Recipient], what: str) -> tuple[bool, str | None]:
        """(go ahead, one-off passphrase or None); shown every time, so whoever sends sees for whom
        and for which key."""
        dialog = cls(parent, db, recipients, what)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return False, None
        return True, dialog.passphrase


def recipients_for(session, people: list[tuple[Person, str]]) -> list[Recipient]:
    """Each (person, role) with the key recorded for them, if any."""
    return [Recipient(p.uuid, f"{p.name} ({role})", person_key(session, p)) for p, role in people]


def ask_for_notes(parent: QWidget | None, db: Any, review_id: int) -> tuple[bool, str | None]:
    """Before a panel member's notes are sealed: the round's chair and their key (or a passphrase
    when the round has no chair yet)."""
    from ..services.review.notes_exchange import get_review
    from .my_key import passphrase_if_no_key

    with db.session() as session:
        chair = get_review(session, review_id).round.chair
        recipients = recipients_for(session, [(chair.person, "chair")]) if chair else []
    if not recipients:
        return passphrase_if_no_key(parent, ["the chair"])
    return RecipientsDialog.ask(parent, db, recipients, "your notes")
