"""A region of five partnerships, each its own database built through the services as a partnership
would (``make_region(folder, organisations=3)``): different names; the third partnership with a
template of its own (no "Impact of Covid-19", an added "Neglect" theme, a changed question under
"Listening to Children"); the fourth with an organisation that declined (its contacts recorded);
the ICB reviewed by both the first and the second. Every held review answers every question and
agrees two recommendations (one under "Safeguarding Structures", worded for that organisation, one
under "Listening to Children" that recurs across organisations in similar words). Every name is
invented. Runnable alone: ``python -m benchmarks.generate_region FOLDER [ORGANISATIONS]``.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from datetime import date
from pathlib import Path

ROUND = "2021-22"
REGION = "Avonvale and Somershire Region"
PARTNERSHIPS = (
    "Northvale Safeguarding Children Partnership",
    "Westmoor Children's Partnership",
    "Eastbrook Safeguarding Partnership",
    "Southcombe Children's Safeguarding Partnership",
    "Riverside Partnership for Children",
)
SHORT = ("NSCP", "WCP", "ESP", "SCSP", "RPC")
DIFFERENT_TEMPLATE = 2  # Eastbrook
WITH_DECLINED = 3  # Southcombe
SHARED = "Avonvale Integrated Care Board"  # reviewed by Northvale and Westmoor
SHARED_IN = (0, 1)
CHANGED_QUESTION = "How do children and young people shape the services you offer them?"
# A different remedy per organisation: nothing in common but the theme's vocabulary.
STRUCTURE_WORDS = ("deputy lead", "board report", "annual audit", "named governor", "escalation route",
                   "supervision log", "recruitment checks", "volunteer vetting", "policy refresh", "risk register",
                   "allegations officer", "induction module", "contract clauses", "assurance visits", "case sampling")
RECURRING = ("Gather children's views on the safeguarding training offer and show how they changed it",
             "Show how children's views changed the safeguarding training offer",
             "Gather children's views on the training offer for safeguarding and record how it changed")


@dataclass(frozen=True)
class Built:
    path: Path
    partnership: str
    organisations: tuple[str, ...]
    declined: tuple[str, ...]
    recommendations: int  # numbered, to organisations
    partnership_recommendations: int


def _organisations(index: int, count: int) -> list[tuple[str, str]]:
    names = [(f"{PARTNERSHIPS[index].split()[0]} Service {n + 1}", f"{SHORT[index]}S{n + 1}") for n in range(count)]
    if index in SHARED_IN:
        names[0] = (SHARED, "AICB")
    return names


def build_partnership(path: Path, index: int, organisations: int = 3, *, response_words: int = 60) -> Built:
    from lgf_desktop.db import Database
    from lgf_desktop.models import Review
    from lgf_desktop.services import editing
    from lgf_desktop.services.review import workshop
    from lgf_desktop.services.review.rounds import create_round

    name = PARTNERSHIPS[index]
    db = Database.open(path)
    filler = " ".join(["The panel heard how practice is checked and improved"] * max(1, response_words // 9))
    declined: list[str] = []
    recs = 0
    try:
        with db.session() as session:
            editing.set_partnership(session, name, REGION)
            round_ = create_round(session, ROUND, report_month=date(2022, 3, 1))
            round_.methodology_intro = f"{name} reviewed its organisations as part of the regional round."
            round_.conclusion_text = f"{name} thanks the organisations that took part."
            if index == DIFFERENT_TEMPLATE:
                covid = next(t for t in round_.themes if t.title == "Impact of Covid-19")
                round_.themes.remove(covid)
                listening = next(t for t in round_.themes if t.title == "Listening to Children")
                listening.questions[0].text = CHANGED_QUESTION
                theme = editing.add_theme(session, round_.id, "Neglect")
                editing.add_question(session, theme.id, "How do staff recognise neglect early?")
            session.flush()
            panel = []
            for p in range(4):
                org = editing.add_organisation(session, f"{name.split()[0]} Panel Agency {p + 1}")
                person = editing.add_person(session, f"{name.split()[0]} Panellist {p + 1}",
                                            "Business Manager" if p == 0 else "Safeguarding Lead", org.id)
                panel.append(editing.add_to_panel(session, round_.id, person.id, chair=p == 0))
            questions = round_.questions
            structures = next(t for t in round_.themes if t.title == "Safeguarding Structures").questions[0]
            listening = next(t for t in round_.themes if t.title == "Listening to Children").questions[0]
            made = 0
            for n, (org_name, short) in enumerate(_organisations(index, organisations)):
                org = editing.add_organisation(session, org_name, short)
                review = editing.add_review(session, round_.id, org.id)
                if index == WITH_DECLINED and n == organisations - 1:
                    editing.update(session, Review, review.id, status="declined")
                    editing.add_contact_attempt(session, review.id, date(2021, 11, 3), "email",
                                                "four possible dates", "", "Chief Executive Officer")
                    editing.add_contact_attempt(session, review.id, date(2021, 12, 1), "telephone", "", "no reply")
                    declined.append(org_name)
                    continue
                editing.update(session, Review, review.id, status="held", review_date=date(2022, 1, 10 + n % 18),
                               overall_comment=f"{short} came well prepared.")
                for member in panel[:3]:
                    editing.set_present(session, review.id, member.id, True)
                editing.add_representative(session, review.id, f"{short} Lead", "Head of Safeguarding")
                editing.add_representative(session, review.id, f"{short} Nurse", "Named Nurse", kind="apologies")
                for question in questions:
                    workshop.save_response(session, review.id, question.id, f"{filler}.")
                workshop.add_recommendation(session, review, structures.id,
                                            f"Introduce a {STRUCTURE_WORDS[(index * organisations + n) % len(STRUCTURE_WORDS)]}.")
                workshop.add_recommendation(session, review, listening.id, RECURRING[(index + n) % len(RECURRING)])
                made += 1
                recs += 2
            own = 1 if index == 0 else 0
            for r in range(own):
                workshop.add_partnership_recommendation(session, round_.id, "Publish the regional template "
                                                        "on the partnership's website.")
    finally:
        db.close()
    return Built(path, name, tuple(o for o, _ in _organisations(index, organisations)), tuple(declined), recs, own)


def make_region(folder: str | Path, organisations: int = 3, *, response_words: int = 60) -> list[Built]:
    """Five partnership databases in ``folder`` (``p1.sqlite3`` … ``p5.sqlite3``)."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    return [build_partnership(folder / f"p{i + 1}.sqlite3", i, organisations, response_words=response_words)
            for i in range(len(PARTNERSHIPS))]


if __name__ == "__main__":
    for built in make_region(sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 3):
        print(built.path)
