"""Large databases for benchmarks: ``make_large_database(path, rounds=10, reviews_per_round=15)``.

Every round has the shipped template, a six-person panel with a chair, and its reviews held, each
with a response on every question, attendance, and three recommendations. Text is varied filler
of realistic length; every name is invented. Runnable alone: ``python -m benchmarks.generate PATH``.
"""

from __future__ import annotations

import random
import sys
from datetime import date
from pathlib import Path

WORDS = ("safeguarding training staff children families supervision policy referral partners learning "
         "audit escalation information sharing voice child exploitation induction designated lead board "
         "practice improvement recruitment concerns feedback workshop multi-agency").split()


def _text(rng: random.Random, words: int) -> str:
    body = " ".join(rng.choice(WORDS) for _ in range(words))
    return body[0].upper() + body[1:] + "."


def make_large_database(path: str | Path, rounds: int = 10, reviews_per_round: int = 15) -> Path:
    """Create (or replace) an LGF database at ``path`` holding ``rounds`` × ``reviews_per_round`` reviews."""
    from lgf_desktop.db import Database
    from lgf_desktop.models import (
        Organisation, Partnership, Person, Recommendation, Representative, Response, Review, ReviewPanelPresence,
    )
    from lgf_desktop.services.tracker.sources import ensure_source_kinds
    from lgf_desktop.services.review.rounds import add_panel_member, create_round, set_chair

    path = Path(path)
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    rng = random.Random(20211)
    db = Database.open(path)
    try:
        with db.session() as session:
            session.add(Partnership(name="Benchmark Children's Partnership", region="Benchmark Region"))
            session.flush()
            ensure_source_kinds(session)
            organisations = [Organisation(name=f"Benchmark Organisation {i + 1}", short_name=f"Org {i + 1}",
                                          sector=("Health", "Police", "Education", "Voluntary")[i % 4])
                             for i in range(reviews_per_round)]
            people = [Person(name=f"Panel Member {i + 1}", role_title="Safeguarding Lead",
                             organisation=organisations[i % len(organisations)]) for i in range(6)]
            session.add_all(organisations + people)
            session.flush()
        for r in range(rounds):
            with db.session() as session:
                organisations = session.query(Organisation).order_by(Organisation.id).all()
                people = session.query(Person).order_by(Person.id).all()
                year = 2012 + r
                round_ = create_round(session, f"{year}-{(year + 1) % 100:02d}", report_month=date(year + 1, 3, 1))
                members = [set_chair(round_, people[0])] + [add_panel_member(round_, p) for p in people[1:]]
                session.flush()
                questions = round_.questions
                for i, org in enumerate(organisations):
                    review = Review(round=round_, organisation=org, status="held", position=i,
                                    review_date=date(year, 10 + i % 3, 1 + i), overall_comment=_text(rng, 60))
                    session.add(review)
                    for member in members[:4]:
                        review.panel_present.append(ReviewPanelPresence(panel_member=member))
                    review.representatives.append(Representative(name=f"Representative {i}", role="Lead", position=0))
                    for question in questions:
                        session.add(Response(review=review, question=question, question_text=question.text,
                                             theme_title=question.theme.title, text=_text(rng, rng.randint(60, 180))))
                    for k in range(3):
                        session.add(Recommendation(round=round_, review=review, organisation=org, position=k,
                                                   question=questions[rng.randrange(len(questions))],
                                                   text=_text(rng, 25)))
    finally:
        db.close()
    return path


if __name__ == "__main__":
    target = make_large_database(sys.argv[1] if len(sys.argv) > 1 else "large.sqlite3")
    print(f"wrote {target}")
