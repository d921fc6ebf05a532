"""A lean start: the schema check needs no Alembic, and the window opens on a large database."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from lgf_desktop.storage.sqlite import schema_check
from lgf_desktop.db import _alembic_config, head_revision


def test_schema_head_read_from_the_migration_files_is_alembics_head() -> None:
    from alembic.script import ScriptDirectory

    script = ScriptDirectory.from_config(_alembic_config())
    assert schema_check.schema_head() == head_revision() != ""
    assert schema_check.known_revisions() == {rev.revision for rev in script.walk_revisions()}


def test_opening_a_current_database_does_not_import_alembic(db_path: Path, db) -> None:
    code = (
        "import sys; from lgf_desktop.db import Database\n"
        f"Database.open({str(db_path)!r}).close()\n"
        "print('alembic' in sys.modules)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False"


def test_the_app_shows_its_window_and_fills_it(db_path: Path, demo_db, tmp_path: Path) -> None:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", LGF_STARTUP_PROBE="1", HOME=str(tmp_path))
    result = subprocess.run([sys.executable, "-m", "lgf_desktop", "--db", str(db_path)], env=env,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.split()
    assert "shown" in lines and "ready" in lines
    assert "Traceback" not in result.stderr
    from lgf_desktop.storage.sqlite.backups import list_backups

    assert any(b.name.endswith("-start.sqlite3") for b in list_backups(db_path))  # written after the window showed
