"""The Section 11 report of a round as a Word document, in the regional report's order: title
block, Background, Methodology, one "Peer Review <organisation>" section per review, Conclusion, the
recommendations table, and the question template as the appendix.

Every count and list in the text (organisations, panel, themes, workshop length) is computed from
the data; recommendation numbers come from ``services.review.numbering.report_numbers``, so the body, the
recommendations table and the tracker agree.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence

from docx.document import Document
from docx.shared import Cm
from sqlalchemy.orm import Session

from ..dates import long_date, month_year
from ..models import Recommendation, Review, Round
from ..services.privacy.leaving import docx_pieces, guard
from ..services.review.numbering import partnership_recommendations, report_numbers, review_recommendations
from .docx_common import (
    Cell, StyleIds, TableBuilder, add_page_break, add_paragraph, add_text, new_document, save_docx,
)
from .preview import ExportPreview, count, preview_report, reportable_reviews, review_entries
from .template_docx import QuestionRow, template_themes, title_block, write_question_table

Progress = Callable[[int, int, str], None]
NUMBER_WORDS = ("no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
                "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen",
                "nineteen", "twenty")
NO_RESPONSE = "No response was recorded."


def number_word(n: int) -> str:
    return NUMBER_WORDS[n] if 0 <= n < len(NUMBER_WORDS) else str(n)


def join_names(names: Sequence[str]) -> str:
    """'A', 'A and B', 'A, B and C'."""
    names = [n for n in names if n]
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]


def sentence(text: str) -> str:
    text = text.strip()
    return text if not text or text[-1] in ".!?" else text + "."


def lower_first(text: str) -> str:
    """Lower-case the first letter of an ordinary word ("An offer" → "an offer"), not of "ICB"."""
    if len(text) > 1 and text[0].isupper() and text[1].islower():
        return text[0].lower() + text[1:]
    return text


def with_role(name: str, role: str) -> str:
    return f"{name} ({role})" if role else name


# --- the sections ------------------------------------------------------------------------------------


def methodology_paragraphs(round_: Round, reviews: Sequence[Review]) -> list[str]:
    """The computed part of the Methodology (after the round's own introduction)."""
    paragraphs = []
    chair = round_.chair
    members = [m for m in round_.panel if m is not chair]
    if chair is not None and members:
        paragraphs.append(f"The peer review panel was chaired by {chair.person.describe()}. Its other members were "
                          f"{'; '.join(m.person.describe() for m in members)}.")
    elif round_.panel:
        paragraphs.append(f"The peer review panel was {'; '.join(m.person.describe() for m in round_.panel)}.")
    paragraphs.append("A template with the questions was sent to each organisation in advance of its workshop, "
                      "and organisations were asked to invite key professionals, including front line "
                      "practitioners as well as senior safeguarding staff and managers.")
    held = [r for r in reviews if r.status == "held"]
    minutes = sorted({r.duration_minutes for r in held})
    if minutes:
        length = f"{minutes[0]} minutes" if len(minutes) == 1 else f"between {minutes[0]} and {minutes[-1]} minutes"
        paragraphs.append(f"The workshops lasted {length}. The panel members took minutes at each workshop, and "
                          "these were collated to form this report. A copy of the question template is in the "
                          "appendix of this report.")
    return paragraphs


def organisations_paragraph(reviews: Sequence[Review]) -> str:
    names = [r.organisation.name for r in reviews]
    declined = [r.organisation.name for r in reviews if r.status == "declined"]
    n = len(reviews)
    text = (f"This report contains the peer reviews of {number_word(n)} organisation{'s' if n != 1 else ''}: "
            f"{join_names(names)}.")
    if declined:
        verb = "was" if len(declined) == 1 else "were"
        text += (f" {join_names(declined)} {verb} chosen for peer review but did not engage with the process, "
                 f"so {'its review' if len(declined) == 1 else 'their reviews'} did not take place.")
    return text


def held_review_paragraph(review: Review) -> str:
    parts = [f"This review took place on {long_date(review.review_date)}." if review.review_date
             else "The date of this review was not recorded."]
    present = sorted(review.panel_present, key=lambda p: (p.panel_member.position, p.panel_member.id))
    if present:
        parts.append(f"The peer review panel was {join_names([p.panel_member.person.name for p in present])}.")
    if review.attendees:
        parts.append(f"The representatives for {review.organisation.display_name} were "
                     f"{join_names([with_role(r.name, r.role) for r in review.attendees])}.")
    if review.apologies:
        parts.append(f"Apologies were received from {join_names([with_role(r.name, r.role) for r in review.apologies])}.")
    return " ".join(parts)


def contact_paragraph(review: Review) -> str:
    """The contact history of an organisation that declined, in prose."""
    org = review.organisation.display_name
    parts = [f"This review did not take place. {org} did not engage with the Section 11 process."]
    for attempt in review.contact_attempts:
        # contact_name may be a person or a role ("Chief Executive Officer"): name it in brackets.
        text = f"On {long_date(attempt.contact_date)} the partnership contacted {org}"
        if attempt.channel:
            text += f" by {attempt.channel}"
        if attempt.contact_name:
            text += f" (contact: {attempt.contact_name})"
        if attempt.offered.strip():
            text += f", offering {lower_first(attempt.offered.strip().rstrip('.'))}"
        parts.append(text + ".")
        if attempt.response.strip():
            parts.append(f"Response: {sentence(attempt.response)}")
    if not review.contact_attempts:
        parts.append("No contacts with the organisation are recorded.")
    return " ".join(parts)


def review_themes(review: Review, numbers: dict[int, str],
                  recs: Sequence[Recommendation]) -> list[tuple[str, list[QuestionRow]]]:
    """A held review's table content: themes in order, each question with its response and the
    recommendations agreed on it."""
    by_question: dict[int, list[Recommendation]] = {}
    for rec in recs:
        if rec.question_id is not None:
            by_question.setdefault(rec.question_id, []).append(rec)
    themes: list[tuple[str, list[QuestionRow]]] = []
    for entry in review_entries(review):
        if not themes or themes[-1][0] != entry.theme:
            themes.append((entry.theme, []))
        agreed = by_question.get(entry.question_id, []) if entry.question_id is not None else []
        themes[-1][1].append(QuestionRow(entry.question, entry.sub_prompts, entry.response,
                                         [(f"Recommendation {numbers[r.id]}:", r.text) for r in agreed]))
    return themes


def loose_recommendations(review: Review, recs: Sequence[Recommendation]) -> list[Recommendation]:
    """Recommendations not printed in the table: no question, or a question no longer in it."""
    in_table = {e.question_id for e in review_entries(review)} if review.status == "held" else set()
    return [r for r in recs if r.question_id is None or r.question_id not in in_table]


def write_review(document: Document, styles: StyleIds, session: Session, review: Review,
                 numbers: dict[int, str]) -> None:
    body = document.element.body
    add_paragraph(body, styles, f"Peer Review {review.organisation.name}", "Heading 1")
    recs = review_recommendations(session, review)
    if review.status == "held":
        add_paragraph(body, styles, held_review_paragraph(review))
        add_text(body, styles, review.overall_comment)
        write_question_table(document, styles, review_themes(review, numbers, recs), empty_response=NO_RESPONSE)
    else:
        add_paragraph(body, styles, contact_paragraph(review))
    for rec in loose_recommendations(review, recs):
        add_text(body, styles, rec.text, label=f"Recommendation {numbers[rec.id]}:")


def write_recommendations_table(document: Document, styles: StyleIds, session: Session, round_: Round,
                                reviews: Sequence[Review], numbers: dict[int, str]) -> int:
    """Number | Recommendation, grouped by organisation (1…n), then the partnership's (A…)."""
    groups = [(f"Recommendations: {r.organisation.name}", review_recommendations(session, r)) for r in reviews]
    groups.append(("Additional Recommendations for Children's Partnership",
                   partnership_recommendations(session, round_)))
    groups = [(title, recs) for title, recs in groups if recs]
    if not groups:
        add_paragraph(document.element.body, styles, "No recommendations were made in this round.")
        return 0
    table = TableBuilder(document, (2.2, 14.8), styles=styles)
    table.header(("Number", "Recommendation"))
    written = 0
    for title, recs in groups:
        table.row([Cell(title, span=2, bold=True, fill="F2F2F2")])
        for rec in recs:
            table.row([Cell(numbers[rec.id], bold=True), rec.text])
            written += 1
    return written


def build_report(session: Session, round_: Round, *, author: str = "",
                 progress: Progress | None = None) -> tuple[Document, ExportPreview]:
    """The report as a python-docx Document (not yet saved) and its preview."""
    progress = progress or (lambda done, total, message: None)
    preview = preview_report(session, round_)
    reviews = reportable_reviews(round_)
    numbers = report_numbers(session, round_)
    total = len(reviews) + 3
    progress(0, total, "Writing the title page, Background and Methodology")
    title = f"Section 11 Report {round_.label}"
    document = new_document(
        title=title, header_text=round_.partnership.name, author=author, subject=f"Section 11 {round_.label}",
        comments=f"Peer reviews of {count(len(reviews), 'organisation')} with the names and roles of the "
                 "professionals who took part, and the recommendations.",
    )
    styles = StyleIds(document)
    body = document.element.body
    title_block(document, styles, round_, title, month_year(round_.report_month),
                space_before_cm=4.0)
    # Exports are the only way data leaves the machine: each says what it contains.
    note = add_paragraph(body, styles, f"This report contains the peer reviews of {count(len(reviews), 'organisation')}, "
                         "the recommendations agreed and the question template. It names the professionals who took "
                         "part.", italic=True)
    note.get_or_add_pPr().spacing_before = Cm(6)
    add_page_break(document)

    add_paragraph(body, styles, "Background", "Heading 1")
    add_text(body, styles, round_.background_text)
    add_paragraph(body, styles, "Methodology", "Heading 1")
    add_text(body, styles, round_.methodology_intro)
    for paragraph in methodology_paragraphs(round_, reviews):
        add_paragraph(body, styles, paragraph)
    themes = [t.title for t in round_.themes]
    add_paragraph(body, styles, f"The questions explored {number_word(len(themes))} theme{'s' if len(themes) != 1 else ''}:")
    for theme in themes:
        add_paragraph(body, styles, theme, "List Bullet")
    add_paragraph(body, styles, organisations_paragraph(reviews))

    for index, review in enumerate(reviews, start=1):
        progress(index, total, f"Writing the peer review of {review.organisation.display_name}")
        add_page_break(document)
        write_review(document, styles, session, review, numbers)

    progress(len(reviews) + 1, total, "Writing the Conclusion, recommendations and appendix")
    add_page_break(document)
    add_paragraph(body, styles, "Conclusion", "Heading 1")
    add_text(body, styles, round_.conclusion_text)
    add_page_break(document)
    add_paragraph(body, styles, "Recommendations", "Heading 1")
    write_recommendations_table(document, styles, session, round_, reviews, numbers)
    add_page_break(document)
    add_paragraph(body, styles, "Appendix: Question Template", "Heading 1")
    add_text(body, styles, round_.template_cover_text)
    write_question_table(document, styles, template_themes(round_))
    return document, preview


def _state_check(document: Document, statement: str) -> None:
    """Say under the title page's note (and in the file's comments) what the identifying-data check
    found: the document states what was checked, never a fixed claim."""
    from docx.oxml.ns import qn

    for p in document.element.body.iter(qn("w:p")):
        if "".join(t.text or "" for t in p.iter(qn("w:t"))).startswith("This report contains"):
            runs = list(p.iter(qn("w:t")))
            runs[-1].text = f"{runs[-1].text} {statement}"
            break
    document.core_properties.comments = f"{document.core_properties.comments} {statement}"[:255]


def export_report(session: Session, round_: Round, target: str | os.PathLike[str], *, author: str = "",
                  progress: Progress | None = None, override_identifying: bool = False) -> ExportPreview:
    """Write the round's Section 11 report to ``target`` atomically (the old file stays until the new
    one is complete); returns the preview, whose warnings say what is missing. Refused with
    ``IdentifyingDataFound`` if the text holds identifying data, unless ``override_identifying``."""
    document, preview = build_report(session, round_, author=author, progress=progress)
    _state_check(document, guard(session, f"The Section 11 report {round_.label}", docx_pieces(document),
                                 override=override_identifying, record_uuid=round_.uuid))
    if progress:
        total = len(preview.included) + 3
        progress(total - 1, total, "Saving the document")
    save_docx(document, target)
    if progress:
        progress(total, total, "Done")
    return preview


__all__ = ["build_report", "count", "export_report", "number_word"]
