"""Writing a review's minutes: one response per question, keeping the question it answered."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

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
