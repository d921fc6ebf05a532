"""The cycle collector runs on the main thread as the automatic one would (``ui.tasks``): cycles
are freed, young ones cheaply, and the start-up heap is frozen after the first full collection so
later full collections do not walk it again."""

from __future__ import annotations

import gc
import weakref

from lgf_desktop.ui import tasks


class Node:
    def __init__(self) -> None:
        self.me = self  # a reference cycle: only the cycle collector frees it


def test_cycles_are_collected_and_the_start_up_heap_frozen(monkeypatch) -> None:
    monkeypatch.setattr(tasks, "_frozen", False)
    enabled = gc.isenabled()
    gc.disable()
    try:
        node = Node()
        gone = weakref.ref(node)
        del node
        for _ in range(50):  # allocations past the thresholds, as a busy app makes them
            [Node() for _ in range(gc.get_threshold()[0] + 1)]
            tasks.collect_as_needed()
        assert gone() is None
        assert tasks._frozen and gc.get_freeze_count() > 0
    finally:
        gc.unfreeze()
        if enabled:
            gc.enable()
