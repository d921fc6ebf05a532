"""Another program committing many times in a row (an import elsewhere) makes open screens refresh
a few times, not once per poll, and always once after its last commit."""

from __future__ import annotations

import time

import pytest
from sqlalchemy import select

from lgf_desktop.db import Database
from lgf_desktop.models import Setting
from lgf_desktop.ui import data_watch
from lgf_desktop.ui.data_watch import DataWatcher


@pytest.mark.timing
def test_a_stream_of_commits_elsewhere_refreshes_the_screens_a_few_times_and_after_the_last(qtbot, db, monkeypatch):
    monkeypatch.setattr(data_watch, "SETTLE_MS", 600)
    watcher = DataWatcher(db, interval_ms=20)
    told: list[float] = []
    watcher.changed_elsewhere.connect(lambda: told.append(time.monotonic()))
    elsewhere = Database.open(db.path)
    try:
        start = time.monotonic()
        for n in range(40):  # a commit every 50 ms for two seconds
            with elsewhere.session() as s:
                setting = s.scalar(select(Setting).where(Setting.key == "stream"))
                if setting is None:
                    s.add(Setting(key="stream", value=str(n)))
                else:
                    setting.value = str(n)
            qtbot.wait(50)
        last_commit = time.monotonic()
        qtbot.waitUntil(lambda: told and told[-1] > last_commit, timeout=3000)  # told after the last one
        elapsed = last_commit - start
        assert 2 <= len(told) <= elapsed / 0.6 + 2, told  # not once per 20 ms poll
        assert not watcher.poll()  # nothing left untold
    finally:
        watcher.stop()
        elsewhere.close()
