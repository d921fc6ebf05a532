"""The regional lead's own words in the regional report, per regional round label: the Methodology's
introduction, the Conclusion, and the recommendations to the region (numbered "Region 1", "Region 2"
in the report's table). The Background and the template cover are the shipped ones."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from ...errors import UserError
from ...models import RegionalRecommendation, RegionalText
from ..review.workshop import MAX_RESPONSE_CHARS

MAX_RECOMMENDATIONS = 200


@dataclass(frozen=True)
class LeadTexts:
    methodology_intro: str = ""
    conclusion: str = ""
    recommendations: tuple[tuple[str, str], ...] = ()  # (uuid, text) in order


def lead_texts(session: Session, round_label: str) -> LeadTexts:
    row = session.scalar(select(RegionalText).where(RegionalText.round_label == round_label))
    recs = session.scalars(select(RegionalRecommendation).where(RegionalRecommendation.round_label == round_label)
                           .order_by(RegionalRecommendation.position, RegionalRecommendation.id)).all()
    return LeadTexts(row.methodology_intro if row else "", row.conclusion if row else "",
                     tuple((r.uuid, r.text) for r in recs))


def save_lead_texts(session: Session, round_label: str, methodology_intro: str, conclusion: str,
                    recommendations: Sequence[str]) -> LeadTexts:
    """Store the lead's texts; ``recommendations`` (blank ones dropped) replace the earlier ones, an
    unchanged text keeping its identity."""
    recs = [" ".join(r.split()) for r in recommendations if r.strip()]
    if len(recs) > MAX_RECOMMENDATIONS:
        raise UserError(f"A regional report can hold at most {MAX_RECOMMENDATIONS} recommendations to the region.")
    for text in (methodology_intro, conclusion, *recs):
        if len(text) > MAX_RESPONSE_CHARS:
            raise UserError(f"A text can hold at most {MAX_RESPONSE_CHARS:,} characters; shorten it.")
    row = session.scalar(select(RegionalText).where(RegionalText.round_label == round_label))
    if row is None:
        row = RegionalText(round_label=round_label)
        session.add(row)
    row.methodology_intro, row.conclusion = methodology_intro.strip(), conclusion.strip()
    earlier = {r.text: r for r in session.scalars(
        select(RegionalRecommendation).where(RegionalRecommendation.round_label == round_label))}
    keep = {id(earlier[t]) for t in recs if t in earlier}
    for rec in earlier.values():
        if id(rec) not in keep:
            session.delete(rec)
    session.flush()
    for position, text in enumerate(recs):
        rec = earlier.get(text) or RegionalRecommendation(round_label=round_label, text=text)
        rec.position = position
        session.add(rec)
    session.flush()
    return lead_texts(session, round_label)


__all__ = ["LeadTexts", "lead_texts", "save_lead_texts"]
