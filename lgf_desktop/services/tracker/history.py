"""The full history of one recommendation, in words: its progress notes merged with every change
the change history recorded for it (status, due date, evidence, reopening …), newest first."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timezone

from sqlalchemy.orm import Session

from ...dates import short_date
from ...errors import UserError
from ...history import history_of
from ...models import Organisation, Person, Recommendation


@dataclass(frozen=True)
class HistoryEntry:
    when: datetime
    who: str
    kind: str  # "progress" for a progress note, "change" for a recorded change
    text: str


FIELD_WORDS = {
    "status": "Status", "due_date": "Due date", "lead_person_id": "Lead", "evidence_of_impact": "Evidence of impact",
    "no_evidence_reason": "No-evidence reason", "closed_on": "Closed on", "text": "Recommendation text",
    "organisation_id": "Organisation", "reference": "Reference", "source_kind_id": "Source",
}


def _change_words(session: Session, field: str, old: str | None, new: str | None) -> str:
    name = FIELD_WORDS.get(field, field.replace("_", " ").capitalize())
    if field == "lead_person_id":
        old, new = (session.get(Person, int(v)).name if v and session.get(Person, int(v)) else v for v in (old, new))
    if field == "organisation_id":
        old, new = (session.get(Organisation, int(v)).name if v and session.get(Organisation, int(v)) else v
                    for v in (old, new))
    if field in ("due_date", "closed_on"):
        old, new = (short_date(date.fromisoformat(v)) if v else v for v in (old, new))
    if not old:
        return f"{name} set to {new}"
    if not new:
        return f"{name} cleared (was {old})"
    return f"{name} changed from {old} to {new}"


def recommendation_history(session: Session, rec_id: int) -> list[HistoryEntry]:
    """The full history of one recommendation, newest first: its progress notes and every recorded
    change to it (status, due date, evidence, reopening …)."""
    rec = session.get(Recommendation, rec_id)
    if rec is None:
        raise UserError("That recommendation no longer exists.")
    entries = [
        HistoryEntry(datetime.combine(note.note_date, datetime.min.time()), note.author, "progress", note.text)
        for note in rec.progress_notes
    ]
    for change in history_of(session, rec):
        if change.action == "insert":
            text = "Recommendation recorded"
        elif change.action == "delete":
            text = "Recommendation deleted"
        else:
            text = _change_words(session, change.field, change.old_value, change.new_value)
        # recorded in UTC; shown in the local time the user lives in
        local = change.at.replace(tzinfo=timezone.utc).astimezone().replace(tzinfo=None)
        entries.append(HistoryEntry(local, change.who, "change", text))
    # Newest first; on one day progress notes (dated, no time) after that day's changes.
    entries.sort(key=lambda e: (e.when.date(), e.kind == "change", e.when), reverse=True)
    return entries
