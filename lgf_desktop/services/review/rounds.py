"""Rounds and their question templates: creating, copying, editing, and checking a round."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session, joinedload, selectinload

from ...errors import UserError
from ...models import PanelMember, Partnership, Person, Question, Recommendation, ReportAppendix, Review, Round, Theme
from ...paths import shipped_data
from .round_rules import problems_of

DEFAULT_TEMPLATE = "s11_peer_review_2021_22.json"


def shipped_json(name: str) -> dict[str, Any]:
    return json.loads(shipped_data(name).read_text(encoding="utf-8"))


def default_texts() -> dict[str, str]:
    return shipped_json("s11_texts.json")


def the_partnership(session: Session) -> Partnership | None:
    """The partnership this database belongs to (one per database; a regional database also holds
    partnerships known only through their imported rounds, which are never it)."""
    return session.scalar(select(Partnership).where(Partnership.imported.is_(False)).order_by(Partnership.id).limit(1))


def apply_template(round_: Round, template: dict[str, Any]) -> None:
    """Append a template's themes and questions (the shipped JSON shape) to a round."""
    start = len(round_.themes)
    for t_index, theme_data in enumerate(template["themes"]):
        theme = Theme(title=theme_data["title"], position=start + t_index)
        for q_index, q in enumerate(theme_data["questions"]):
            question = Question(text=q["text"], position=q_index)
            question.sub_prompts = q.get("sub_prompts", [])
            theme.questions.append(question)
        round_.themes.append(theme)


def template_of(round_: Round) -> dict[str, Any]:
    """A round's template in the shipped JSON shape (used to copy it into a new round)."""
    return {
        "themes": [
            {"title": t.title, "questions": [{"text": q.text, "sub_prompts": q.sub_prompts} for q in t.questions]}
            for t in round_.themes
        ]
    }


def create_round(
    session: Session,
    label: str,
    *,
    copy_from: Round | None = None,
    use_default_template: bool = True,
    cycle_year: int = 2,
    kind: str = "peer review",
    report_month: date | None = None,
) -> Round:
    """A new round of this database's partnership, its template copied from an earlier round or
    the shipped default. The copy is independent: editing it never changes the source round."""
    label = label.strip()
    if not label:
        raise UserError("A round needs a label, such as 2025-26.")
    partnership = the_partnership(session)
    if partnership is None:
        raise UserError("Set up the partnership before creating a round.")
    exists = session.scalar(select(Round).where(Round.partnership_id == partnership.id, Round.label == label))
    if exists:
        raise UserError(f"There is already a round labelled {label}.")
    texts = default_texts()
    round_ = Round(
        partnership=partnership,
        label=label,
        cycle_year=cycle_year,
        kind=kind,
        report_month=report_month,
        background_text=copy_from.background_text if copy_from else texts["background"],
        methodology_intro=copy_from.methodology_intro if copy_from else "",
        template_cover_text=copy_from.template_cover_text if copy_from else texts["template_cover"],
        workshop_minutes=copy_from.workshop_minutes if copy_from else 90,
    )
    if copy_from is not None:
        round_.declined_text = copy_from.declined_text
        round_.partnership_recommendations_heading = copy_from.partnership_recommendations_heading
        round_.appendices = [ReportAppendix(kind=a.kind, title=a.title, text=a.text, position=a.position)
                             for a in copy_from.appendices]
    if copy_from is not None:
        apply_template(round_, template_of(copy_from))
    elif use_default_template:
        apply_template(round_, shipped_json(DEFAULT_TEMPLATE))
    session.add(round_)
    session.flush()
    return round_


def set_chair(round_: Round, person: Person) -> PanelMember:
    """Make ``person`` the round's one chair; a previous chair stays on the panel as a member."""
    member = next((m for m in round_.panel if m.person_id == person.id), None)
    for other in round_.panel:
        if other.role == "chair" and other is not member:
            other.role = "member"
    if member is None:
        member = PanelMember(person=person, role="chair", position=len(round_.panel))
        round_.panel.append(member)
    member.role = "chair"
    return member


def add_panel_member(round_: Round, person: Person) -> PanelMember:
    member = next((m for m in round_.panel if m.person_id == person.id), None)
    if member is None:
        member = PanelMember(person=person, role="member", position=len(round_.panel))
        round_.panel.append(member)
    return member


def load_round(session: Session, round_id: int, *, template: bool = False, panel: bool = False) -> Round:
    """The round (a UserError if it was deleted) with its template (themes and their questions) and/or
    its panel (members, people, organisations) read at once: one query per level, not one per
    theme or member."""
    options = []
    if template:
        options.append(selectinload(Round.themes).selectinload(Theme.questions))
    if panel:
        options.append(selectinload(Round.panel).joinedload(PanelMember.person).joinedload(Person.organisation))
    round_ = session.get(Round, round_id, options=options)
    if round_ is None:
        raise UserError("That round no longer exists; it may have been deleted.")
    return round_


def round_problems(round_: Round) -> list[str]:
    """What is wrong with a round, in plain sentences (shown beside the form, not as blockers)."""
    return problems_of(sum(1 for m in round_.panel if m.role == "chair"),
                       [(theme.title, len(theme.questions)) for theme in round_.themes])


def review_problems(review: Review) -> list[str]:
    problems = []
    if review.status == "held" and review.review_date is None:
        problems.append("A held review needs the date it took place.")
    if review.status == "declined" and not review.contact_attempts:
        problems.append("Record the contacts made with an organisation that declined.")
    return problems


def move(items: list[Any], item: Any, delta: int) -> bool:
    """Move ``item`` up (-1) or down (+1) in an ordered list and renumber ``position``."""
    index = items.index(item)
    target = index + delta
    if not 0 <= target < len(items):
        return False
    items.insert(target, items.pop(index))
    for position, each in enumerate(items):
        each.position = position
    return True


def round_counts(session: Session) -> list[tuple[Round, int, int]]:
    """Every round with its number of reviews and recommendations (for ``lgf rounds``)."""
    review_counts = dict(
        session.execute(select(Review.round_id, func.count(Review.id)).group_by(Review.round_id)).all()
    )
    rec_counts = dict(
        session.execute(
            select(Recommendation.round_id, func.count(Recommendation.id)).group_by(Recommendation.round_id)
        ).all()
    )
    rounds = session.scalars(select(Round).order_by(Round.label)).all()
    return [(r, review_counts.get(r.id, 0), rec_counts.get(r.id, 0)) for r in rounds]


def find_round(session: Session, label: str) -> Round:
    """The round labelled ``label``: this database's partnership's own before one imported from
    another partnership (a regional database holds one of each partnership's under the same label)."""
    round_ = session.scalar(select(Round).where(Round.label == label).order_by(Round.read_only, Round.id).limit(1))
    if round_ is None:
        labels = ", ".join(session.scalars(select(Round.label).order_by(Round.label))) or "none yet"
        raise UserError(f"There is no round labelled {label!r} (rounds: {labels}).")
    return round_
