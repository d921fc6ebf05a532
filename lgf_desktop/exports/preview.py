"""What an export of a round will contain, and what is missing, before anything is written (no Qt).

The report includes held reviews and reviews an organisation declined, in the round's chosen order;
planned reviews (not yet held) are left out with a warning. Anything missing — an unanswered
question, a held review without a date, a declined review without its contact history — is a
warning, never a blocker. A round with no held or declined review has nothing to report: that is
refused with one sentence (``report_data.read_report``). The preview is a summary of the report's
data (``report_data``), so it says exactly what the document will hold.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy.orm import Session

from ..errors import UserError
from ..models import Round
from .report_data import ReportData, count, read_report, read_template_only


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


def preview_report(session: Session, round_: Round) -> ExportPreview:
    """What the Section 11 report of ``round_`` will contain; raises UserError when there is nothing."""
    return summarise_report(read_report(session, round_))


def summarise_report(data: ReportData) -> ExportPreview:
    """The preview of a report from its data: what it contains and, as warnings, what is missing."""
    preview = _base(data, "report")
    warnings = preview.warnings
    if data.report_month is None:
        warnings.append("The report month is not set: the title page will show no date.")
    for name, text in (("background", data.texts.background), ("conclusion", data.texts.conclusion)):
        if not text.strip():
            warnings.append(f"The round's {name} text is empty.")
    if not data.panel:
        warnings.append("The round has no panel members: the Methodology cannot name the panel.")
    for review in data.reviews:
        name = review.organisation.name
        recs = review.recommendations
        summary = ReviewSummary(review.review_id, name, review.status, review.review_date,
                                included=review.included, recommendations=len(recs))
        preview.reviews.append(summary)
        if not review.included:
            note = f"{name}: the review is {review.status}, not held, so it is left out of the report"
            if recs:
                note += f" with its {count(len(recs), 'recommendation')} (the numbers skip them)"
            warnings.append(note + ".")
            continue
        preview.recommendations += len(recs)
        warnings.extend(f"{name}: {p}" for p in review.problems)
        if review.status == "held":
            summary.questions = len(review.entries)
            # A question answered together with the one above has its response (the merged cell).
            summary.answered = sum(1 for e in review.entries if e.answered or e.answered_above)
            missing = [e for e in review.entries if not e.accounted_for]
            if missing:
                first = _short(missing[0].question)
                warnings.append(f"{name}: {count(len(missing), 'question')} without a response (first: “{first}”).")
            if not review.panel_present:
                warnings.append(f"{name}: no panel members are recorded as present.")
            if not review.attendees:
                warnings.append(f"{name}: no representatives of the organisation are recorded.")
            if not review.overall_comment.strip():
                warnings.append(f"{name}: there is no overall comment.")
            if review.duration_minutes != data.workshop_minutes:
                warnings.append(f"{name}: the workshop's clock was set to {review.duration_minutes} minutes, but the "
                                f"round's workshops are {data.workshop_minutes} minutes, which the report prints; "
                                "change the round's workshop length if that is wrong.")
            for number in review.orphaned:
                warnings.append(f"{name}: recommendation {number} belongs to a question no longer "
                                "in the template; it is printed after the table.")
        elif not recs and not review.partnership_recommendations:
            warnings.append(f"{name}: the organisation declined and has no recommendation.")
    preview.partnership_recommendations = len(data.partnership_recommendations)
    return preview


def preview_template(session: Session, round_: Round) -> ExportPreview:
    """What the question template of ``round_`` will contain."""
    return summarise_template(read_template_only(round_))


def summarise_template(data: ReportData) -> ExportPreview:
    preview = _base(data, "template")
    if not data.texts.template_cover.strip():
        preview.warnings.append("The template's cover paragraph is empty.")
    if not data.question_count:
        raise UserError(f"Round {data.round_label} has no questions in its template yet.")
    return preview


def _base(data: ReportData, kind: str) -> ExportPreview:
    preview = ExportPreview(kind, data.round_label, data.partnership.name, len(data.template), data.question_count)
    preview.warnings.extend(data.round_problems)
    if data.partnership.logo_missing:
        preview.warnings.append(data.partnership.logo_missing)
    return preview


def _short(text: str, limit: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


__all__ = ["ExportPreview", "ReviewSummary", "count", "preview_report", "preview_template",
           "summarise_report", "summarise_template"]
