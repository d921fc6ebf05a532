"""Every failure to open the database at start-up ends in a message and an exit, never a window
left saying "Opening…"."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from lgf_desktop.db import Database
from lgf_desktop.ui import app as app_module


def test_a_file_that_fails_to_upgrade_is_a_message_and_an_exit(qapp, db_path: Path, shown_errors) -> None:
    Database.open(db_path).close()
    # Hand-damaged: claims the first schema, but a table the upgrade needs is gone.
    conn = sqlite3.connect(db_path, isolation_level=None)
    conn.execute("DROP TABLE progress_note")
    conn.execute("UPDATE alembic_version SET version_num = '0001'")
    conn.close()
    code = app_module.main(["--db", str(db_path)])
    assert code == 1
    assert len(shown_errors) == 1
    assert "progress_note" not in shown_errors[0].text and "CREATE" not in shown_errors[0].text


def test_a_damaged_file_is_named_as_damaged_at_start(qapp, db_path: Path, shown_errors) -> None:
    Database.open(db_path).close()
    data = bytearray(db_path.read_bytes())
    data[4096:4096 * 3] = b"\xff" * (4096 * 2)  # the pages after the first: tables' roots
    db_path.write_bytes(bytes(data))
    code = app_module.main(["--db", str(db_path)])
    assert code == 1
    assert len(shown_errors) == 1 and "damaged" in shown_errors[0].text
