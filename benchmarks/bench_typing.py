"""Typing while the database is busy, on the UI thread of a real workshop window (offscreen):

- keystroke-to-screen latency while a save is in flight: a key event sent to the response editor
  until the editor has taken it and repainted, counted only for keystrokes that arrive while the
  autosave's write has not yet returned (target p99 < 16 ms, one frame);
- the worst UI-thread stall while ten auditors' returns are merged on a worker (``run_task``) and
  the chair keeps typing: the longest gap between 5 ms timer ticks on the UI thread, beside the same
  measure with nothing running (target < 50 ms).

Run alone with ``python -m benchmarks.bench_typing`` or ``python -m benchmarks typing``.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from benchmarks.figures import figure, median, percentile  # noqa: E402

SAMPLES = 300


def _key(app, editor, char: str) -> None:
    from PySide6.QtCore import QEvent, Qt
    from PySide6.QtGui import QKeyEvent

    for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
        app.sendEvent(editor, QKeyEvent(kind, Qt.Key.Key_unknown, Qt.KeyboardModifier.NoModifier, char))


def _workshop(folder: Path):
    from sqlalchemy import select

    from lgf_desktop.db import Database
    from lgf_desktop.models import Organisation, Review, Round
    from lgf_desktop.services.demo import load_demo
    from lgf_desktop.ui.workshop.window import WorkshopWindow

    db = Database.open(folder / "workshop.sqlite3")
    with db.session() as session:
        load_demo(session)
        round_ = session.scalars(select(Round)).first()
        review = Review(round=round_, organisation=Organisation(name="Benchmark Trust"), status="planned", position=9)
        session.add(review)
        session.flush()
        review_id = review.id
    window = WorkshopWindow(db, review_id)
    window.show()
    return db, window


def _stall(app, seconds: float, busy) -> float:
    """The longest gap between 5 ms ticks on the UI thread while ``busy()`` is true (or for
    ``seconds`` when busy is None), in seconds."""
    from PySide6.QtCore import QTimer

    ticks: list[float] = []
    timer = QTimer(interval=5)
    timer.timeout.connect(lambda: ticks.append(time.perf_counter()))
    timer.start()
    end = time.perf_counter() + seconds
    while (busy() if busy is not None else time.perf_counter() < end):
        app.processEvents()
        time.sleep(0.001)
    timer.stop()
    return max(b - a for a, b in zip(ticks, ticks[1:], strict=False)) if len(ticks) > 1 else 0.0


def run() -> list[str]:
    from PySide6.QtWidgets import QApplication

    from benchmarks.bench_merge import _returns
    from lgf_desktop.importing import import_file
    from lgf_desktop.ui.tasks import run_task, wait_for_tasks

    app = QApplication.instance() or QApplication([])
    from lgf_desktop.ui.tasks import collect_garbage_on_the_main_thread, share_the_interpreter_with_the_ui_thread

    collect_garbage_on_the_main_thread()  # the cycle collector as the app runs it (main thread, timer)
    share_the_interpreter_with_the_ui_thread()  # and the interpreter lock's switch interval
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        from lgf_desktop.ui.tasks import freeze_start_up_heap

        freeze_start_up_heap()  # as the app does once it has opened its database
        db, window = _workshop(folder)
        editor, saver = window.editor, window.autosaver
        app.processEvents()

        # 0. The same keystrokes with no save at all (the baseline, measured in this run).
        bare: list[float] = []
        target, saver.target = saver.target, None
        for n in range(SAMPLES):
            start = time.perf_counter()
            _key(app, editor, "abcdefghij "[n % 11])
            editor.viewport().repaint()
            bare.append(time.perf_counter() - start)
            app.processEvents()
        saver.target = target
        # 1. Keystrokes while a save is in flight.
        latencies: list[float] = []
        idle: list[float] = []
        cpu: list[float] = []  # the UI thread's own CPU time per keystroke: what the machine's load does not add
        for n in range(SAMPLES):
            _key(app, editor, "abcdefghij "[n % 11])
            saver.save_now()  # queued: in flight from here until its commit returns
            in_flight = bool(saver._inflight) and not all(f.done() for f in saver._inflight)
            start, start_cpu = time.perf_counter(), time.thread_time()
            _key(app, editor, "x")
            editor.viewport().repaint()
            (latencies if in_flight else idle).append(time.perf_counter() - start)
            if in_flight:
                cpu.append(time.thread_time() - start_cpu)
            app.processEvents()

        # 2. The worst UI-thread stall: nothing running, then ten returns merged on a worker.
        quiet = _stall(app, 2.0, None)
        returns = _returns(folder, db)
        done: list[object] = []

        def merge(progress):
            for path in returns:
                import_file(db, path)

        run_task(merge, lambda result, error: done.append(error))
        typing = {"n": 0}

        def busy() -> bool:
            typing["n"] += 1
            if typing["n"] % 15 == 0:  # the chair keeps typing, and the autosave keeps saving
                _key(app, editor, "y")
            return not done

        start = time.perf_counter()
        stall = _stall(app, 0, busy)
        merge_seconds = time.perf_counter() - start
        wait_for_tasks()
        assert done == [None], done
        window.close()
        window.deleteLater()
        app.processEvents()
        db.close()
        shutil.rmtree(folder, ignore_errors=True)
    lines = [figure("keystroke to screen, autosave off (baseline) p99", percentile(bare, 99) * 1000, "ms", "-")]
    if latencies:
        lines += [figure(f"keystroke to screen while a save is in flight p50 ({len(latencies)} keys)", median(latencies) * 1000, "ms", "-"),
                  figure("keystroke to screen while a save is in flight p99", percentile(latencies, 99) * 1000, "ms", "< 16 ms"),
                  figure("  of which the UI thread's own CPU time p99", percentile(cpu, 99) * 1000, "ms", "-")]
    if idle:
        lines.append(figure(f"keystroke to screen, no save in flight p99 ({len(idle)} keys)", percentile(idle, 99) * 1000, "ms", "-"))
    lines += [figure("UI-thread stall, nothing running (baseline, worst 5 ms tick gap)", quiet * 1000, "ms", "-"),
              figure(f"UI-thread stall while merging 10 auditors' returns ({merge_seconds:.2f} s) and typing", stall * 1000, "ms", "< 50 ms")]
    return lines


if __name__ == "__main__":
    for line in run():
        print(line)
