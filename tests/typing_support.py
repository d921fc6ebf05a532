"""A typist in a separate process, for the kill tests: it types continuously (a key every ~15 ms,
never a pause a debounce would wait for) into the workshop's response editor, the workshop's line
for a new recommendation (a draft until Enter), or an auditor's evidence on the Audits page, and is
killed with SIGKILL within 50 ms of a keystroke. ``_check`` says whether the database and the
recovery journal hold what the promise says they must."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time

TYPING_SECONDS = 6.5
SENTENCE = "Minutes typed live while the panel talks: induction within 3 months 🙂 — مرحبا. "
TEXT = SENTENCE * 40

TYPIST = textwrap.dedent("""
    import os, sys, time
    os.environ["QT_QPA_PLATFORM"] = "offscreen"
    from PySide6.QtCore import QEvent, Qt
    from PySide6.QtGui import QKeyEvent
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication
    from lgf_desktop.db import Database

    app = QApplication([])
    db = Database.open(sys.argv[1])
    target = sys.argv[2]
    if target in ("workshop", "new-recommendation"):
        from lgf_desktop.ui.workshop.window import WorkshopWindow
        window = WorkshopWindow(db, int(sys.argv[3]))
        # The response editor, or the line under it where a recommendation is typed before Enter.
        box = window.editor if target == "workshop" else window.recommendations.entry
    else:  # the auditor's evidence for one grade, on the Audits page of the main window
        from lgf_desktop.ui.main_window import MainWindow
        window = MainWindow(db)
        window.resize(1366, 768)
        window.navigator.select("audits", None)
        page = window.page("audits")
        assert page.scoring.show_answer(int(sys.argv[3]))
        box = page.scoring.panel.evidence
    window.show()
    window.activateWindow()
    box.setFocus()
    QTest.qWait(300)
    print("ready", time.time(), flush=True)
    # Key events with their text, as a keyboard sends (emoji and Arabic too), one every ~15 ms and
    # never a save asked for: only the autosave may write. Each keystroke's time goes to stdout.
    for n, char in enumerate(sys.argv[4]):
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            QApplication.sendEvent(box, QKeyEvent(kind, Qt.Key.Key_unknown, Qt.KeyboardModifier.NoModifier, char))
        print(n, time.time(), flush=True)
        QTest.qWait(15)
    print("ran out of text", flush=True)
    time.sleep(60)
""")


def type_and_kill(db, target: str, record_id: int) -> tuple[list[float], float]:
    """Run the typist until it has typed for TYPING_SECONDS, kill it mid-word; returns the time of
    each keystroke (index = character) and the time of the kill."""
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    child = subprocess.Popen([sys.executable, "-c", TYPIST, str(db.path), target, str(record_id), TEXT],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    times: list[float] = []
    try:
        first = child.stdout.readline().split()
        assert first and first[0] == "ready", child.stderr.read()
        while True:
            line = child.stdout.readline().split()
            assert len(line) == 2, f"the typist stopped: {line} {child.stderr.read() if not line else ''}"
            times.append(float(line[1]))
            if times[-1] - times[0] >= TYPING_SECONDS:
                break
    finally:
        killed_at = time.time()
        child.send_signal(signal.SIGKILL)
        child.wait(10)
    assert child.returncode == -signal.SIGKILL
    return times, killed_at


def check_what_survived(times: list[float], killed_at: float, stored: str, journal_text: str | None) -> None:
    gaps = [b - a for a, b in zip(times, times[1:], strict=False)]
    # Keystrokes every ~15 ms. On a loaded machine the scheduler adds the odd longer stall, so the
    # typist's own pauses are checked as most under 50 ms and none anywhere near a debounce's 500.
    ordered = sorted(gaps)
    assert ordered[int(len(ordered) * 0.95)] < 0.05 and ordered[-1] < 0.2, f"not continuous typing: {ordered[-5:]}"
    assert killed_at - times[-1] < 0.05  # killed within 50 ms of the last keystroke
    typed = TEXT[:len(times)]
    older_than_a_second = sum(1 for t in times if t <= killed_at - 1.0)
    assert typed.startswith(stored), "the database holds text that was not typed"
    assert len(stored) >= older_than_a_second, (
        f"{older_than_a_second - len(stored)} characters typed over a second before the kill are not in the database")
    # The journal holds what the database lacks (nothing, just after a save): recovery brings the
    # text to within a few keystroke batches of the kill.
    recovered = stored if journal_text is None else journal_text
    assert typed.startswith(recovered) and len(recovered) >= len(stored)
    assert len(recovered) >= sum(1 for t in times if t <= killed_at - 0.5)
