"""The encrypted database in the window: the passphrase asked at open (again, with the reason, after a
wrong one), and File → Encrypt this database… closing, converting and reopening the file."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from conftest import DB_PASSPHRASE
from lgf_desktop.storage.sqlite import connections
from lgf_desktop.db import Database
from lgf_desktop.storage.sqlite.encrypting import encrypt_database, plain_backups
from lgf_desktop.models import Organisation
from lgf_desktop.ui import app, encryption
from lgf_desktop.ui.main_window import MainWindow

SECRET = "Organisation typed before encrypting"


def test_the_passphrase_is_asked_again_with_the_reason_until_it_opens_the_file(qapp, db_path: Path, monkeypatch) -> None:
    Database.open(db_path).close()
    assert app._ask_passphrase(db_path) == (False, None)  # a plain file: nothing asked
    encrypt_database(db_path, DB_PASSPHRASE)
    answers = iter(["a wrong passphrase", DB_PASSPHRASE])
    asked: list[str] = []

    def ask(cls, parent, path, problem="", *, purpose="open"):
        asked.append(problem)
        return next(answers)

    monkeypatch.setattr(encryption.PassphraseDialog, "ask", classmethod(ask))
    assert app._ask_passphrase(db_path) == (False, DB_PASSPHRASE)
    assert asked[0] == "" and "That passphrase does not open" in asked[1]

    monkeypatch.setattr(encryption.PassphraseDialog, "ask", classmethod(lambda cls, *a, **k: None))
    with pytest.raises(app._Cancelled):
        app._ask_passphrase(db_path)


def test_the_encrypt_dialog_refuses_a_short_or_mistyped_passphrase(qtbot, db_path: Path, screenshot) -> None:
    dialog = encryption.EncryptDialog(None, db_path)
    qtbot.addWidget(dialog)
    dialog.resize(640, 420)
    dialog.show()
    dialog.passphrase.setText("short")
    dialog.repeated.setText("short")
    dialog.accept()
    assert dialog.isVisible() and "at least 10 characters" in dialog.problem.text()
    dialog.passphrase.setText("three long words")
    dialog.repeated.setText("three long word")
    dialog.accept()
    assert dialog.isVisible() and "not the same" in dialog.problem.text()
    screenshot(dialog, "encrypt-dialog.png")
    dialog.repeated.setText("three long words")
    dialog.accept()
    assert not dialog.isVisible() and dialog.result() == encryption.QDialog.DialogCode.Accepted


def test_encrypt_this_database_from_the_file_menu(qtbot, db_path: Path, monkeypatch) -> None:
    db = Database.open(db_path)
    with db.session() as session:
        session.add(Organisation(name=SECRET, short_name="S", sector="Health"))
    db.backup("start")
    window = MainWindow(db)
    qtbot.addWidget(window)
    window.show()
    assert window.encryption_action.text() == "E&ncrypt this database…"
    reopened: list[Database] = []
    window.reopen = lambda passphrase: reopened.append(Database.open(db_path, passphrase=passphrase))
    told: list[str] = []
    monkeypatch.setattr(encryption.EncryptDialog, "ask", classmethod(lambda cls, parent, path: DB_PASSPHRASE))
    monkeypatch.setattr(encryption, "tell", lambda parent, text: told.append(text))
    monkeypatch.setattr(encryption, "ask_about_plain_backups", lambda parent, count, folder: "encrypt")

    window.encryption_action.trigger()
    qtbot.waitUntil(lambda: bool(reopened), timeout=60_000)
    again = reopened[0]
    try:
        assert not window.isVisible() and again.encrypted
        assert "is now encrypted" in told[0] and "1 earlier backup(s)" in told[0]
        assert told[1] == "Encrypted 1 backup(s)."
        assert not connections.is_plain(db_path) and plain_backups(db_path) == []
        everything = b"".join(p.read_bytes() for p in db_path.parent.rglob("*") if p.is_file())
        assert SECRET.encode() not in everything
        with again.read() as session:
            assert session.scalars(select(Organisation.name)).all() == [SECRET]
    finally:
        again.close()
