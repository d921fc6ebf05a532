"""The Section 11 report as plain, typed data, read from the database in one place.

``read_report`` walks a round once (its partnership, panel, template, reviews with attendance and
contacts, responses and recommendations with their report numbers, the report's texts) and returns
frozen dataclasses. The Word report, the question template, the preview and the regional report
render from this value only: no exporter walks a live session, a renderer is testable without a
database, and one report can combine several sources.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from sqlalchemy.orm import Session

from ..errors import UserError
from ..models import Organisation, Recommendation, Review, Round
from ..models.round import DEFAULT_DECLINED_TEXT, DEFAULT_PARTNERSHIP_HEADING
from ..services.partnership import KeptTemplate, logo_bytes, logo_problem, word_template_source
from ..services.review.appendices import TEMPLATE, TEMPLATE_TITLE, in_report_order
from ..services.review.numbering import (
    partnership_recommendations, report_numbers, review_partnership_recommendations, review_recommendations,
)
from ..services.review.rounds import review_problems, round_problems

REPORTED_STATUSES = ("held", "declined")


@dataclass(frozen=True)
class OrganisationData:
    name: str
    short_name: str = ""
    # The organisation as one across partnerships (the uuid of the record it is linked to by its ODS
    # code or the regional lead's confirmation, else its own): two partnerships' reviews of the same
    # organisation share it in a regional database, whatever each partnership called it.
    identity: str = ""

    @property
    def display_name(self) -> str:
        return self.short_name or self.name


@dataclass(frozen=True)
class PanelMemberData:
    name: str
    described: str  # "Name, Role, Organisation" as the Methodology lists the panel
    is_chair: bool = False


@dataclass(frozen=True)
class PersonData:
    """A representative of the reviewed organisation (attended, or sent apologies)."""

    name: str
    role: str = ""
    note: str = ""  # printed after the name: "although Anne had been part of the preparation …"


@dataclass(frozen=True)
class RecommendationData:
    number: str  # "1", "2", … or "A", "B", … for the partnership's own
    text: str  # the wording agreed in the workshop, printed where it was agreed
    question_id: int | None = None
    full_text: str = ""  # the optional second wording, in full, for the recommendations table
    is_partnership: bool = False  # lettered, in the partnership's group of the recommendations table
    review_id: int | None = None  # the review it was agreed in (None: agreed for the round)
    uuid: str = ""  # the recommendation's stable identity (the regional lead's groups name it)

    @property
    def table_text(self) -> str:
        """The wording of the recommendations table: the full one when there is one."""
        return self.full_text.strip() or self.text


@dataclass(frozen=True)
class EntryData:
    """One question of a held review as the report prints it (the question as it was asked)."""

    theme: str
    question: str
    sub_prompts: tuple[str, ...]
    question_id: int | None
    response: str
    recommendations: tuple[RecommendationData, ...] = ()  # the organisation's and the partnership's
    answered_above: bool = False  # one response with the question above: the cells are merged
    not_discussed: bool = False  # left blank on purpose: an empty cell, not "No response was recorded."

    @property
    def answered(self) -> bool:
        return bool(self.response.strip())

    @property
    def accounted_for(self) -> bool:
        """Answered, answered with the question above, or left blank on purpose: not forgotten."""
        return self.answered or self.answered_above or self.not_discussed


@dataclass(frozen=True)
class ContactData:
    contact_date: date | None
    channel: str = ""
    contact_name: str = ""
    offered: str = ""
    response: str = ""


@dataclass(frozen=True)
class ReviewData:
    review_id: int
    organisation: OrganisationData
    status: str  # "planned", "held" or "declined"
    included: bool  # printed in the report (held or declined)
    review_date: date | None = None
    duration_minutes: int = 90
    panel_present: tuple[str, ...] = ()
    attendees: tuple[PersonData, ...] = ()
    apologies: tuple[PersonData, ...] = ()
    overall_comment: str = ""
    entries: tuple[EntryData, ...] = ()
    contacts: tuple[ContactData, ...] = ()
    # Every recommendation of the review in number order; ``loose`` are those not printed in the
    # table (no question, or a question no longer in it), printed after it.
    recommendations: tuple[RecommendationData, ...] = ()
    loose: tuple[RecommendationData, ...] = ()
    problems: tuple[str, ...] = ()
    orphaned: tuple[str, ...] = ()  # numbers of recommendations whose question left the template
    # The partnership's recommendations agreed inside this review (lettered); those not in the table
    # (no question: after a declined organisation's text) are printed after the section.
    partnership_recommendations: tuple[RecommendationData, ...] = ()

    @property
    def partnership_loose(self) -> tuple[RecommendationData, ...]:
        in_table = {e.question_id for e in self.entries}
        return tuple(r for r in self.partnership_recommendations
                     if r.question_id is None or r.question_id not in in_table)


@dataclass(frozen=True)
class TemplateQuestion:
    text: str
    sub_prompts: tuple[str, ...] = ()


@dataclass(frozen=True)
class TemplateTheme:
    title: str
    questions: tuple[TemplateQuestion, ...] = ()


@dataclass(frozen=True)
class AppendixData:
    """One numbered appendix: a text of the round's own, or the question template."""

    number: int
    kind: str  # "text" or "question template"
    title: str
    text: str = ""


ONLY_TEMPLATE = (AppendixData(1, TEMPLATE, TEMPLATE_TITLE),)


@dataclass(frozen=True)
class ReportTexts:
    """The round's own texts, as typed (placeholders not yet filled)."""

    background: str = ""
    methodology_intro: str = ""
    conclusion: str = ""
    template_cover: str = ""
    declined: str = DEFAULT_DECLINED_TEXT
    partnership_heading: str = DEFAULT_PARTNERSHIP_HEADING


@dataclass(frozen=True)
class PartnershipData:
    name: str
    logo: bytes | None = None  # the logo's image, kept in the database; None when there is none
    logo_missing: str = ""  # a sentence when the logo was lost at an upgrade ('' otherwise)
    # The partnership's Word template kept in the database ("" for the app's own; a path: one an upgrade
    # could not find, which the export says).
    word_template: KeptTemplate | str = ""


@dataclass(frozen=True)
class ReportData:
    partnership: PartnershipData
    round_label: str
    report_month: date | None
    workshop_minutes: int
    panel: tuple[PanelMemberData, ...]
    template: tuple[TemplateTheme, ...]
    texts: ReportTexts
    reviews: tuple[ReviewData, ...] = ()  # every review in report order, included or not
    partnership_recommendations: tuple[RecommendationData, ...] = ()  # all lettered, wherever agreed
    round_problems: tuple[str, ...] = ()
    appendices: tuple[AppendixData, ...] = ()  # empty: the question template alone, as Appendix 1

    @property
    def report_appendices(self) -> tuple[AppendixData, ...]:
        return self.appendices or ONLY_TEMPLATE

    @property
    def template_appendix(self) -> int:
        """The question template's appendix number, as the Methodology refers to it."""
        return next(a.number for a in self.report_appendices if a.kind == TEMPLATE)

    @property
    def included(self) -> tuple[ReviewData, ...]:
        return tuple(r for r in self.reviews if r.included)

    @property
    def held(self) -> tuple[ReviewData, ...]:
        return tuple(r for r in self.reviews if r.included and r.status == "held")

    @property
    def themes(self) -> tuple[str, ...]:
        return tuple(t.title for t in self.template)

    @property
    def question_count(self) -> int:
        return sum(len(t.questions) for t in self.template)

    @property
    def chair(self) -> PanelMemberData | None:
        chairs = [m for m in self.panel if m.is_chair]
        return chairs[0] if len(chairs) == 1 else None


def ordered_reviews(round_: Round) -> list[Review]:
    return sorted(round_.reviews, key=lambda r: (r.position, r.id))


def count(n: int, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"


def refuse_if_nothing_to_report(round_: Round) -> None:
    if not any(r.status in REPORTED_STATUSES for r in round_.reviews):
        planned = len(round_.reviews)
        why = (f"its {count(planned, 'review')} {'is' if planned == 1 else 'are'} only planned"
               if planned else "it has no reviews yet")
        raise UserError(f"Round {round_.label} has nothing to report: {why}. Record a held or declined review first.")


# --- reading ----------------------------------------------------------------------------------------


def read_partnership(round_: Round) -> PartnershipData:
    partnership = round_.partnership
    return PartnershipData(partnership.name, logo_bytes(partnership), logo_problem(partnership) or "",
                           word_template_source(partnership))


def read_template(round_: Round) -> tuple[TemplateTheme, ...]:
    return tuple(TemplateTheme(t.title, tuple(TemplateQuestion(q.text, tuple(q.sub_prompts)) for q in t.questions))
                 for t in round_.themes)


def read_texts(round_: Round) -> ReportTexts:
    return ReportTexts(round_.background_text or "", round_.methodology_intro or "", round_.conclusion_text or "",
                       round_.template_cover_text or "", round_.declined_text or DEFAULT_DECLINED_TEXT,
                       round_.partnership_recommendations_heading or DEFAULT_PARTNERSHIP_HEADING)


def _entries(review: Review, recs: list[Recommendation], numbers: dict[int, str]) -> tuple[EntryData, ...]:
    """A held review's questions in template order, each with the text it was asked with, its
    response and the recommendations agreed on it; responses to questions since removed from the
    template follow at the end."""
    by_question = {r.question_id: r for r in review.responses if r.question_id is not None}
    agreed: dict[int, list[RecommendationData]] = {}
    for rec in recs:
        if rec.question_id is not None:
            agreed.setdefault(rec.question_id, []).append(recommendation_data(rec, numbers))
    entries: list[EntryData] = []
    for theme in review.round.themes:
        answered = [by_question[q.id] for q in theme.questions if q.id in by_question]
        # The theme's title as it was when the review recorded it (a later rename changes nothing).
        title = next((r.theme_title for r in answered if r.theme_title), theme.title)
        for question in theme.questions:
            response = by_question.get(question.id)
            text = response.question_text if response is not None and response.question_text else question.text
            entries.append(EntryData(title, text, tuple(question.sub_prompts), question.id,
                                     response.text if response else "", tuple(agreed.get(question.id, ())),
                                     answered_above=bool(response and response.answered_above),
                                     not_discussed=bool(response and response.not_discussed)))
    for response in sorted(review.responses, key=lambda r: r.id):
        if response.question_id is None:
            entries.append(EntryData(response.theme_title or "Other", response.question_text, (), None, response.text))
    return tuple(entries)


def _identity(session: Session, organisation: Organisation) -> str:
    same_as = session.get(Organisation, organisation.same_as_id) if organisation.same_as_id else None
    return (same_as or organisation).uuid


def recommendation_data(rec: Recommendation, numbers: dict[int, str]) -> RecommendationData:
    return RecommendationData(numbers[rec.id], rec.text, rec.question_id, rec.full_text or "", bool(rec.is_partnership),
                              rec.review_id, rec.uuid)


def read_review(session: Session, review: Review, numbers: dict[int, str], template_ids: set[int]) -> ReviewData:
    recs = review_recommendations(session, review)
    lettered = review_partnership_recommendations(session, review)
    included = review.status in REPORTED_STATUSES
    held = included and review.status == "held"
    # In the table, each question's recommendations in template order: the organisation's, then the partnership's.
    entries = _entries(review, recs + lettered, numbers) if held else ()
    in_table = {e.question_id for e in entries}
    data = [recommendation_data(r, numbers) for r in recs]
    present = sorted(review.panel_present, key=lambda p: (p.panel_member.position, p.panel_member.id))
    return ReviewData(
        review_id=review.id,
        organisation=OrganisationData(review.organisation.name, review.organisation.short_name or "",
                                      _identity(session, review.organisation)),
        status=review.status,
        included=included,
        review_date=review.review_date,
        duration_minutes=review.duration_minutes,
        panel_present=tuple(p.panel_member.person.name for p in present),
        attendees=tuple(PersonData(r.name, r.role or "", r.note or "") for r in review.attendees),
        apologies=tuple(PersonData(r.name, r.role or "", r.note or "") for r in review.apologies),
        overall_comment=review.overall_comment or "",
        entries=entries,
        contacts=tuple(ContactData(a.contact_date, a.channel or "", a.contact_name or "", a.offered or "",
                                   a.response or "") for a in review.contact_attempts),
        recommendations=tuple(data),
        loose=tuple(d for d in data if d.question_id is None or d.question_id not in in_table),
        problems=tuple(review_problems(review)),
        orphaned=tuple(d.number for d in data if d.question_id is not None and d.question_id not in template_ids),
        partnership_recommendations=tuple(recommendation_data(r, numbers) for r in lettered),
    )


def read_appendices(round_: Round) -> tuple[AppendixData, ...]:
    """The round's appendices numbered 1, 2, … in order, the question template among them."""
    return tuple(AppendixData(number, kind, title or "", text or "")
                 for number, (kind, title, text, _id) in enumerate(in_report_order(round_), start=1))


def read_report(session: Session, round_: Round, *, refuse_empty: bool = True) -> ReportData:
    """The round's report as plain data; refuses (UserError) a round with nothing to report unless
    ``refuse_empty`` is False (the texts' placeholders are filled for a round not yet reviewed)."""
    if refuse_empty:
        refuse_if_nothing_to_report(round_)
    numbers = report_numbers(session, round_)
    template_ids = {q.id for q in round_.questions}
    panel = tuple(PanelMemberData(m.person.name, m.person.describe(), m is round_.chair) for m in round_.panel)
    return ReportData(
        partnership=read_partnership(round_),
        round_label=round_.label,
        report_month=round_.report_month,
        workshop_minutes=round_.workshop_minutes or 90,
        panel=panel,
        template=read_template(round_),
        texts=read_texts(round_),
        reviews=tuple(read_review(session, r, numbers, template_ids) for r in ordered_reviews(round_)),
        partnership_recommendations=tuple(recommendation_data(r, numbers)
                                          for r in partnership_recommendations(session, round_)),
        round_problems=tuple(round_problems(round_)),
        appendices=read_appendices(round_),
    )


def read_template_only(round_: Round) -> ReportData:
    """What the question template export needs: partnership, round, texts and template (no reviews)."""
    return ReportData(
        partnership=read_partnership(round_), round_label=round_.label, report_month=round_.report_month,
        workshop_minutes=round_.workshop_minutes or 90, panel=(), template=read_template(round_),
        texts=read_texts(round_), round_problems=tuple(round_problems(round_)), appendices=read_appendices(round_),
    )


__all__ = [
    "AppendixData", "ContactData", "EntryData", "OrganisationData", "PanelMemberData", "PartnershipData", "PersonData",
    "RecommendationData", "ReportData", "ReportTexts", "ReviewData", "TemplateQuestion", "TemplateTheme",
    "count", "read_report", "read_template_only",
]
