"""Rounds imported from other partnerships are read-only, checked once in the data layer.

A ``before_flush`` listener finds the round of every record a flush would add, change or delete
(its template, panel, reviews with their attendance, contacts and responses, its recommendations
and their progress notes) and refuses the whole flush with one sentence when that round is an
imported one. So every save service — the forms' ``editing.update``, the workshop, the tracker, the
CLI — is refused the same way without a check of its own. The one exception is the round import
itself (``allow_round_import``). The autosave's plain-SQL path for a response already being typed
asks ``refuse_if_read_only`` itself, as it bypasses the ORM.
"""

from __future__ import annotations

from sqlalchemy import event, select
from sqlalchemy.orm import Session

from ...errors import UserError
from ...models import (
    ContactAttempt, NoteContribution, PanelMember, Partnership, ProgressNote, Question, Recommendation,
    ReportAppendix, Representative, Response, ResponseVersion, Review, ReviewPanelPresence, Round, Theme, ThemeTime,
)

_IMPORTING = "lgf_region_importing"


def allow_round_import(session: Session) -> None:
    """Let this session write imported rounds (only the round import calls it)."""
    session.info[_IMPORTING] = True


def _round_id(session: Session, obj: object) -> int | None:
    """The id of the round a record belongs to, following the links the record holds (loaded ones
    first: a flush of typed text costs no query)."""
    if isinstance(obj, Round):
        return obj.id
    if isinstance(obj, (Theme, PanelMember, Review, ReportAppendix)):
        return obj.round_id if obj.round_id is not None else (obj.round.id if obj.round else None)
    if isinstance(obj, Question):
        theme = obj.theme if obj.theme is not None else session.get(Theme, obj.theme_id)
        return _round_id(session, theme) if theme is not None else None
    if isinstance(obj, (ReviewPanelPresence, Representative, ContactAttempt, Response, ThemeTime, NoteContribution)):
        review = obj.review if obj.review is not None else session.get(Review, obj.review_id)
        return _round_id(session, review) if review is not None else None
    if isinstance(obj, ResponseVersion):
        response = session.get(Response, obj.response_id)
        return _round_id(session, response) if response is not None else None
    if isinstance(obj, Recommendation):
        return obj.round_id if obj.round_id is not None else (obj.round.id if obj.round else None)
    if isinstance(obj, ProgressNote):
        rec = obj.recommendation if obj.recommendation is not None else session.get(Recommendation, obj.recommendation_id)
        return _round_id(session, rec) if rec is not None else None
    return None


def read_only_sentence(round_: Round) -> str:
    return (f"Round {round_.label} of {round_.partnership.name} was imported for the regional report and is "
            f"read-only here; changes are made by {round_.partnership.name} and come with their next export.")


def refuse_if_read_only(session: Session, round_id: int | None) -> None:
    if round_id is None or session.info.get(_IMPORTING):
        return
    round_ = session.get(Round, round_id)
    if round_ is not None and round_.read_only:
        raise UserError(read_only_sentence(round_))


def review_is_read_only(session: Session, review_id: int) -> bool:
    return bool(session.scalar(select(Round.read_only).join(Review, Review.round_id == Round.id)
                               .where(Review.id == review_id)))


@event.listens_for(Session, "before_flush")
def _refuse_changes_to_imported_rounds(session: Session, flush_context: object, instances: object) -> None:
    if session.info.get(_IMPORTING):
        return
    seen: set[int] = set()
    for obj in (*session.new, *session.dirty, *session.deleted):
        if isinstance(obj, Partnership) and obj.imported and obj not in session.new:
            raise UserError(f"{obj.name} is known here only through its imported rounds; "
                            "its details come with its next export.")
        round_id = _round_id(session, obj)
        if round_id is not None and round_id not in seen:
            seen.add(round_id)
            refuse_if_read_only(session, round_id)
