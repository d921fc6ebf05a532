"""The recipients dialog before a package is issued: each auditor with their key's fingerprint; a
missing key imported from a file or pasted text — recorded only after the fingerprint is confirmed —
or taken from the keys already known; sealing waits until everyone has a key, or a passphrase."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QMessageBox
from sqlalchemy import select

from audit_helpers import make_audit
from lgf_desktop import keys
from lgf_desktop.exchange.senders import PERSON_KEY, person_key
from lgf_desktop.models import Audit, Person, Setting
from lgf_desktop.ui.recipients import RecipientsDialog, recipients_for


def _without_keys(db) -> None:
    """The audit as the coordinator starts it: nobody's key recorded yet."""
    with db.session() as session:
        for setting in session.scalars(select(Setting).where(Setting.key.startswith(PERSON_KEY))):
            session.delete(setting)


def _dialog(qtbot, db) -> RecipientsDialog:
    _without_keys(db)
    with db.session() as session:
        audit = session.scalars(select(Audit)).first()
        people = recipients_for(session, [(a.person, "auditor") for a in audit.auditors if a.assignments])
    dialog = RecipientsDialog(None, db, people, "each auditor's package")
    qtbot.addWidget(dialog)
    dialog.resize(760, 360)
    dialog.show()
    return dialog


def test_keys_are_recorded_only_after_the_fingerprint_is_confirmed(qtbot, db, tmp_path: Path, monkeypatch,
                                                                   screenshot) -> None:
    make_audit(db)
    dialog = _dialog(qtbot, db)
    rows = [dialog.table.item(i, 1).text() for i in range(dialog.table.rowCount())]
    assert rows and all(r == "no key recorded" for r in rows) and not dialog.seal_button.isEnabled()
    first = dialog.recipients[0]

    other = keys.MyKey.generate("Siân Howells").public
    key_file = tmp_path / "sian.lgfkey"
    key_file.write_text(other.text() + "\n", encoding="utf-8")
    answers = iter([QMessageBox.StandardButton.No, QMessageBox.StandardButton.Yes])
    asked: list[str] = []
    monkeypatch.setattr(QMessageBox, "question", staticmethod(
        lambda parent, title, text, *a: asked.append(text) or next(answers)))
    dialog.table.selectRow(0)
    assert not dialog.import_from_file(str(key_file))  # not confirmed: nothing recorded
    with db.session() as session:
        assert person_key(session, session.scalar(select(Person).where(Person.uuid == first.person_uuid))) is None
    assert dialog.import_from_file(str(key_file))
    assert other.fingerprint in asked[0]
    assert dialog.table.item(0, 1).text() == other.fingerprint
    with db.session() as session:
        recorded = person_key(session, session.scalar(select(Person).where(Person.uuid == first.person_uuid)))
        assert recorded is not None and recorded.same_key(other)

    # The second: a key already known here (the only one so far), then replaced by pasted text.
    monkeypatch.setattr(QMessageBox, "question", staticmethod(lambda *a: QMessageBox.StandardButton.Yes))
    assert len(dialog.recipients) == 2
    dialog.table.selectRow(1)
    assert dialog.use_known_key(0) and dialog.recipients[1].key.same_key(other)
    pasted = keys.MyKey.generate("Łukasz").public
    assert dialog.import_from_text("Here it is:\n" + pasted.text())
    assert dialog.table.item(1, 1).text() == pasted.fingerprint
    assert dialog.seal_button.isEnabled()
    screenshot(dialog, "recipients.png")


def test_pasted_text_that_is_not_a_key_is_one_sentence_and_records_nothing(qtbot, db, shown_errors) -> None:
    make_audit(db)
    dialog = _dialog(qtbot, db)
    assert not dialog.import_from_text("Dear Ann, my key is attached.")
    assert "not an LGF Desktop public key" in shown_errors[0].text
    assert dialog.recipients[0].key is None and not dialog.seal_button.isEnabled()
