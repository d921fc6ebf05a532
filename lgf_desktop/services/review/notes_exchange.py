"""Collating panel members' notes: a member exports their notes for a review as an exchange file;
the chair imports it (each note waits as a pending ``NoteContribution``) and merges each one into the
response, by appending it or by taking it as the starting point and editing. The note keeps its
author and says whether it was merged or dismissed.

Each note carries its own identity, the same in every export of that member's notes on that question
(derived from the member's response and name), and when the member last changed it. So importing the
same notes again, in any wrapping (re-zipped, exported again), adds nothing; a later export replaces
the member's earlier notes while they still wait, and after the chair merged or dismissed them adds
only text the member wrote since.
"""

from __future__ import annotations

import json
import uuid as uuid_module
from datetime import datetime
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from ...dates import long_date
from ...errors import UserError
from ...exchange import schemas
from ...exchange.container import Package, write_package
from ...exchange.senders import notes_sealing
from ...keys import MyKey, PublicKey
from ...models import NoteContribution, Response, Review
from ..imported_files import current_import
from ..privacy.leaving import guard, json_pieces
from .workshop import get_review, save_response

KIND = "review-notes"
PART = "notes.json"
_NOTE_IDS = uuid_module.UUID("6f0b6c1e-5d1a-4c52-9a43-1f3c0e7d2b10")  # namespace of note identities


def note_uuid(response_uuid: str, author: str) -> str:
    """The identity of a member's notes on one question: the same in every export they make."""
    return str(uuid_module.uuid5(_NOTE_IDS, f"{response_uuid}|{author.strip().casefold()}"))


def export_notes(session: Session, review_id: int, author: str, path: str | Path, *,
                 override_identifying: bool = False, sender: MyKey | None = None, passphrase: str | None = None,
                 to: PublicKey | None = None) -> tuple[Path, int]:
    """Write this database's responses for a review as the author's notes; returns (path, count)."""
    review = get_review(session, review_id)
    author = author.strip()
    if not author:
        raise UserError("Set your name first, so the chair knows whose notes these are.")
    notes = []
    for question in review.round.questions:
        response = review.response_for(question)
        if response is not None and response.text.strip():
            notes.append({"note_uuid": note_uuid(response.uuid, author), "question_uuid": question.uuid,
                          "theme": question.theme.title, "question": question.text, "text": response.text,
                          "written_at": response.updated_at.isoformat() if response.updated_at else None})
    if not notes:
        raise UserError("There are no notes to export for this review yet.")
    org = review.organisation.name
    body = {"review_uuid": review.uuid, "round_uuid": review.round.uuid, "round": review.round.label,
            "organisation": org, "notes": notes}
    when = f" on {long_date(review.review_date)}" if review.review_date else ""
    parts = {PART: json.dumps(body, ensure_ascii=False, indent=1).encode("utf-8")}
    checked = guard(session, f"{author}'s notes", json_pieces(parts), override=override_identifying,
                    record_uuid=review.uuid)
    written = write_package(
        path, kind=KIND, author=author,
        description=f"{author}'s notes on {len(notes)} question(s) of the peer review of {org}{when} "
                    f"(round {review.round.label}). {checked}",
        scope={"round_uuid": review.round.uuid, "review_uuid": review.uuid, "round": review.round.label,
               "organisation": org},
        parts=parts, sealing=notes_sealing(session, review, sender=sender, passphrase=passphrase, to=to),
    )
    return written, len(notes)


def import_review_notes(session: Session, package: Package) -> str:
    """The importer for "review-notes": every note becomes (or updates) a pending contribution, or nothing does."""
    body = schemas.validate(schemas.ReviewNotes, package.json(PART), "The notes in this file")
    review = session.scalar(select(Review).where(Review.uuid == body.review_uuid))
    if review is None:
        raise UserError(
            f"This file holds notes for a peer review that is not in this database "
            f"({body.organisation[:80]}, round {body.round[:20]}); nothing was imported."
        )
    if package.scope.get("review_uuid") != review.uuid or package.scope.get("round_uuid") != body.round_uuid:
        raise UserError("This file's manifest says it holds notes for another review than it does; it was not imported.")
    if f" {len(body.notes)} question(s)" not in package.manifest["description"]:
        raise UserError("This file's description does not say how many notes it holds; it was not imported.")
    questions = {q.uuid: q for q in review.round.questions}
    record = current_import(session, package)
    author = package.author.strip()[:200] or "a panel member"
    added = updated = 0
    for note in body.notes:
        question = questions.get(note.question_uuid)
        if question is None:
            raise UserError(
                f"This file holds notes for a question that is not in this round's template "
                f"({note.question[:60]}…); nothing was imported."
            )
        if not note.text.strip():
            continue
        written = _when(note.written_at)
        earlier = session.scalars(select(NoteContribution).where(NoteContribution.note_uuid == note.note_uuid)
                                  .order_by(NoteContribution.id.desc()).limit(1)).first()
        if earlier is not None and (earlier.text == note.text or _not_later(written, earlier.written_at)):
            continue  # the same notes again, or older ones than those already here
        if earlier is not None and earlier.status == "pending":
            earlier.text, earlier.written_at, earlier.import_id = note.text, written, record.id
            updated += 1
            continue
        session.add(NoteContribution(review=review, question=question, author=author, text=note.text,
                                     import_id=record.id, note_uuid=note.note_uuid, written_at=written))
        added += 1
    if not added and not updated:
        return f"The notes from {author} for the peer review of {review.organisation.name} are already here; nothing changed."
    changed = f"{added} note(s)" + (f" and {updated} updated" if updated else "")
    return (f"{changed} from {author} for the peer review of {review.organisation.name}, "
            f"waiting to be merged in the workshop.")


def _when(text: str | None) -> datetime | None:
    if text is None:
        return None
    try:
        return datetime.fromisoformat(text).replace(tzinfo=None)
    except ValueError:
        raise UserError("The notes in this file have a damaged date; nothing was imported.") from None


def _not_later(incoming: datetime | None, existing: datetime | None) -> bool:
    return incoming is not None and existing is not None and incoming <= existing


def pending_notes(session: Session, review_id: int, question_id: int | None = None) -> list[NoteContribution]:
    query = select(NoteContribution).where(NoteContribution.review_id == review_id,
                                           NoteContribution.status == "pending")
    if question_id is not None:
        query = query.where(NoteContribution.question_id == question_id)
    return list(session.scalars(query.order_by(NoteContribution.created_at, NoteContribution.id)))


def _pending(session: Session, note_id: int) -> NoteContribution:
    note = session.get(NoteContribution, note_id)
    if note is None or note.status != "pending":
        raise UserError("Those notes were already merged or dismissed.")
    if note.question_id is None:
        raise UserError("The question those notes were for is no longer in the template.")
    return note


def _response_text(session: Session, note: NoteContribution) -> str:
    response = session.scalar(select(Response).where(Response.review_id == note.review_id,
                                                     Response.question_id == note.question_id))
    return response.text if response is not None else ""


def merge_append(session: Session, note_id: int) -> str:
    """Add the member's notes after the chair's response as new paragraphs; returns the new text."""
    note = _pending(session, note_id)
    current = _response_text(session, note).rstrip("\n")
    text = f"{current}\n{note.text.strip(chr(10))}" if current else note.text.strip("\n")
    save_response(session, note.review_id, note.question_id, text)
    note.status = "merged"
    return text


def merge_pick(session: Session, note_id: int, edited_text: str) -> str:
    """Use the member's notes (as the chair edited them) as the response; returns the new text."""
    note = _pending(session, note_id)
    save_response(session, note.review_id, note.question_id, edited_text)
    note.status = "merged"
    return edited_text


def dismiss(session: Session, note_id: int) -> None:
    _pending(session, note_id).status = "dismissed"


def merged_authors(session: Session, review_id: int, question_id: int) -> list[str]:
    """Who contributed merged notes to a question's response."""
    return sorted(set(session.scalars(
        select(NoteContribution.author).where(NoteContribution.review_id == review_id,
                                              NoteContribution.question_id == question_id,
                                              NoteContribution.status == "merged")
    )))
