"""The person's own settings on this machine (window layout, column widths, the audit grid's move
direction): one QSettings store, reachable from any screen without importing the main window."""

from __future__ import annotations

from PySide6.QtCore import QSettings

SETTINGS_ORG = "LGF Desktop"


def settings() -> QSettings:
    return QSettings(SETTINGS_ORG, "LGF Desktop")
