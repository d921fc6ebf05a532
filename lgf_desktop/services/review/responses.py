"""Writing a review's minutes: one response per question, keeping the question it answered, and the
marks the chair puts on a question: answered together with the one above, or left blank on purpose."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from ...errors import UserError
from ...models import Question, Response, Review


def set_response(session: Session, review: Review, question: Question, text: str) -> Response:
    """Store the response text for a question, creating it (with a copy of the question) if new."""
    response = session.scalar(
        select(Response).where(Response.review_id == review.id, Response.question_id == question.id)
    )
    if response is None:
        response = Response(
            review=review, question=question, question_text=question.text, theme_title=question.theme.title
        )
        session.add(response)
    if response.text != text:
        response.text = text
    return response


def _response_row(session: Session, review: Review, question_id: int) -> tuple[Question, Response]:
    question = session.get(Question, question_id)
    if question is None or question.theme.round_id != review.round_id:
        raise UserError("That question is no longer in this round's template.")
    response = session.scalar(select(Response).where(Response.review_id == review.id,
                                                     Response.question_id == question.id))
    if response is None:  # the mark is kept on the response, made (empty) for it
        response = set_response(session, review, question, "")
    return question, response


def set_answered_above(session: Session, review: Review, question_id: int, answered: bool) -> Response:
    """Mark a question as answered together with the one above it in its theme (the seed report's one
    response covering two questions): the report merges their Responses cells, printing the response
    above followed by anything typed under this one."""
    question, response = _response_row(session, review, question_id)
    if answered and question.position == min(q.position for q in question.theme.questions):
        raise UserError(f"“{_short(question.text)}” is the first question of its theme: there is no question "
                        "above it in the theme to share a response with.")
    if response.answered_above != answered:
        response.answered_above = answered
    return response


def set_not_discussed(session: Session, review: Review, question_id: int, not_discussed: bool) -> Response:
    """Mark a question as left blank on purpose (not discussed): the report prints its Responses cell
    empty, as the seed report does, instead of "No response was recorded.", and warns of nothing."""
    _question, response = _response_row(session, review, question_id)
    if response.not_discussed != not_discussed:
        response.not_discussed = not_discussed
    return response


def _short(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= 60 else text[:57].rstrip() + "…"
