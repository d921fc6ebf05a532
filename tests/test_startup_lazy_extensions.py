"""Feature modules plug in cheaply: filling the window imports none of the heavy modules (python-docx,
reportlab, the workshop window, the audit page); each is imported when its action is first used."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

HEAVY = ["docx", "reportlab", "lgf_desktop.ui.workshop.window", "lgf_desktop.ui.audit.page",
         "lgf_desktop.exports.report_docx", "lgf_desktop.exports.brief_pdf", "lgf_desktop.importing"]

SCRIPT = """
import sys
from PySide6.QtWidgets import QApplication
from lgf_desktop.db import Database
from lgf_desktop.ui.main_window import MainWindow

app = QApplication([])
db = Database.open(sys.argv[1])
window = MainWindow(db)
heavy = sys.argv[2].split(",")
print("after install:", ",".join(name for name in heavy if name in sys.modules))
shortcuts = {action.text(): action.shortcut().toString() for action in window.review_actions}
print("workshop shortcut:", shortcuts.get("Open workshop"))
print("menus:", ",".join(sorted(window._menus)))
window.page("audits")  # the section's factory imports its page on first show
print("after audits shown:", "lgf_desktop.ui.audit.page" in sys.modules)
db.close()
"""


def test_installing_the_extensions_imports_no_heavy_module(db_path: Path, demo_db, tmp_path: Path) -> None:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", HOME=str(tmp_path), XDG_CONFIG_HOME=str(tmp_path / "config"))
    result = subprocess.run([sys.executable, "-c", SCRIPT, str(db_path), ",".join(HEAVY)], env=env,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    lines = dict(line.split(": ", 1) if ": " in line else (line.rstrip(":"), "")
                 for line in result.stdout.splitlines())
    assert lines["after install"] == ""
    assert lines["workshop shortcut"] == "Ctrl+Shift+W"
    assert {"&Export", "&Tracker", "&Workshop", "&Review"} <= set(lines["menus"].split(","))
    assert lines["after audits shown"] == "True"
