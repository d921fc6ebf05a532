"""What the screens say about a round and its reviews, from plain values: a round's problems, a
review's label in the navigator, the kinds a round can be. No SQLAlchemy here: the ORM side
(``services/listing``, ``rounds.round_problems``) and the first page's plain read
(``services/first_page``) both say it through these, so the two can never word it differently."""

from __future__ import annotations

from collections.abc import Iterable

from ...dates import short_date

ROUND_KINDS = ("peer review", "self-assessment")


def review_label(organisation: str, status: str, review_date: object) -> str:
    """A review as the navigator lists it: "Harbour Housing — 3 Feb 2022", or "… (declined)"."""
    if status == "held" and review_date is not None:
        return f"{organisation} — {short_date(review_date)}"
    return f"{organisation} ({status})"


def problems_of(chairs: int, themes: Iterable[tuple[str, int]]) -> list[str]:
    """What is wrong with a round with ``chairs`` chairs on its panel and ``themes`` (title, number
    of questions) in order, in plain sentences (shown beside the form, not as blockers)."""
    themes = list(themes)
    problems = []
    if not chairs:
        problems.append("The panel has no chair: choose one member as chair.")
    elif chairs > 1:
        problems.append("The panel has more than one chair: a round has exactly one.")
    if not themes:
        problems.append("The template has no themes yet.")
    for title, questions in themes:
        if not questions:
            problems.append(f"The theme '{title}' has no questions.")
    return problems
