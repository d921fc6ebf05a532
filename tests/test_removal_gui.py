""""Remove everywhere" in the window: after the value is gone from the database, the backups that
still hold it are named and the person is offered to clean them — and, accepting, none holds it."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QMessageBox

from audit_helpers import auditor_named
from lgf_desktop.storage.sqlite.backups import backup_database
from lgf_desktop.services.audit.exchange import issue_package
from lgf_desktop.services.privacy.leaving import IdentifyingDataFound
from lgf_desktop.services.privacy.removal import file_holds
from lgf_desktop.ui.audit.page import AuditsPage
from lgf_desktop.ui.identifying_dialog import FindingsDialog
from test_identifying_guard import NAMES, audit_db, type_evidence  # noqa: F401


@pytest.mark.parametrize("accept", [True, False], ids=["cleaned", "left"])
def test_remove_everywhere_offers_to_clean_the_backups_that_still_hold_it(qtbot, audit_db, db_path: Path,  # noqa: F811
                                                                         tmp_path: Path, monkeypatch, accept) -> None:
    secret = NAMES[0]
    type_evidence(audit_db, f"{secret} said he was hungry at school.")
    backup = backup_database(db_path, "start")
    with pytest.raises(IdentifyingDataFound) as refused:
        with audit_db.session() as session:
            issue_package(session, auditor_named(session, "Siân"), tmp_path / "p.lgfx")
    page = AuditsPage(audit_db, lambda *args: None)
    qtbot.addWidget(page)
    dialog = FindingsDialog(refused.value, page, go_to=page.go_to, remove=page._remove_everywhere,
                            clean=page._clean_backups)
    qtbot.addWidget(dialog)
    dialog.show()
    asked: list[str] = []
    told: list[str] = []
    monkeypatch.setattr(QMessageBox, "question", staticmethod(
        lambda parent, title, text, *a: asked.append(text) or (
            QMessageBox.StandardButton.Yes if (len(asked) == 1 or accept) else QMessageBox.StandardButton.No)))
    monkeypatch.setattr(QMessageBox, "information", staticmethod(lambda parent, title, text, *a: told.append(text)))
    name_finding = next(i for i, f in enumerate(dialog.findings) if f.text == secret)
    dialog.list.setCurrentRow(name_finding)
    dialog.remove_current()
    qtbot.waitUntil(lambda: bool(told), timeout=30_000)
    assert backup.name in asked[1] and "Clean that backup too?" in asked[1]
    if accept:
        assert "1 backup(s) were cleaned too." in told[0]
        assert not file_holds(backup, secret)
    else:
        assert "1 backup(s) still hold it" in told[0] and file_holds(backup, secret)
    assert not file_holds(db_path, secret)
