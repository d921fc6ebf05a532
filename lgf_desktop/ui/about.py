"""Help → About: the app's name and version, where this window's data is, and the licence line."""

from __future__ import annotations

from html import escape

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox, QWidget

from .. import APP_NAME, app_version
from ..error_log import log_path
from ..paths import resource

DESCRIPTION = ("The learning and improvement framework of a children's safeguarding partnership, offline: "
               "Section 11 rounds, peer-review workshops, multi-agency audits and recommendations followed "
               "to completion.")
LICENCE = ("Built with Python (PSF licence) and Qt for Python (LGPL v3); fonts: DejaVu (free licence). "
           "Needs no network and opens no port.")


def about_text(database) -> str:
    """``database``: the file's path or the database's ``storage.Location`` (None before one is open)."""
    rows: list[tuple[str, str]] = []
    if database is not None:
        from ..storage import Location

        location = Location.parse(database)
        rows.append(("Database", location.display))
        if location.is_server:
            from ..storage.postgresql.backend import BACKUPS_ARE_THE_SERVERS

            rows.append(("Backups", BACKUPS_ARE_THE_SERVERS.replace("you can take", "File → Take a snapshot to a "
                                                                    "file… takes")))
        else:
            rows.append(("Backups", str(location.path.parent / "backups")))
    rows.append(("Error log", str(log_path())))
    table = "".join(f"<tr><td style='padding-right:12px'><b>{escape(name)}</b></td><td>{escape(value)}</td></tr>"
                    for name, value in rows)
    return (f"<h3>{escape(APP_NAME)} {escape(app_version())}</h3><p>{escape(DESCRIPTION)}</p>"
            f"<table>{table}</table><p style='color:#555'>{escape(LICENCE)}</p>")


def app_icon():
    """The app's icon in the sizes shipped with it (the window's title bar, task bar and this box)."""
    from PySide6.QtGui import QIcon

    icon = QIcon()
    for size in (16, 24, 32, 48, 64, 128, 256):
        icon.addFile(str(resource(f"icons/lgf-desktop-{size}.png")))
    return icon


def about_box(parent: QWidget | None, database) -> QMessageBox:
    box = QMessageBox(parent)
    box.setWindowTitle(f"About {APP_NAME}")
    box.setTextFormat(Qt.TextFormat.RichText)
    box.setText(about_text(database))
    # Wide enough for a full data path on one line (a path broken mid-name reads as two).
    box.setStyleSheet("QLabel#qt_msgbox_label { min-width: 600px; }")
    box.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)  # IT staff copy the paths
    icon = parent.windowIcon() if parent is not None else None
    if icon is not None and not icon.isNull():
        box.setIconPixmap(icon.pixmap(64, 64))
    box.setStandardButtons(QMessageBox.StandardButton.Ok)
    return box
