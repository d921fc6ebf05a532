"""Feature modules that plug into the main window (workshop, exports, audits, tracker).

Each feature module has a function ``install(window)`` that adds the feature's menu actions,
navigator sections and review actions through the main window's extension API:

- ``window.db`` — the open ``Database``;
- ``window.menu(title) -> QMenu`` — a top-level menu, created on first use (e.g. "&Export");
- ``window.add_section(key, title, factory)`` — a top-level navigator entry showing the widget
  ``factory()`` builds (built once, on first show);
- ``window.add_review_action(text, shortcut, callback)`` — an action on the selected review (menu
  item and button on the review page); ``callback(review_id)``;
- ``window.current_round_id()`` / ``window.current_review_id()`` — the navigator's selection;
- ``window.data_changed`` — Signal(str) emitted after anyone commits changes (a table name or "*"),
  so each view refreshes itself.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

Install = Callable[[Any], None]


def installers() -> list[Install]:
    """The feature modules' ``install`` functions, in menu order."""
    # Imported here, once the database is open: the window paints first without them. Each module
    # keeps its own heavy imports (python-docx, reportlab, its pages) inside its actions.
    from .audit import install as install_audits
    from .encryption import install as install_encryption
    from .export_dialog import install as install_exports
    from .region import install as install_region
    from .regional import install as install_regional
    from .sharing import install as install_sharing
    from .tracker import install as install_tracker
    from .workshop.extension import install as install_workshop

    return [install_encryption, install_sharing, install_workshop, install_audits, install_tracker, install_exports,
            install_region, install_regional]


def install_all(window: Any) -> None:
    for install in installers():
        install(window)
