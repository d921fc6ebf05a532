"""The demo round given each construct of the seed report that the Word export learnt in issue 14
item 6, entered through the services the screens use: notes on an attendee and an apology, a
partnership recommendation in a review's table and one after a declined organisation, a second
(full) wording, one response covering two questions, a question left blank on purpose, and a text
appendix placed before the question template (so the template is Appendix 2, as in the seed)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from lgf_desktop.models import Recommendation, Representative, Response, Review
from lgf_desktop.services import editing
from lgf_desktop.services.review import appendices, responses, workshop
from lgf_desktop.services.review.rounds import find_round

ROUND = "2021-22"
APOLOGY_NOTE = "although Carys had been part of the preparation for the review"
ATTENDEE_NOTE = "who joined for the second half of the workshop"
IN_TABLE = ("A Microsoft Word version of the newsletter will be shared with Owen Price to make it easier to "
            "extract information for GPs")
FULL = ("Arrange for observation of in-house training to take place to improve quality assurance, and share what "
        "the observers find with the trainers")
APPENDIX_TEXT = "✓ A clear line of accountability\n✓ A senior board level lead"


@dataclass
class Constructs:
    merged_first: str  # the question whose response covers the next one too
    merged_second: str
    merged_text: str
    blank_question: str
    forgotten_question: str
    brief: str  # the wording of the recommendation given a full one
    after_declined: str


def held(session, name: str) -> Review:
    return next(r for r in find_round(session, ROUND).reviews if r.organisation.name.startswith(name))


def apply(db) -> Constructs:
    with db.session() as session:
        icb, pathways, network = held(session, "Northvale"), held(session, "Pathways"), held(session, "Westmoor Comm")
        carys = next(r for r in icb.representatives if r.name == "Carys Morgan")
        editing.update(session, Representative, carys.id, note=APOLOGY_NOTE + ".")
        bethany = next(r for r in pathways.representatives if r.name == "Bethany Cole")
        editing.update(session, Representative, bethany.id, note=ATTENDEE_NOTE)

        themes = {t.title: t for t in icb.round.themes}
        exploitation = themes["Child Exploitation"].questions
        by_question = {r.question_id: r for r in pathways.responses}
        merged_text = by_question[exploitation[0].id].text
        by_question[exploitation[1].id].text = ""
        responses.set_answered_above(session, pathways, exploitation[1].id, True)

        impact = themes["Learning & Development"].questions[5]
        by_question[impact.id].text = ""
        responses.set_not_discussed(session, pathways, impact.id, True)
        forgotten = themes["Listening to Children"].questions[0]
        by_question[forgotten.id].text = ""

        partnerships = themes["Children's Partnerships"].questions[0]
        workshop.add_review_partnership_recommendation(session, icb, IN_TABLE, partnerships.id)

        declined_rec = session.scalars(select(Recommendation).where(Recommendation.review_id == network.id)).one()
        workshop.set_for_partnership(session, declined_rec.id, True)

        first = session.scalars(select(Recommendation).where(Recommendation.review_id == pathways.id)
                                .order_by(Recommendation.id)).first()
        workshop.set_full_text(session, first.id, FULL)

        extra = appendices.add_appendix(session, icb.round_id, "Section 11 arrangements", APPENDIX_TEXT)
        appendices.move_appendix(session, extra.id, -1)
        return Constructs(exploitation[0].text, exploitation[1].text, merged_text, impact.text, forgotten.text,
                          first.text, declined_rec.text)


__all__ = ["APOLOGY_NOTE", "ATTENDEE_NOTE", "Constructs", "FULL", "IN_TABLE", "Response", "apply"]
