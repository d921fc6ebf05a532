"""Collating panel members' notes: a member exports their notes for a review as an exchange file;
the chair imports it (each note waits as a pending ``NoteContribution``) and merges each one into the
response, by appending it or by taking it as the starting point and editing. The note keeps its
author and says whether it was merged or dismissed.
"""

from __future__ import annotations

import json
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..errors import UserError
from ..exchange.container import Package, write_package
from ..exchange.senders import notes_sealing
from ..keys import MyKey, PublicKey
from ..exchange.importers import current_import
from ..models import NoteContribution, Response, Review
from .leaving import guard, json_pieces
from .workshop import get_review, save_response

KIND = "review-notes"
PART = "notes.json"
MAX_NOTES = 500


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
            notes.append({"question_uuid": question.uuid, "theme": question.theme.title,
                          "question": question.text, "text": response.text})
    if not notes:
        raise UserError("There are no notes to export for this review yet.")
    org = review.organisation.name
    body = {"review_uuid": review.uuid, "round_uuid": review.round.uuid, "round": review.round.label,
            "organisation": org, "notes": notes}
    when = f" on {review.review_date:%d %B %Y}" if review.review_date else ""
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
    """The importer for "review-notes": every note becomes a pending contribution, or nothing does."""
    body = package.json(PART)
    if not isinstance(body, dict) or not isinstance(body.get("notes"), list):
        raise UserError("The notes in this exchange file are not in the expected form.")
    review = session.scalar(select(Review).where(Review.uuid == str(body.get("review_uuid", ""))))
    if review is None or package.scope.get("review_uuid") != review.uuid:
        raise UserError(
            f"This file holds notes for a peer review that is not in this database "
            f"({str(body.get('organisation', 'unknown'))[:80]}, round {str(body.get('round', '?'))[:20]}); nothing was imported."
        )
    if len(body["notes"]) > MAX_NOTES:
        raise UserError("This file holds far more notes than a review has questions; nothing was imported.")
    questions = {q.uuid: q for q in review.round.questions}
    record = current_import(session, package)
    author = package.author.strip()[:200] or "a panel member"
    count = 0
    for note in body["notes"]:
        if not isinstance(note, dict) or not isinstance(note.get("text"), str):
            raise UserError("The notes in this exchange file are not in the expected form.")
        question = questions.get(note.get("question_uuid"))
        if question is None:
            raise UserError(
                f"This file holds notes for a question that is not in this round's template "
                f"({str(note.get('question', ''))[:60]}…); nothing was imported."
            )
        if note["text"].strip():
            session.add(NoteContribution(review=review, question=question, author=author, text=note["text"],
                                         import_id=record.id))
            count += 1
    return (f"{count} note(s) from {author} for the peer review of {review.organisation.name}, "
            f"waiting to be merged in the workshop.")


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
