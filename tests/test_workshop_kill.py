"""Nothing typed is lost: a workshop process is killed (SIGKILL) a little over a second after the
last keystroke, with no save ever asked for, and the text is in the database."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap

import pytest
from sqlalchemy import select

from lgf_desktop.models import Response
from workshop_support import _demo_template, planned_review_id, workshop_db  # noqa: F401

TYPED = "Minutes typed live: induction within 3 months 🙂 — مرحبا"

CHILD = textwrap.dedent("""
    import os, sys, time
    os.environ["QT_QPA_PLATFORM"] = "offscreen"
    from PySide6.QtCore import QEvent, Qt
    from PySide6.QtGui import QKeyEvent
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication
    from lgf_desktop.db import Database
    from lgf_desktop.ui.workshop.window import WorkshopWindow

    app = QApplication([])
    db = Database.open(sys.argv[1])
    window = WorkshopWindow(db, int(sys.argv[2]))
    window.show()
    window.activateWindow()
    QTest.qWait(200)
    for char in sys.argv[3]:  # key events with their text, as a keyboard sends (emoji and Arabic too)
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            QApplication.sendEvent(window.editor, QKeyEvent(kind, Qt.Key.Key_unknown, Qt.KeyboardModifier.NoModifier, char))
        QTest.qWait(5)
    QTest.qWait(1200)   # no save call: only the autosave may write
    print("typed", flush=True)
    while True:
        time.sleep(1)
""")


@pytest.mark.slow
def test_sigkill_after_typing_loses_nothing(workshop_db, tmp_path):
    review_id = planned_review_id(workshop_db)
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    child = subprocess.Popen([sys.executable, "-c", CHILD, str(workshop_db.path), str(review_id), TYPED],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    try:
        line = child.stdout.readline()
        assert line.strip() == "typed", child.stderr.read()
    finally:
        child.send_signal(signal.SIGKILL)
        child.wait(10)
    assert child.returncode == -signal.SIGKILL
    with workshop_db.session() as s:
        texts = s.scalars(select(Response.text).where(Response.review_id == review_id)).all()
    assert texts == [TYPED]
