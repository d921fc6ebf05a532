"""Background work for the GUI: the one way to run exports, imports and checks off the UI thread.

``run_task(fn, on_done, on_progress)`` runs ``fn(progress)`` on Qt's global thread pool, where
``progress(done, total, message)`` may be called from the worker; ``on_done(result, error)`` and
``on_progress`` are called on the main thread. The worker must open its own database session and
never touch widgets.
"""

from __future__ import annotations

import gc
import sys
import time
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, QTimer, Signal, Slot

Progress = Callable[[int, int, str], None]


class _Signals(QObject):
    progress = Signal(int, int, str)
    done = Signal(object, object)


class _Task(QRunnable):
    def __init__(self, fn: Callable[[Progress], Any], signals: _Signals) -> None:
        super().__init__()
        self.fn = fn
        self.signals = signals

    @Slot()
    def run(self) -> None:
        try:
            result = self.fn(self.signals.progress.emit)
        except BaseException as exc:  # handed to on_done, which decides how to tell the user
            self.signals.done.emit(None, exc)
        else:
            self.signals.done.emit(result, None)


_running: set[_Signals] = set()


def run_task(
    fn: Callable[[Progress], Any],
    on_done: Callable[[Any, BaseException | None], None],
    on_progress: Callable[[int, int, str], None] | None = None,
) -> None:
    signals = _Signals()
    _running.add(signals)  # keep the signal object alive until the task reports back
    if on_progress is not None:
        signals.progress.connect(on_progress)

    def finished(result: Any, error: BaseException | None) -> None:
        _running.discard(signals)
        on_done(result, error)

    signals.done.connect(finished)
    QThreadPool.globalInstance().start(_Task(fn, signals))


def wait_for_tasks(msecs: int = 30000) -> bool:
    """Block until the pool is idle (used on quit and in tests)."""
    return QThreadPool.globalInstance().waitForDone(msecs)


COLLECT_EVERY_MS = 1000
FULL_COLLECTION_EVERY_S = 600
_collector: QTimer | None = None
_last_full = 0.0


def collect_garbage_on_the_main_thread() -> None:
    """Turn off Python's automatic cycle collector and run it on the main thread on a timer.

    Left automatic, a collection can start in whichever thread happens to allocate — a worker or the
    writer — and finalise Qt objects (widgets, models) that belong to the main thread: a crash
    ("Garbage-collecting" in a segmentation fault). Anki does the same for the same reason.
    Reference counting still frees almost everything at once; only cycles wait for the timer."""
    global _collector, _last_full
    gc.disable()
    if _collector is None:
        _last_full = time.monotonic()
        _collector = QTimer()
        _collector.setInterval(COLLECT_EVERY_MS)
        _collector.timeout.connect(collect_as_needed)
        _collector.start()


SWITCH_INTERVAL_S = 0.001


def share_the_interpreter_with_the_ui_thread() -> None:
    """Let the UI thread have Python's interpreter lock back within a millisecond, not five.

    A worker (an import) or the writer running Python code holds the lock; the UI thread, which
    gives it up on every call into Qt, waits up to the switch interval each time it wants it back,
    several times per keystroke or timer tick. At Python's default 5 ms an import on a worker
    stretched one UI tick into 100-200 ms; the worker loses a few per cent of its speed."""
    sys.setswitchinterval(SWITCH_INTERVAL_S)


_started = True  # False from start_up_under_way() until freeze_start_up_heap()


def start_up_under_way() -> None:
    """Hold the timed collections until the start-up's heap is frozen: while a worker imports the
    database layer (after the window is usable), each collection walked every object the import had
    made since the last one, a pause of the window of about 100 ms every second. Those objects live
    as long as the app; ``freeze_start_up_heap`` puts them out of the collector's way."""
    global _started
    _started = False


def freeze_start_up_heap() -> None:
    """Once the app has started: what it built so far (modules, mappers, the main window) lives as
    long as the app, so the collector stops walking it (``gc.freeze``)."""
    global _started
    gc.freeze()
    _started = True


def collect_as_needed() -> None:
    """What the automatic collector would do, on the main thread: the young generations once past
    their thresholds (well under a millisecond); a full collection at most every ten minutes.

    A full collection walks every object the app made since start-up; measured on the workshop
    with a loaded machine it took 0.5-1 s, all of it a freeze of the UI thread (it ran every five
    seconds before, and was the longest stall while typing during an import). Cycles are rare here:
    waiting ten minutes for them costs a little memory, never a word typed."""
    global _last_full
    if not _started:
        return
    young, middle, old = gc.get_count()
    first, second, _third = gc.get_threshold()
    if young < first:
        return
    if middle + 1 < second:
        gc.collect(0)
    elif time.monotonic() - _last_full < FULL_COLLECTION_EVERY_S:
        gc.collect(1)
    else:
        gc.collect(2)
        _last_full = time.monotonic()
