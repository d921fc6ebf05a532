"""Small edits the forms make, one function per user action, each taking a session (no Qt).

Every function raises ``UserError`` with one plain sentence on bad input and then changes nothing
(the caller's session is rolled back). The change history is written by the data layer, not here.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ..errors import UserError
from ..models import (
    REPRESENTATIVE_KINDS, Base, ContactAttempt, Organisation, PanelMember, Partnership, Person, Question,
    Representative, Review, ReviewPanelPresence, Round, Theme,
)
from .fields import SHARED_FIELDS, FieldChecks
from .review.fields import REVIEW_FIELDS
from .review.rounds import add_panel_member, move, set_chair, the_partnership
from .stale import refuse_if_stale

# Each feature's fields, checked before a form's value is stored (the checks live with the feature).
FIELD_CHECKS: FieldChecks = {**SHARED_FIELDS, **REVIEW_FIELDS}


def get(session: Session, model: type[Base], record_id: int) -> Any:
    record = session.get(model, record_id)
    if record is None:
        raise UserError(f"That {model.__tablename__.replace('_', ' ')} no longer exists; it may have been deleted.")
    return record


def update(session: Session, model: type[Base], record_id: int, expected_version: int | None = None,
           **values: Any) -> Any:
    """Set fields of one record, after checking the values a person could get wrong.

    With ``expected_version`` (the version the form loaded), a record changed since is refused with
    ``StaleEdit`` (carrying the field's current value when one field is saved) unless it already holds
    these values; the form then refreshes or asks which text to keep."""
    record = get(session, model, record_id)
    if expected_version is not None and any(getattr(record, f) != v for f, v in values.items()):
        current = getattr(record, next(iter(values))) if len(values) == 1 else None
        refuse_if_stale(session, record, expected_version, _what(model, values),
                        current if isinstance(current, str) else None)
    checks = FIELD_CHECKS.get(model, {})
    for field, value in values.items():
        if field in checks:
            value = checks[field](session, record, value)
        if getattr(record, field) != value:
            setattr(record, field, value)
    session.flush()
    return record


def _what(model: type[Base], values: dict[str, Any]) -> str:
    """The record a form saves, in the words the stale-save sentence uses."""
    name = model.__tablename__.replace("_", " ")
    if len(values) == 1:
        return f"{name}'s {next(iter(values)).replace('_', ' ')}"
    return name


def set_partnership(session: Session, name: str, region: str = "") -> Partnership:
    name = name.strip()
    if not name:
        raise UserError("The partnership needs a name.")
    partnership = the_partnership(session)
    if partnership is None:
        partnership = Partnership(name=name, region=region.strip())
        session.add(partnership)
    else:
        partnership.name, partnership.region = name, region.strip()
    session.flush()
    return partnership


def add_organisation(session: Session, name: str, short_name: str = "", sector: str = "Other") -> Organisation:
    name = name.strip()
    if not name:
        raise UserError("An organisation needs a name.")
    if session.scalar(select(Organisation.id).where(func.lower(Organisation.name) == name.lower())):
        raise UserError(f"There is already an organisation called {name}.")
    org = Organisation(name=name, short_name=short_name.strip(), sector=sector)
    session.add(org)
    session.flush()
    return org


def add_person(session: Session, name: str, role_title: str = "", organisation_id: int | None = None) -> Person:
    name = name.strip()
    if not name:
        raise UserError("A person needs a name.")
    person = Person(name=name, role_title=role_title.strip(), organisation_id=organisation_id)
    session.add(person)
    session.flush()
    return person


def add_theme(session: Session, round_id: int, title: str) -> Theme:
    round_ = get(session, Round, round_id)
    if not title.strip():
        raise UserError("A theme needs a title.")
    theme = Theme(title=title.strip(), position=len(round_.themes))
    round_.themes.append(theme)
    session.flush()
    return theme


def add_question(session: Session, theme_id: int, text: str) -> Question:
    theme = get(session, Theme, theme_id)
    if not text.strip():
        raise UserError("A question needs some text.")
    question = Question(text=text.strip(), position=len(theme.questions))
    theme.questions.append(question)
    session.flush()
    return question


def prompt_lines(text: str) -> list[str]:
    """Sub-prompts typed one per line, as they are stored: each trimmed, blank lines left out."""
    return [p.strip() for p in text.splitlines() if p.strip()]


def set_sub_prompts(session: Session, question_id: int, prompts: list[str]) -> Question:
    question = get(session, Question, question_id)
    cleaned = prompt_lines("\n".join(prompts))
    if question.sub_prompts != cleaned:
        question.sub_prompts = cleaned
    session.flush()
    return question


def move_theme(session: Session, theme_id: int, delta: int) -> bool:
    theme = get(session, Theme, theme_id)
    moved = move(theme.round.themes, theme, delta)
    session.flush()
    return moved


def move_question(session: Session, question_id: int, delta: int) -> bool:
    question = get(session, Question, question_id)
    moved = move(question.theme.questions, question, delta)
    session.flush()
    return moved


def add_to_panel(session: Session, round_id: int, person_id: int, chair: bool = False) -> PanelMember:
    round_ = get(session, Round, round_id)
    person = get(session, Person, person_id)
    member = set_chair(round_, person) if chair else add_panel_member(round_, person)
    session.flush()
    return member


def add_review(session: Session, round_id: int, organisation_id: int) -> Review:
    round_ = get(session, Round, round_id)
    organisation = get(session, Organisation, organisation_id)
    if any(r.organisation_id == organisation.id for r in round_.reviews):
        raise UserError(f"{organisation.name} already has a review in round {round_.label}.")
    review = Review(round=round_, organisation=organisation, position=len(round_.reviews),
                    duration_minutes=round_.workshop_minutes)
    session.add(review)
    session.flush()
    return review


def set_present(session: Session, review_id: int, panel_member_id: int, present: bool) -> None:
    review = get(session, Review, review_id)
    current = next((p for p in review.panel_present if p.panel_member_id == panel_member_id), None)
    if present and current is None:
        member = get(session, PanelMember, panel_member_id)
        if member.round_id != review.round_id:
            raise UserError("Only members of this round's panel can be present at its reviews.")
        review.panel_present.append(ReviewPanelPresence(panel_member=member))
    elif not present and current is not None:
        review.panel_present.remove(current)
    session.flush()


def add_representative(session: Session, review_id: int, name: str, role: str = "",
                       kind: str = "attended") -> Representative:
    review = get(session, Review, review_id)
    if not name.strip():
        raise UserError("A representative needs a name.")
    if kind not in REPRESENTATIVE_KINDS:
        raise UserError(f"{kind!r} is not one of: {', '.join(REPRESENTATIVE_KINDS)}.")
    rep = Representative(name=name.strip(), role=role.strip(), kind=kind, position=len(review.representatives))
    review.representatives.append(rep)
    session.flush()
    return rep


def add_contact_attempt(session: Session, review_id: int, when: date, channel: str = "email",
                        offered: str = "", response: str = "", contact_name: str = "") -> ContactAttempt:
    review = get(session, Review, review_id)
    if when is None:
        raise UserError("A contact attempt needs its date.")
    attempt = ContactAttempt(contact_date=when, channel=channel.strip() or "email", offered=offered.strip(),
                             response=response.strip(), contact_name=contact_name.strip())
    review.contact_attempts.append(attempt)
    session.flush()
    return attempt

