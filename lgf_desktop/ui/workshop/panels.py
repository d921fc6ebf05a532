"""Extra panels other features add to the workshop window's right column.

Each entry names a QWidget class as ``"module:Class"``; the workshop builds it as
``Class(db, review_id, parent)`` and shows it as one more tab beside the clock and attendance.
The class's ``windowTitle()`` (or its class name) is the tab's title. A panel that wants to follow
the chair may define ``set_question(question_id)``; the workshop calls it whenever a question opens.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

WORKSHOP_PANELS: list[str] = [
    "lgf_desktop.ui.tracker.carry_forward:CarryForwardPanel",
]


def panel_classes() -> list[Any]:
    classes = []
    for name in WORKSHOP_PANELS:
        module, cls = name.split(":")
        classes.append(getattr(import_module(module), cls))
    return classes
