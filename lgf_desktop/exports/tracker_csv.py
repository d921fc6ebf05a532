"""The tracker as a CSV file for Excel: UTF-8 with a byte-order mark (so Excel shows "é" and "’"
correctly), a header row, one row per recommendation, dates as YYYY-MM-DD. Cells that a spreadsheet
would run as a formula are neutralised (see ``_cell``)."""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

from sqlalchemy.orm import Session

from ..atomic import atomic_write
from ..dates import iso_date
from ..services.privacy.leaving import Place, guard
from ..services.tracker.rows import TrackerRow

HEADER = (
    "Reference", "Source", "Organisation", "Recommendation", "Lead", "Due date", "Status", "Follow-up",
    "Progress notes", "Latest progress", "Latest progress date", "Evidence of impact", "No-evidence reason",
    "Closed on",
)


def _iso(value: date | None) -> str:
    return iso_date(value)


# A cell starting with one of these is run as a formula by Excel or LibreOffice (TAB and CR too: Excel
# drops them and reads what follows; "- item" is a formula to Excel as well). The OWASP advice: a
# leading apostrophe, which the spreadsheet shows as text and does not display.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _cell(text: str) -> str:
    return "'" + text if text.startswith(_FORMULA_START) else text


def csv_rows(rows: list[TrackerRow], today: date) -> list[list[str]]:
    return [
        [_cell(value) for value in (
            row.reference, row.source, row.organisation_full, row.text, row.lead, _iso(row.due_date), row.status,
            row.urgency(today), str(row.note_count), row.last_note, _iso(row.last_note_date),
            row.evidence_of_impact, row.no_evidence_reason, _iso(row.closed_on),
        )]
        for row in rows
    ]


def typed_pieces(rows: list[TrackerRow]) -> list[tuple[Place, str]]:
    """The text people typed into the recommendations that an export prints (dates and numbers the
    app formats itself are not scanned: every due date would look like a date of birth)."""
    fields = ("text", "lead", "organisation_full", "evidence_of_impact", "no_evidence_reason", "last_note")
    return [(Place(f"recommendation {row.reference}, {name.replace('_', ' ')}", "recommendation", "", name),
             getattr(row, name)) for row in rows for name in fields]


def write_tracker_csv(session: Session, rows: list[TrackerRow], target: str | Path, *, today: date | None = None,
                      override_identifying: bool = False) -> Path:
    today = today or date.today()
    body = csv_rows(rows, today)
    guard(session, "The recommendation tracker", typed_pieces(rows), override=override_identifying)

    def write(temp: Path) -> None:
        with temp.open("w", encoding="utf-8-sig", newline="") as fh:
            writer = csv.writer(fh, dialect="excel")
            writer.writerow(HEADER)
            writer.writerows(body)

    return atomic_write(target, write)
