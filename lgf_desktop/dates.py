"""Dates as the app writes and reads them: one UK style everywhere (screens, Word, PDF, messages).

"3 Feb 2022" in tables and lists, "3 February 2022" in prose, "February 2022" for a month; never a
leading zero. Month names come from a fixed English table rather than ``strftime``, so the text does
not change with the machine's locale. CSV files are the one exception and use ISO dates
(``iso_date``): Excel and LibreOffice turn "2022-02-03" into a real date cell in every locale.

``parse_date`` is the one reader of a typed date: day first, as in the UK, with a year from 2000 to
2100 (two digits mean 20xx), so "14/03/25" is 14 March 2025 and never the year 25. Anything else is
refused with a sentence that says what to type.
"""

from __future__ import annotations

import re
from datetime import date, datetime

from .errors import UserError

MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December")
SHORT_MONTHS = tuple(m[:3] for m in MONTHS)
FIRST_YEAR, LAST_YEAR = 2000, 2100
QT_DISPLAY_FORMAT = "d MMM yyyy"  # a date picker's text, the same as short_date


def short_date(day: date | None) -> str:
    """'3 Feb 2022' (tables, lists, form fields); '' for no date."""
    return f"{day.day} {SHORT_MONTHS[day.month - 1]} {day.year}" if day else ""


def long_date(day: date | None) -> str:
    """'3 February 2022' (sentences and report prose); '' for no date."""
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}" if day else ""


def month_year(day: date | None) -> str:
    """'February 2022' (a report's month)."""
    return f"{MONTHS[day.month - 1]} {day.year}" if day else ""


def day_month(day: date) -> str:
    """'3 February' (the first date of a range in the same year)."""
    return f"{day.day} {MONTHS[day.month - 1]}"


def short_date_time(moment: datetime | None) -> str:
    """'3 Feb 2022 14:05' (history lists)."""
    return f"{short_date(moment)} {moment:%H:%M}" if moment else ""


def long_date_time(moment: datetime) -> str:
    """'3 February 2022 at 14:05' (sentences)."""
    return f"{long_date(moment)} at {moment:%H:%M}"


def iso_date(day: date | None) -> str:
    """'2022-02-03': CSV only (machine-readable for spreadsheets)."""
    return day.isoformat() if day else ""


def stored_as_shown(text: str | None) -> str:
    """A value as the change history stores it, with an ISO date or date-time shown in the UK style."""
    if not text:
        return ""
    try:
        if len(text) == 10:
            return short_date(date.fromisoformat(text))
        if len(text) == 19 and text[10] in " T":
            return short_date_time(datetime.fromisoformat(text))
    except ValueError:
        pass
    return text


_NUMERIC = re.compile(r"(\d{1,2})\s*[/.\-]\s*(\d{1,2})\s*[/.\-]\s*(\d{2}|\d{4})")
_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_WORDS = re.compile(r"(\d{1,2})(?:st|nd|rd|th)?\s+([A-Za-z]+)\.?,?\s+(\d{2}|\d{4})")
HOW_TO_TYPE = "type it as 14/03/2025, 14/03/25 or 14 March 2025"


def parse_date(text: str) -> date | None:
    """A typed UK date; empty text is no date. Refuses (``UserError``) anything it cannot read
    for certain, naming what was typed."""
    text = " ".join(str(text).split())
    if not text:
        return None
    shown = text if len(text) <= 40 else text[:37] + "…"
    if match := _ISO.fullmatch(text):
        year, month, day = (int(g) for g in match.groups())
    elif match := _NUMERIC.fullmatch(text):
        day, month, year = (int(g) for g in match.groups())
        if len(match.group(3)) == 2:
            year += 2000
    elif match := _WORDS.fullmatch(text):
        day, name, year = int(match.group(1)), match.group(2).lower(), int(match.group(3))
        if len(match.group(3)) == 2:
            year += 2000
        months = [n for n, full in enumerate(MONTHS, 1)
                  if len(name) >= 3 and full.lower().startswith(name)]
        if len(months) != 1:
            raise UserError(f"“{shown}” is not a date: “{match.group(2)}” is not a month; {HOW_TO_TYPE}.")
        month = months[0]
    else:
        raise UserError(f"“{shown}” is not a date; {HOW_TO_TYPE}.")
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise UserError(f"“{shown}” is not a date this app can hold: the year must be between {FIRST_YEAR} "
                        f"and {LAST_YEAR}.")
    if not 1 <= month <= 12:
        raise UserError(f"“{shown}” is not a date: there is no month {month} (the day comes first, as in "
                        "14/03/2025).")
    try:
        return date(year, month, day)
    except ValueError:
        raise UserError(f"“{shown}” is not a date: {MONTHS[month - 1]} {year} has no day {day}.") from None
