"""Extra panels other features add to the workshop window's right column.

Each is a QWidget class the workshop builds as ``Class(db, review_id, parent)`` and shows as one
more tab beside the clock and attendance. The class's ``windowTitle()`` (or its class name) is the
tab's title. A panel that wants to follow the chair may define ``set_question(question_id)``; the
workshop calls it whenever a question opens.
"""

from __future__ import annotations

from PySide6.QtWidgets import QWidget


def panel_classes() -> list[type[QWidget]]:
    # Imported when a workshop opens, not when the workshop module loads: the tracker's panel is
    # not needed before then.
    from ..tracker.carry_forward import CarryForwardPanel

    return [CarryForwardPanel]
