"""Every failure to open the database at start-up ends in a message and an exit, never a window
left saying "Opening…"."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from PySide6.QtWidgets import QMessageBox

from lgf_desktop.db import Database
from lgf_desktop.ui import app as app_module


@pytest.fixture
def messages(monkeypatch) -> list[str]:
    shown: list[str] = []

    def record(parent, title, text, *args, **kwargs):
        shown.append(text)
        return QMessageBox.StandardButton.Ok

    monkeypatch.setattr(QMessageBox, "critical", staticmethod(record))
    monkeypatch.setattr(QMessageBox, "warning", staticmethod(record))
    return shown


def test_a_file_that_fails_to_upgrade_is_a_message_and_an_exit(qapp, db_path: Path, messages) -> None:
    Database.open(db_path).close()
    # Hand-damaged: claims the first schema, but a table the upgrade needs is gone.
    conn = sqlite3.connect(db_path, isolation_level=None)
    conn.execute("DROP TABLE progress_note")
    conn.execute("UPDATE alembic_version SET version_num = '0001'")
    conn.close()
    code = app_module.main(["--db", str(db_path)])
    assert code == 1
    assert len(messages) == 1
    assert "progress_note" not in messages[0] and "CREATE" not in messages[0]


def test_a_damaged_file_is_named_as_damaged_at_start(qapp, db_path: Path, messages) -> None:
    Database.open(db_path).close()
    data = bytearray(db_path.read_bytes())
    data[4096:4096 * 3] = b"\xff" * (4096 * 2)  # the pages after the first: tables' roots
    db_path.write_bytes(bytes(data))
    code = app_module.main(["--db", str(db_path)])
    assert code == 1
    assert len(messages) == 1 and "damaged" in messages[0]
