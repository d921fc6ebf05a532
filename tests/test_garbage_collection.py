"""The cycle collector runs on the main thread as the automatic one would (``ui.tasks``): young
cycles are freed within a second or two of being made, and a full collection (which walks the whole
heap and freezes the UI) runs at most every ten minutes."""

from __future__ import annotations

import gc
import weakref

from lgf_desktop.ui import tasks


class Node:
    def __init__(self) -> None:
        self.me = self  # a reference cycle: only the cycle collector frees it


def test_young_cycles_are_freed_and_full_collections_are_rare(monkeypatch) -> None:
    full: list[int] = []
    real_collect = gc.collect
    monkeypatch.setattr(gc, "collect", lambda generation=2: full.append(generation) or real_collect(generation)
                        if generation == 2 else real_collect(generation))
    monkeypatch.setattr(tasks, "_last_full", tasks.time.monotonic())
    enabled = gc.isenabled()
    gc.disable()
    try:
        node = Node()
        gone = weakref.ref(node)
        del node
        for _ in range(120):  # allocations past the thresholds on every tick, as a busy app makes them
            [Node() for _ in range(gc.get_threshold()[0] + 1)]
            tasks.collect_as_needed()
        assert gone() is None
        assert full == []  # not one full collection within the ten minutes
        monkeypatch.setattr(tasks, "_last_full", tasks.time.monotonic() - tasks.FULL_COLLECTION_EVERY_S - 1)
        for _ in range(12):
            [Node() for _ in range(gc.get_threshold()[0] + 1)]
            tasks.collect_as_needed()
        assert full == [2]
    finally:
        if enabled:
            gc.enable()
