"""What a form may type into a round's, a theme's, a question's, a review's and a representative's
fields: each check returns the value to store or refuses it with one sentence (``services.fields``
says how; ``editing.update`` runs them)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ...errors import UserError
from ...models import (
    REPRESENTATIVE_KINDS, REVIEW_STATUSES, Question, ReportAppendix, Representative, Review, Round, Theme,
)
from ..fields import FieldChecks, one_of, required
from .appendices import TEMPLATE, clean_title
from .report_texts import ROUND_TEXTS, check_placeholders
from .round_rules import ROUND_KINDS
from .workshop import clean_note

_round_label_given = required("A round needs a label, such as 2025-26.")


def _round_label(session: Session, round_: Round, value: Any) -> Any:
    value = _round_label_given(session, round_, value)
    clash = session.scalar(select(Round.id).where(Round.label == value, Round.id != round_.id,
                                                  Round.partnership_id == round_.partnership_id))
    if clash:
        raise UserError(f"There is already a round labelled {value}.")
    return value


def _cycle_year(session: Session, round_: Round, value: Any) -> Any:
    if value not in (1, 2, 3):
        raise UserError("The cycle year is 1, 2 or 3.")
    return value


def _workshop_minutes(session: Session, round_: Round, value: Any) -> Any:
    if not 10 <= int(value) <= 600:
        raise UserError("A workshop lasts between 10 and 600 minutes.")
    return value


def _review_organisation(session: Session, review: Review, value: Any) -> Any:
    if value != review.organisation_id:
        clash = session.scalar(select(Review.id).where(Review.round_id == review.round_id,
                                                       Review.organisation_id == value))
        if clash:
            raise UserError("That organisation already has a review in this round.")
    return value


def _report_text(field: str) -> Any:
    """A round's report text: a placeholder the report cannot fill is refused as it is typed."""
    def check(session: Session, round_: Round, value: Any) -> Any:
        check_placeholders(field, value)
        return value
    return check


def _appendix_title(appendix: ReportAppendix, value: Any) -> Any:
    return clean_title(value) if appendix.kind != TEMPLATE else value


def _appendix_text(value: Any) -> Any:
    check_placeholders("appendix", value)
    return value


REVIEW_FIELDS: FieldChecks = {
    Round: {"label": _round_label, "kind": one_of(ROUND_KINDS), "cycle_year": _cycle_year,
            "workshop_minutes": _workshop_minutes, **{field: _report_text(field) for field in ROUND_TEXTS}},
    Theme: {"title": required("A theme needs a title.")},
    Question: {"text": required("A question needs some text.")},
    Review: {"status": one_of(REVIEW_STATUSES), "organisation_id": _review_organisation},
    ReportAppendix: {"title": lambda session, appendix, value: _appendix_title(appendix, value),
                     "text": lambda session, appendix, value: _appendix_text(value)},
    Representative: {"name": required("A representative needs a name."), "kind": one_of(REPRESENTATIVE_KINDS),
                     "note": lambda session, rep, value: clean_note(value)},
}
