"""The multi-agency audits section of the main window (see ``page.AuditsPage``)."""

from __future__ import annotations

from typing import Any


def install(window: Any) -> None:
    """Add the Audits section to the navigator (the extension API of ``ui/extensions.py``)."""

    def build() -> Any:
        # Imported on first show: the page pulls in reportlab (~170 ms), kept out of start-up.
        from .page import AuditsPage

        page = AuditsPage(window.db, window.data_changed.emit)
        # A return imported by the CLI or another window: the open answer shows it (or, with typing
        # waiting to be saved, the save's version check settles it).
        window.data_changed.connect(page.scoring.refresh_from_database)
        return page

    window.add_section("audits", "Audits", build)
