"""Drafts: text typed where a record is made only when the person says so (no Qt).

A new recommendation is added when the chair presses Enter, a progress note when "Add progress note"
is pressed, an audit's training link when "Add link" is; until then what is typed is a draft, saved as it is typed (on the one autosave, checked
against what the screen last read, journalled), shown again when the screen comes back to the same
place, after a restart or a crash too. No half-made recommendation or note is created meanwhile; the
code that makes the record clears its draft in the same transaction (``clear_draft``).
"""

from __future__ import annotations

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from ..errors import UserError
from ..models import Draft

MAX_DRAFT_CHARS = 20_000  # as a response: the longest a recommendation or note could become


def new_recommendation_place(review_id: int, question_id: int) -> str:
    """The line under a workshop question where its next recommendation is typed."""
    return f"new-recommendation/{review_id}/{question_id}"


def partnership_recommendation_place(round_id: int) -> str:
    """The line where the round's next partnership recommendation is typed."""
    return f"new-partnership-recommendation/{round_id}"


def progress_note_place(recommendation_id: int) -> str:
    """The tracker's box where a recommendation's next progress note is typed."""
    return f"progress-note/{recommendation_id}"


def new_link_place(audit_id: int, part: str) -> str:
    """The boxes on an audit's details where its next training or resource link is typed: its
    ``part`` is "title" or "address"."""
    return f"new-link-{part}/{audit_id}"


def draft_text(session: Session, place: str) -> str:
    return session.scalar(select(Draft.text).where(Draft.place == place)) or ""


def draft_texts(session: Session, places: list[str]) -> dict[str, str]:
    """The drafts of several places read at once (a place without one: '')."""
    found = {place: text for place, text in session.execute(select(Draft.place, Draft.text)
                                                            .where(Draft.place.in_(places)))}
    return {place: found.get(place, "") for place in places}


def save_draft(session: Session, place: str, text: str) -> None:
    """Keep ``text`` as the draft of ``place``; an empty (or blank) text leaves no draft."""
    if len(text) > MAX_DRAFT_CHARS:
        raise UserError(f"This text can hold at most {MAX_DRAFT_CHARS:,} characters (it has {len(text):,}); "
                        "the rest was not saved: shorten it.")
    if not text.strip():
        clear_draft(session, place)
        return
    draft = session.scalar(select(Draft).where(Draft.place == place))
    if draft is None:
        session.add(Draft(place=place, text=text))
    elif draft.text != text:
        draft.text = text
    session.flush()


def clear_draft(session: Session, place: str) -> None:
    """The draft became its record (or was emptied): forget it."""
    session.execute(delete(Draft).where(Draft.place == place))
