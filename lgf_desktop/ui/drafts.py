"""A draft's text box on the one autosave (``ui/autosave.py``): the line where a new recommendation
is typed, the box where a progress note is typed. What is typed is saved as a draft within a second
(``services.drafts``), journalled meanwhile, and shown again when the screen comes back to the same
place; making the record (Enter, "Add progress note") clears the draft in the same transaction."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from ..models import Draft
from ..services.drafts import save_draft
from .autosave import SaveTarget, refuse_if_field_changed


def draft_record(place: str) -> str:
    """The recovery journal's name for a draft."""
    return f"draft/{place}"


def draft_target(place: str, label: str, text: str) -> SaveTarget:
    """Where a draft's box saves: ``place``'s draft, shown as ``text``; refused (a conflict) when the
    draft was changed elsewhere since this screen read or wrote it."""
    target = SaveTarget(draft_record(place), "text", label, None, None, key=place, what="draft", written=text)

    def save(session: Any, text: str, _version: int | None) -> None:
        record = session.scalar(select(Draft).where(Draft.place == place))
        refuse_if_field_changed(session, record, record.text if record is not None else "", target, text)
        save_draft(session, place, text)

    target.save = save
    return target
