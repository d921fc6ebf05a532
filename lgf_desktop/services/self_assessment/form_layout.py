"""The layout of the self-assessment workbook, shared by the export that writes it and the import
that reads it back: sheet names, the header row, the columns, and the hidden sheet's keys.

``LAYOUT`` names this arrangement; a form whose hidden sheet names another layout, or whose header or
standard cells moved, is refused rather than read into the wrong fields.
"""

from __future__ import annotations

from dataclasses import dataclass

LAYOUT = "s11-self-assessment-standards-1"
FORM_MARK = "LGF Desktop Section 11 self-assessment form"
INSTRUCTIONS_SHEET = "Instructions"
STANDARDS_SHEET = "Standards"
FORM_SHEET = "Form"
HEADER_ROW = 4
FIRST_ROW = 5
MAX_TEXT = 20_000  # as the screens allow for a response


@dataclass(frozen=True)
class Column:
    letter: str
    header: str
    field: str  # the answer's field; "" for the locked columns
    width: float


COLUMNS = (
    Column("A", "No.", "", 4),
    Column("B", "Standard", "", 40),
    Column("C", "Rating", "rating", 14),
    Column("D", "If not applicable: why", "not_applicable_reason", 16),
    Column("E", "Evidence", "evidence", 28),
    Column("F", "What works well", "works_well", 22),
    Column("G", "What needs to improve", "to_improve", 22),
    Column("H", "Planned actions", "actions", 22),
    Column("I", "Action owner", "action_owner", 12),
    Column("J", "Action due date", "action_due", 11),
    Column("K", "Carried forward", "", 13),
)
ANSWER_COLUMNS = tuple(c for c in COLUMNS if c.field)
RATING_COLUMN = "C"
REASON_COLUMN = "D"
DUE_COLUMN = "J"
CARRIED_COLUMN = "K"
LAST_COLUMN = COLUMNS[-1].letter

# The hidden sheet: one key per row in column A, its value in column B; the standards' uuids follow
# in row order from STANDARDS_KEY_ROW.
FORM_KEYS = ("form", "layout", "form_version", "round_uuid", "round", "organisation_uuid", "organisation",
             "carried_from", "standards")
STANDARDS_KEY_ROW = len(FORM_KEYS) + 1


def carried_note(label: str) -> str:
    return f"from {label} — confirm or update"
