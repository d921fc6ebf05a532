"""The multi-agency audits section of the main window (see ``page.AuditsPage``)."""

from __future__ import annotations

from typing import Any


def install(window: Any) -> None:
    """Add the Audits section to the navigator (the extension API of ``ui/extensions.py``)."""
    from .page import AuditsPage

    window.add_section("audits", "Audits", lambda: AuditsPage(window.db, window.data_changed.emit))
