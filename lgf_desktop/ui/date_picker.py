"""The one look of a date picker: "3 Feb 2022", as ``dates.short_date`` writes dates in tables and
exports, whatever the locale.

Qt writes a picker's month with its locale's abbreviation, and the UK English locale the app sets
(``app.main``) abbreviates September as "Sept", while every table, list and export says "Sep"
(``dates.SHORT_MONTHS``): the audit's end date read "26 Sept 2025" beside "26 Sep 2025" in the
tracker. A picker uses the C locale instead: the fixed English month names, and a week that starts on
Monday, as in the UK."""

from __future__ import annotations

from PySide6.QtCore import QLocale
from PySide6.QtWidgets import QDateEdit

from ..dates import QT_DISPLAY_FORMAT


def uk_date_picker(edit: QDateEdit) -> QDateEdit:
    """``edit`` showing dates as the rest of the app does (returned, for use in an expression)."""
    edit.setLocale(QLocale.c())
    edit.setDisplayFormat(QT_DISPLAY_FORMAT)
    return edit
