"""Feature modules that plug into the main window (workshop, exports, audits, tracker).

Each entry names a function ``install(window)`` that adds the feature's menu actions, navigator
sections and review actions through the main window's extension API:

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

from importlib import import_module
from typing import Any

EXTENSIONS: list[str] = [
    "lgf_desktop.ui.workshop.extension:install",
    "lgf_desktop.ui.audit:install",
    "lgf_desktop.ui.tracker:install",
    "lgf_desktop.ui.export_dialog:install",
]


def install_all(window: Any) -> None:
    for name in EXTENSIONS:
        module, function = name.split(":")
        getattr(import_module(module), function)(window)
