"""The recommendation tracker, write side: status changes (one or many at once), progress notes,
details (lead, due date, evidence) and recommendations entered by hand from other sources.

The rules live here, not in the screen: a recommendation is complete only with evidence of impact or
an explicit reason why there is none; closing stamps ``closed_on`` and reopening clears it while the
progress notes, the evidence and the change history stay. Every change is recorded by the change
history automatically. A refused change raises ``UserError`` before anything is altered.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from ...errors import UserError
from ...models import (
    OPEN_STATUSES, RECOMMENDATION_STATUSES, Organisation, Person, ProgressNote, Recommendation, SourceKind,
)
from ..stale import refuse_if_stale
from .rows import CLOSED_STATUSES, tracker_rows

UNCHANGED = object()  # "leave this field as it is" in set_details


def _recommendations(session: Session, ids: list[int]) -> list[Recommendation]:
    recs = list(session.scalars(select(Recommendation).where(Recommendation.id.in_(ids))))
    if len(recs) != len(set(ids)):
        raise UserError("A selected recommendation no longer exists; refresh the tracker and try again.")
    return recs


def _references(session: Session, ids: list[int]) -> str:
    refs = [row.reference for row in tracker_rows(session, ids=ids)]
    shown = "; ".join(refs[:3])
    return shown + (f" and {len(refs) - 3} more" if len(refs) > 3 else "")


def set_status(session: Session, ids: int | list[int], status: str, *, today: date | None = None,
               evidence: str = "", no_evidence_reason: str = "") -> int:
    """Give one or more recommendations a new status; returns how many changed.

    For "complete", ``evidence`` / ``no_evidence_reason`` fill in those still without either; if any
    selected recommendation would still have neither, nothing changes at all.
    """
    ids = [ids] if isinstance(ids, int) else list(ids)
    if not ids:
        raise UserError("Select at least one recommendation first.")
    if status not in RECOMMENDATION_STATUSES:
        raise UserError(f"{status!r} is not a status; use one of: {', '.join(RECOMMENDATION_STATUSES)}.")
    today = today or date.today()
    evidence, no_evidence_reason = evidence.strip(), no_evidence_reason.strip()
    recs = _recommendations(session, ids)
    if status == "complete" and not (evidence or no_evidence_reason):
        missing = needs_evidence(session, ids)
        if missing:
            which = _references(session, missing)
            raise UserError(
                f"A recommendation can only be marked complete with evidence of impact or a reason why there "
                f"is none; {which} {'has' if len(missing) == 1 else 'have'} neither.")
    changed = 0
    for rec in recs:
        if rec.status == status:
            continue
        if status == "complete" and not (rec.evidence_of_impact.strip() or rec.no_evidence_reason.strip()):
            if evidence:
                rec.evidence_of_impact = evidence
            else:
                rec.no_evidence_reason = no_evidence_reason
        if status in CLOSED_STATUSES and rec.status not in CLOSED_STATUSES:
            rec.closed_on = today
        elif status in OPEN_STATUSES:
            rec.closed_on = None  # reopened: the history keeps the date it was closed
        rec.status = status
        changed += 1
    session.flush()
    return changed


def add_progress_note(session: Session, rec_id: int, text: str, *, note_date: date | None = None,
                      author: str | None = None, today: date | None = None) -> ProgressNote:
    """A dated progress note; its author is the person using the app (the session's user)."""
    text = text.strip()
    if not text:
        raise UserError("Write the progress to record before adding the note.")
    today = today or date.today()
    note_date = note_date or today
    if note_date > today:
        raise UserError("A progress note cannot be dated in the future.")
    rec = _recommendations(session, [rec_id])[0]
    note = ProgressNote(recommendation=rec, note_date=note_date, text=text,
                        author=author if author is not None else session.info.get("user", ""))
    session.add(note)
    session.flush()
    return note


def set_details(session: Session, rec_id: int, *, text: object = UNCHANGED, lead_person_id: object = UNCHANGED,
                due_date: object = UNCHANGED, evidence_of_impact: object = UNCHANGED,
                no_evidence_reason: object = UNCHANGED, expected_version: int | None = None) -> Recommendation:
    """Change a recommendation's details; fields left UNCHANGED stay as they are. With
    ``expected_version`` (the version the screen loaded) a recommendation changed since is refused
    (``StaleEdit``, carrying its evidence of impact) unless it already holds these details."""
    rec = _recommendations(session, [rec_id])[0]
    new = {
        "text": rec.text if text is UNCHANGED else str(text).strip(),
        "lead_person_id": rec.lead_person_id if lead_person_id is UNCHANGED else lead_person_id,
        "due_date": rec.due_date if due_date is UNCHANGED else due_date,
        "evidence_of_impact": rec.evidence_of_impact if evidence_of_impact is UNCHANGED else str(evidence_of_impact).strip(),
        "no_evidence_reason": rec.no_evidence_reason if no_evidence_reason is UNCHANGED else str(no_evidence_reason).strip(),
    }
    if not new["text"]:
        raise UserError("A recommendation needs its text.")
    if new["lead_person_id"] is not None and session.get(Person, new["lead_person_id"]) is None:
        raise UserError("That lead person no longer exists.")
    if new["due_date"] is not None and not isinstance(new["due_date"], date):
        raise UserError("The due date must be a date.")
    if expected_version is not None and any(getattr(rec, key) != value for key, value in new.items()):
        refuse_if_stale(session, rec, expected_version, "recommendation", rec.evidence_of_impact)
    if rec.status == "complete" and not (new["evidence_of_impact"] or new["no_evidence_reason"]):
        raise UserError("This recommendation is complete, so it keeps its evidence of impact or the reason "
                        "there is none; reopen it first to clear both.")
    for key, value in new.items():
        if getattr(rec, key) != value:
            setattr(rec, key, value)
    session.flush()
    return rec


def add_recommendation(session: Session, *, source_kind_id: int, text: str, reference: str = "",
                       organisation_id: int | None = None, is_partnership: bool = False,
                       lead_person_id: int | None = None, due_date: date | None = None) -> Recommendation:
    """A recommendation from a source outside the app (a practice review, an inspection …)."""
    text, reference = text.strip(), reference.strip()
    if not text:
        raise UserError("Write the recommendation before adding it.")
    kind = session.get(SourceKind, source_kind_id)
    if kind is None:
        raise UserError("Choose where the recommendation comes from.")
    if kind.name in ("Section 11", "Multi-agency audit") and not reference:
        raise UserError(f"{kind.name} recommendations are added in their review or audit; one from an earlier "
                        "exercise needs its reference, such as 'Section 11 2019-20, recommendation 3'.")
    if is_partnership:
        organisation_id = None
    elif organisation_id is None:
        raise UserError("Choose the organisation responsible, or the partnership.")
    elif session.get(Organisation, organisation_id) is None:
        raise UserError("That organisation no longer exists.")
    if lead_person_id is not None and session.get(Person, lead_person_id) is None:
        raise UserError("That lead person no longer exists.")
    rec = Recommendation(source_kind=kind, reference=reference, organisation_id=organisation_id,
                         is_partnership=is_partnership, text=text, lead_person_id=lead_person_id, due_date=due_date)
    session.add(rec)
    session.flush()
    return rec


def needs_evidence(session: Session, ids: list[int]) -> list[int]:
    """Those of ``ids`` with neither evidence of impact nor a no-evidence reason (and not complete)."""
    return [r.id for r in _recommendations(session, ids)
            if r.status != "complete" and not (r.evidence_of_impact.strip() or r.no_evidence_reason.strip())]
