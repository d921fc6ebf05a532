"""What an export of a round will contain, and what is missing, before anything is written (no Qt).

The report includes held reviews and reviews an organisation declined, in the round's chosen order;
planned reviews (not yet held) are left out with a warning. Anything missing — an unanswered
question, a held review without a date, a declined review without its contact history — is a
warning, never a blocker. A round with no held or declined review has nothing to report: that is
refused with one sentence (``reportable_reviews``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from sqlalchemy.orm import Session

from ..errors import UserError
from ..models import Review, Round
from ..paths import resource
from ..services.review.numbering import partnership_recommendations, report_numbers, review_recommendations
from ..services.review.rounds import review_problems, round_problems

REPORTED_STATUSES = ("held", "declined")


@dataclass
class Entry:
    """One question of a held review as the report prints it (the question as it was asked)."""

    theme: str
    question: str
    sub_prompts: list[str]
    question_id: int | None
    response: str


@dataclass
class ReviewSummary:
    review_id: int
    organisation: str
    status: str
    review_date: date | None
    included: bool
    questions: int = 0
    answered: int = 0
    recommendations: int = 0


@dataclass
class ExportPreview:
    kind: str  # "report" or "template"
    round_label: str
    partnership: str
    themes: int
    questions: int
    reviews: list[ReviewSummary] = field(default_factory=list)
    recommendations: int = 0
    partnership_recommendations: int = 0
    warnings: list[str] = field(default_factory=list)

    @property
    def included(self) -> list[ReviewSummary]:
        return [r for r in self.reviews if r.included]

    def summary(self) -> str:
        """One or two sentences saying what the document will contain."""
        template = f"{count(self.themes, 'theme')} and {count(self.questions, 'question')}"
        if self.kind == "template":
            return f"The question template of round {self.round_label}: {template}, with the Responses column empty."
        held = sum(1 for r in self.included if r.status == "held")
        declined = len(self.included) - held
        recs = count(self.recommendations, "numbered recommendation")
        if self.partnership_recommendations:
            recs += f" and {count(self.partnership_recommendations, 'partnership recommendation')} (lettered)"
        return (
            f"The Section 11 report of round {self.round_label}: {count(len(self.included), 'organisation')} "
            f"({held} held, {declined} declined), {recs}; the question template ({template}) as the appendix."
        )


def count(n: int, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"


def ordered_reviews(round_: Round) -> list[Review]:
    return sorted(round_.reviews, key=lambda r: (r.position, r.id))


def reportable_reviews(round_: Round) -> list[Review]:
    """The reviews the report shows, in report order; refuses a round with none."""
    reviews = [r for r in ordered_reviews(round_) if r.status in REPORTED_STATUSES]
    if not reviews:
        planned = len(round_.reviews)
        why = (f"its {count(planned, 'review')} {'is' if planned == 1 else 'are'} only planned"
               if planned else "it has no reviews yet")
        raise UserError(f"Round {round_.label} has nothing to report: {why}. Record a held or declined review first.")
    return reviews


def review_entries(review: Review) -> list[Entry]:
    """A held review's questions in template order, each with the text it was asked with and its
    response; responses to questions since removed from the template follow at the end."""
    by_question = {r.question_id: r for r in review.responses if r.question_id is not None}
    entries: list[Entry] = []
    for theme in review.round.themes:
        answered = [by_question[q.id] for q in theme.questions if q.id in by_question]
        # The theme's title as it was when the review recorded it (a later rename changes nothing).
        title = next((r.theme_title for r in answered if r.theme_title), theme.title)
        for question in theme.questions:
            response = by_question.get(question.id)
            text = response.question_text if response is not None and response.question_text else question.text
            entries.append(Entry(title, text, question.sub_prompts, question.id, response.text if response else ""))
    for response in sorted(review.responses, key=lambda r: r.id):
        if response.question_id is None:
            entries.append(Entry(response.theme_title or "Other", response.question_text, [], None, response.text))
    return entries


def _answered(entry: Entry) -> bool:
    return bool(entry.response.strip())


def preview_report(session: Session, round_: Round) -> ExportPreview:
    """What the Section 11 report of ``round_`` will contain; raises UserError when there is nothing."""
    reviews = reportable_reviews(round_)
    numbers = report_numbers(session, round_)
    included_ids = {r.id for r in reviews}
    preview = _base(round_, "report")
    warnings = preview.warnings
    if round_.report_month is None:
        warnings.append("The report month is not set: the title page will show no date.")
    for name, text in (("background", round_.background_text), ("conclusion", round_.conclusion_text)):
        if not (text or "").strip():
            warnings.append(f"The round's {name} text is empty.")
    if not round_.panel:
        warnings.append("The round has no panel members: the Methodology cannot name the panel.")
    for review in ordered_reviews(round_):
        name = review.organisation.name
        recs = review_recommendations(session, review)
        summary = ReviewSummary(review.id, name, review.status, review.review_date,
                                included=review.id in included_ids, recommendations=len(recs))
        preview.reviews.append(summary)
        if not summary.included:
            note = f"{name}: the review is {review.status}, not held, so it is left out of the report"
            if recs:
                note += f" with its {count(len(recs), 'recommendation')} (the numbers skip them)"
            warnings.append(note + ".")
            continue
        preview.recommendations += len(recs)
        warnings.extend(f"{name}: {p}" for p in review_problems(review))
        if review.status == "held":
            entries = review_entries(review)
            summary.questions = len(entries)
            summary.answered = sum(1 for e in entries if _answered(e))
            missing = [e for e in entries if not _answered(e)]
            if missing:
                first = _short(missing[0].question)
                warnings.append(f"{name}: {count(len(missing), 'question')} without a response (first: “{first}”).")
            if not review.panel_present:
                warnings.append(f"{name}: no panel members are recorded as present.")
            if not review.attendees:
                warnings.append(f"{name}: no representatives of the organisation are recorded.")
            if not review.overall_comment.strip():
                warnings.append(f"{name}: there is no overall comment.")
            template_ids = {q.id for q in round_.questions}
            for rec in recs:
                if rec.question_id is not None and rec.question_id not in template_ids:
                    warnings.append(f"{name}: recommendation {numbers[rec.id]} belongs to a question no longer "
                                    "in the template; it is printed after the table.")
        elif not recs:
            warnings.append(f"{name}: the organisation declined and has no recommendation.")
    preview.partnership_recommendations = len(partnership_recommendations(session, round_))
    return preview


def preview_template(session: Session, round_: Round) -> ExportPreview:
    """What the question template of ``round_`` will contain."""
    preview = _base(round_, "template")
    if not (round_.template_cover_text or "").strip():
        preview.warnings.append("The template's cover paragraph is empty.")
    if not round_.questions:
        raise UserError(f"Round {round_.label} has no questions in its template yet.")
    return preview


def _base(round_: Round, kind: str) -> ExportPreview:
    preview = ExportPreview(kind, round_.label, round_.partnership.name, len(round_.themes), len(round_.questions))
    preview.warnings.extend(round_problems(round_))
    logo = round_.partnership.logo_path
    if logo and logo_file(logo) is None:
        preview.warnings.append(f"The partnership's logo {logo} cannot be found: the title page will have no logo.")
    return preview


def logo_file(logo_path: str) -> Path | None:
    """The logo's file: an absolute path, or a name in the app's resources; None when missing."""
    if not logo_path:
        return None
    path = Path(logo_path).expanduser()
    if not path.is_absolute():
        path = resource(logo_path)
    return path if path.is_file() else None


def _short(text: str, limit: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


__all__ = ["Entry", "ExportPreview", "ReviewSummary", "logo_file", "ordered_reviews",
           "preview_report", "preview_template", "reportable_reviews", "review_entries"]
