"""Year one feeds year two: "Suggest themes for the peer reviews".

The standards with the most weak answers (the scale's two lowest ranks, e.g. Partially met / Not met,
after moderation) are suggested, each with the organisations behind it; the chosen ones are added as
themes with draft questions to the next peer-review round's template (its own copy: the
self-assessment round is not changed).
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from ...errors import UserError
from ...models import Question, Round, Theme
from .collation import collate
from .standards import KIND, standards_of


@dataclass(frozen=True)
class ThemeSuggestion:
    standard_id: int
    title: str
    wording: str
    weak: int  # how many organisations' agreed ratings are weak
    organisations: list[str]
    draft_questions: list[str]


def draft_questions(title: str, wording: str, round_label: str) -> list[str]:
    """Questions for the peer-review workshop, drafted from the standard; the panel edits them."""
    return [
        f"How does your organisation make sure of this: {wording.rstrip('.')}?",
        f"Your {round_label} self-assessment rated '{title}' as needing to improve. What has changed since, "
        "and how do you know it has made a difference for children?",
        "What would help you to improve further, and what do you need from the partnership?",
    ]


def suggest_themes(session: Session, round_: Round, *, limit: int = 5) -> list[ThemeSuggestion]:
    """The standards with the most weak answers, most first (ties in the standards' order); standards
    nobody rated weak are left out."""
    collation = collate(session, round_)
    suggestions = []
    for s in collation.standards:
        organisations = collation.weak_organisations(s.id)
        if organisations:
            suggestions.append(ThemeSuggestion(s.id, s.title, s.wording, len(organisations), organisations,
                                               draft_questions(s.title, s.wording, round_.label)))
    suggestions.sort(key=lambda t: -t.weak)  # stable: equal counts keep the standards' order
    return suggestions[:limit]


def next_peer_review_round(session: Session, round_: Round) -> Round | None:
    """The first peer-review round labelled after the self-assessment round."""
    return session.scalar(select(Round).where(Round.kind != KIND, Round.label > round_.label).order_by(Round.label))


def add_themes(session: Session, round_: Round, target: Round, standard_ids: list[int]) -> list[Theme]:
    """Add the chosen standards as themes with draft questions to ``target``'s template; a theme the
    template already has (same title) is not added twice. Returns the themes added."""
    if target.kind == KIND:
        raise UserError(f"{target.label} is a self-assessment round; choose a peer-review round for the themes.")
    by_id = {s.id: s for s in standards_of(session, round_)}
    unknown = [i for i in standard_ids if i not in by_id]
    if unknown:
        raise UserError(f"The round {round_.label} has no such standard.")
    existing = {t.title.strip().lower() for t in target.themes}
    added = []
    for standard_id in standard_ids:
        standard = by_id[standard_id]
        if standard.title.strip().lower() in existing:
            continue
        theme = Theme(title=standard.title, position=len(target.themes))
        for position, text in enumerate(draft_questions(standard.title, standard.wording, round_.label)):
            theme.questions.append(Question(text=text, position=position))
        target.themes.append(theme)
        existing.add(standard.title.strip().lower())
        added.append(theme)
    session.flush()
    return added
