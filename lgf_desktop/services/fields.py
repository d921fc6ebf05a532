"""The checks a value typed into one field goes through before a form saves it (no Qt).

A check takes the session, the record and the typed value, and returns the value to store or raises
``UserError`` with one plain sentence. Each feature keeps its records' checks in its own package
(``review/fields.py``: rounds, themes, questions, reviews, representatives); the records every feature
shares (organisations, people, the partnership) keep theirs here. ``editing.update`` runs them.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from sqlalchemy.orm import Session

from ..errors import UserError
from ..models import SECTORS, Base, Organisation, Partnership, Person
from .region.organisations import clean_ods_code

Check = Callable[[Session, Any, Any], Any]
FieldChecks = dict[type[Base], dict[str, Check]]


def required(sentence: str) -> Check:
    """Text that may not be left empty (surrounding spaces are dropped)."""

    def check(session: Session, record: Any, value: Any) -> Any:
        if isinstance(value, str):
            value = value.strip()
            if not value:
                raise UserError(sentence)
        return value

    return check


def one_of(choices: Sequence[str]) -> Check:
    """A value picked from a fixed list."""

    def check(session: Session, record: Any, value: Any) -> Any:
        if value not in choices:
            raise UserError(f"{value!r} is not one of: {', '.join(choices)}.")
        return value

    return check


SHARED_FIELDS: FieldChecks = {
    Organisation: {"name": required("An organisation needs a name."), "sector": one_of(SECTORS),
                   "ods_code": lambda session, record, value: clean_ods_code(value)},
    Person: {"name": required("A person needs a name.")},
    Partnership: {"name": required("The partnership needs a name.")},
}
