"""``lgf demo``'s year one: a fictional 2020-21 self-assessment round with the Section 11 standards and
returns from the demo organisations (most complete, one partly, one outstanding after two chasers),
a challenge with a moderated rating, and recommendations in the tracker. Its weakest standards are
the themes the demo's 2021-22 peer reviews explore. Every name in it is invented."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from ...models import Organisation, Round, SelfAssessmentAnswer
from ..review.rounds import shipped_json
from .moderation import add_recommendation, chase, find_return
from .standards import create_self_assessment_round, scale_of, setup_of, standards_of
from .themes import next_peer_review_round, suggest_themes

DEMO_FILE = "demo_self_assessment.json"


def count(n: int, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"


def weak_labels(session: Session, round_: Round) -> set[str]:
    return scale_of(session, round_).weak


def add_demo_self_assessment(session: Session) -> list[str]:
    data = shipped_json(DEMO_FILE)
    r = data["round"]
    if session.scalar(select(Round).where(Round.label == r["label"])) is not None:
        return []
    round_ = create_self_assessment_round(session, r["label"])
    round_.report_month = date.fromisoformat(r["report_month"])
    round_.methodology_intro = r["methodology_intro"]
    round_.conclusion_text = r["conclusion_text"]
    setup_of(session, round_).return_by = date.fromisoformat(r["return_by"])
    labels = scale_of(session, round_).labels
    standards = standards_of(session, round_)
    for entry in data["returns"]:
        ret = find_return(session, round_, entry["org"])
        for day in entry.get("chased", []):
            chase(session, ret, date.fromisoformat(day))
        rated = [i for i in entry["ratings"] if i is not None]
        for standard, index in zip(standards, entry["ratings"]):
            if index is None:
                continue
            answer = SelfAssessmentAnswer(standard=standard, rating=labels[index])
            if labels[index] == "Not applicable":
                answer.not_applicable_reason = entry["na_reason"][str(standard.position + 1)]
            good, weak = data["texts"].get(standard.key, ("", ""))
            answer.evidence = f"Policy and records seen by {entry['org']}'s safeguarding lead." if index != 4 else ""
            answer.works_well = good if index in (0, 1) else ""
            answer.to_improve = weak if index in (2, 3) else ""
            if index in (2, 3):
                answer.actions = "Action plan agreed with the safeguarding lead."
                answer.action_owner = "Safeguarding lead"
                answer.action_due = date(2021, 9, 30)
            ret.answers.append(answer)
        if rated:
            ret.state = "returned" if len(rated) == len(standards) else "partly"
            ret.returned_on = date.fromisoformat(entry["returned"])
    session.flush()
    for item in data["challenges"]:
        ret = find_return(session, round_, item["org"])
        answer = next(a for a in ret.answers if a.standard.key == item["standard"])
        answer.challenge = item["challenge"]
        answer.moderated_rating = item["moderated"]
    by_key = {s.key: s for s in standards}
    for item in data["recommendations"]:
        organisation = (session.scalar(select(Organisation).where(Organisation.name == item["org"]))
                        if item["org"] else None)
        add_recommendation(session, round_, item["text"], organisation=organisation, standard=by_key[item["standard"]])
    session.flush()
    _themes_from_year_one(session, round_, data["peer_review_themes"])
    return [f"self-assessment round {round_.label}"]


def _themes_from_year_one(session: Session, round_: Round, themes: dict[str, str]) -> None:
    """Say in the next peer-review round's Methodology which of its themes year one suggested, with
    the counts "Suggest themes for the peer reviews" shows (``themes``: standard key → theme title)."""
    target = next_peer_review_round(session, round_)
    if target is None:
        return
    present = {t.title for t in target.themes}
    keys = {s.id: s.key for s in standards_of(session, round_)}
    weak = " or ".join(sorted(weak_labels(session, round_), reverse=True))
    found = [(t, themes[keys[t.standard_id]]) for t in suggest_themes(session, round_)
             if themes.get(keys[t.standard_id]) in present]
    if not found:
        return
    listed = "; ".join(f"{t.title}, rated {weak} by {count(t.weak, 'organisation')} (the theme {theme})"
                       for t, theme in found)
    target.methodology_intro = (f"{target.methodology_intro}\nThe questions were developed from themes identified in "
                                f"the {round_.label} written self-assessment: {listed}.")
