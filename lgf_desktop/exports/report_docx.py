"""The Section 11 report of a round as a Word document, in the regional report's order: title
block, Background, Methodology, one "Peer Review <organisation>" section per review, Conclusion, the
recommendations table, and the numbered appendices (the question template among them).

The document is rendered from the report's data (``report_data.ReportData``) alone, read from the
database in one place; nothing here walks a session. Every count and list in the text
(organisations, panel, themes, workshop length) is computed from that data; recommendation numbers
come from ``services.review.numbering.report_numbers`` through it, so the body, the recommendations table
and the tracker agree.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence

from docx.document import Document
from docx.shared import Cm
from sqlalchemy.orm import Session

from ..dates import long_date, month_year
from ..models import Round
from ..services.privacy.leaving import docx_pieces, guard
from .docx_common import (
    HEADER_FILL, Cell, StyleIds, TableBuilder, add_page_break, add_paragraph, add_text, new_document, save_docx, set_list,
)
from .preview import ExportPreview, count, summarise_report
from .report_data import EntryData, RecommendationData, ReportData, ReviewData, read_report
from ..services.review.appendices import TEMPLATE
from ..services.review.report_texts import fill
from .report_prose import Names, contact_history, join_names, number_word, people, placeholder_values
from .template_docx import QuestionRow, chosen_template, template_themes, title_lines, write_question_table

Progress = Callable[[int, int, str], None]
NO_RESPONSE = "No response was recorded."


# --- the sections ------------------------------------------------------------------------------------


def methodology_paragraphs(data: ReportData) -> list[str]:
    """The computed part of the Methodology (after the round's own introduction)."""
    paragraphs = []
    chair = data.chair
    members = [m for m in data.panel if m is not chair]
    if chair is not None and members:
        paragraphs.append(f"The peer review panel was chaired by {chair.described}. Its other members were "
                          f"{'; '.join(m.described for m in members)}.")
    elif data.panel:
        paragraphs.append(f"The peer review panel was {'; '.join(m.described for m in data.panel)}.")
    paragraphs.append("A template with the questions was sent to each organisation in advance of its workshop, "
                      "and organisations were asked to invite key professionals, including front line "
                      "practitioners as well as senior safeguarding staff and managers.")
    if data.held:
        # The round's workshop length, the one source the appendix and the template sent in advance
        # also print ({workshop_minutes}); a review whose clock ran to another length is a preview warning.
        paragraphs.append(f"The workshops lasted {data.workshop_minutes} minutes. The panel members took minutes at "
                          "each workshop, and these were collated to form this report. A copy of the question "
                          f"template can be found at Appendix {data.template_appendix} of this report.")
    return paragraphs


def organisations_paragraph(reviews: Sequence[ReviewData], names: Names) -> str:
    """The organisations in the report, each introduced with its short name (the first mention)."""
    listed = [names.mention(r.organisation) for r in reviews]
    declined = [names.mention(r.organisation) for r in reviews if r.status == "declined"]
    n = len(reviews)
    text = (f"This report contains the peer reviews of {number_word(n)} organisation{'s' if n != 1 else ''}: "
            f"{join_names(listed)}.")
    if declined:
        verb = "was" if len(declined) == 1 else "were"
        text += (f" {join_names(declined)} {verb} chosen for peer review but did not engage with the process, "
                 f"so {'its review' if len(declined) == 1 else 'their reviews'} did not take place.")
    return text


def held_review_paragraph(review: ReviewData, names: Names) -> str:
    parts = [f"This review took place on {long_date(review.review_date)}." if review.review_date
             else "The date of this review was not recorded."]
    if review.panel_present:
        parts.append(f"The peer review panel was {join_names(review.panel_present)}.")
    if review.attendees:
        parts.append(f"The representatives for {names.mention(review.organisation)} were {people(review.attendees)}.")
    if review.apologies:
        parts.append(f"Apologies were received from {people(review.apologies)}.")
    return " ".join(parts)


def contact_paragraph(review: ReviewData, names: Names, lead: str, values: dict[str, str]) -> str:
    """An organisation that declined: the round's sentence for it (``lead``, its placeholders
    filled), then its contact history in prose."""
    opening = fill(lead, {**values, "organisation": names.mention(review.organisation)})
    history = contact_history(review.contacts, names.mention(review.organisation))
    # Panel members recorded as present on a review that never took place are those who were to
    # conduct it (the seed: "… had agreed to conduct the peer review for CVS").
    conducting = (f"{join_names(review.panel_present)} had agreed to conduct the peer review of "
                  f"{names.mention(review.organisation)}." if review.panel_present else "")
    return " ".join(part for part in (opening.strip(), history, conducting) if part)


def review_themes(review: ReviewData) -> list[tuple[str, list[QuestionRow]]]:
    """A held review's table content: themes in order, each question with its response and the
    recommendations agreed on it."""
    themes: list[tuple[str, list[QuestionRow]]] = []
    for entry in review.entries:
        if not themes or themes[-1][0] != entry.theme:
            themes.append((entry.theme, []))
        themes[-1][1].append(question_row(entry))
    return themes


def question_row(entry: EntryData) -> QuestionRow:
    return QuestionRow(entry.question, list(entry.sub_prompts), entry.response,
                       [(f"Recommendation {r.number}:", r.text) for r in entry.recommendations],
                       answered_above=entry.answered_above, blank=entry.not_discussed and not entry.answered)


def write_review(document: Document, styles: StyleIds, review: ReviewData, names: Names, texts: ReportData, *,
                 heading: str = "Heading 1", new_page: bool = False) -> None:
    """One "Peer Review <organisation>" section as the local report prints it; the regional report
    prints each partnership's the same way, one heading level down (``heading``), each on a new
    page (``new_page``: the heading's own page break, so no empty page when the one before is full)."""
    body = document.element.body
    title = add_paragraph(body, styles, f"Peer Review {review.organisation.name}", heading)
    if new_page:
        title.get_or_add_pPr().pageBreakBefore_val = True
    if review.status == "held":
        add_paragraph(body, styles, held_review_paragraph(review, names))
        add_text(body, styles, review.overall_comment)
        write_question_table(document, styles, review_themes(review), empty_response=NO_RESPONSE)
    else:
        add_paragraph(body, styles, contact_paragraph(review, names, texts.texts.declined, placeholder_values(texts)))
    # After the table, or after a declined organisation's contact history: those agreed on no question
    # of the table, the organisation's (numbered) then the partnership's (lettered).
    for rec in (*review.loose, *review.partnership_loose):
        add_text(body, styles, rec.text, label=f"Recommendation {rec.number}:")


GROUP_FILL = "F2F2F2"


def write_recommendations_table(document: Document, styles: StyleIds, data: ReportData) -> int:
    """Number | Recommendation, grouped by organisation (1…n) under its short name, as the seed's
    "Recommendations: LPW", then the partnership's (A…), each in its full wording when it has one.
    As in the seed, the heading row carries the first organisation's group title ("Number |
    Recommendations: BNSSG CCG"); each later organisation's title sits in the Recommendation column
    and the partnership's heading spans the table."""
    groups: list[tuple[str, Sequence[RecommendationData], bool]] = [
        (f"Recommendations: {r.organisation.display_name}", r.recommendations, False) for r in data.included]
    groups.append((fill(data.texts.partnership_heading, placeholder_values(data)), data.partnership_recommendations,
                   True))
    groups = [group for group in groups if group[1]]
    if not groups:
        add_paragraph(document.element.body, styles, "No recommendations were made in this round.")
        return 0
    table = TableBuilder(document, (2.2, 14.8), styles=styles)
    first_title, _recs, first_is_partnership = groups[0]
    if first_is_partnership:
        table.header(("Number", "Recommendation"))
    else:
        # A heading naming the first organisation would mislabel the others' rows if Word repeated it
        # on a later page, so it repeats only when that organisation's are the table's only rows.
        table.row([Cell("Number", bold=True, fill=HEADER_FILL), Cell(first_title, bold=True, fill=HEADER_FILL)],
                  header=len(groups) == 1)
    written = 0
    for index, (title, recs, is_partnership) in enumerate(groups):
        if index == 0 and not is_partnership:
            pass  # its title is in the heading row
        elif is_partnership:
            table.row([Cell(title, span=2, bold=True, fill=GROUP_FILL)], keep_with_next=True)
        else:
            table.row([Cell("", fill=GROUP_FILL), Cell(title, bold=True, fill=GROUP_FILL)], keep_with_next=True)
        for rec in recs:
            table.row([Cell(rec.number, bold=True), rec.table_text])
            written += 1
    return written


def write_appendices(document: Document, styles: StyleIds, data: ReportData, values: dict[str, str]) -> None:
    """The numbered appendices, each on a new page: the round's own texts and the question template
    (its cover text, then the table with the Responses column empty)."""
    body = document.element.body
    for appendix in data.report_appendices:
        add_page_break(document)
        add_paragraph(body, styles, f"Appendix {appendix.number}: {appendix.title}".rstrip(": "), "Heading 1")
        if appendix.kind == TEMPLATE:
            add_text(body, styles, fill(data.texts.template_cover, values))
            write_question_table(document, styles, template_themes(data.template))
        else:
            add_text(body, styles, fill(appendix.text, values))


def build_report(session: Session, round_: Round, *, author: str = "", progress: Progress | None = None,
                 template: str | os.PathLike[str] | None = None) -> tuple[Document, ExportPreview]:
    """The report as a python-docx Document (not yet saved) and its preview."""
    return render_report(read_report(session, round_), author=author, progress=progress, template=template)


def render_report(data: ReportData, *, author: str = "", progress: Progress | None = None,
                  template: str | os.PathLike[str] | None = None) -> tuple[Document, ExportPreview]:
    """The report as a python-docx Document (not yet saved) and its preview, from its data alone.
    ``template`` (a Word file chosen for this export) overrides the partnership's own."""
    progress = progress or (lambda done, total, message: None)
    preview = summarise_report(data)
    template = chosen_template(data, template, preview.warnings)
    reviews = data.included
    total = len(reviews) + 3
    progress(0, total, "Writing the title page, Background and Methodology")
    title = f"Section 11 Report {data.round_label}"
    document = new_document(
        title=title, header_text=data.partnership.name, author=author, subject=f"Section 11 {data.round_label}",
        comments=f"Peer reviews of {count(len(reviews), 'organisation')} with the names and roles of the "
                 "professionals who took part, and the recommendations.", template=template,
    )
    styles = StyleIds(document)
    body = document.element.body
    title_lines(document, styles, data.partnership.name, data.partnership.logo, title, month_year(data.report_month),
                space_before_cm=4.0)
    # Exports are the only way data leaves the machine: each says what it contains.
    note = add_paragraph(body, styles, f"This report contains the peer reviews of {count(len(reviews), 'organisation')}, "
                         "the recommendations agreed and the question template. It names the professionals who took "
                         "part.", italic=True)
    note.get_or_add_pPr().spacing_before = Cm(6)
    add_page_break(document)

    add_paragraph(body, styles, "Background", "Heading 1")
    values = placeholder_values(data)
    add_text(body, styles, fill(data.texts.background, values))
    add_paragraph(body, styles, "Methodology", "Heading 1")
    add_text(body, styles, fill(data.texts.methodology_intro, values))
    for paragraph in methodology_paragraphs(data):
        add_paragraph(body, styles, paragraph)
    themes = data.themes
    add_paragraph(body, styles, f"The questions explored {number_word(len(themes))} theme{'s' if len(themes) != 1 else ''}:")
    for theme in themes:
        set_list(add_paragraph(body, styles, theme, "List Bullet"), styles.list_id("bullet"))
    names = Names()
    add_paragraph(body, styles, organisations_paragraph(reviews, names))

    for index, review in enumerate(reviews, start=1):
        progress(index, total, f"Writing the peer review of {review.organisation.display_name}")
        add_page_break(document)
        write_review(document, styles, review, names, data)

    progress(len(reviews) + 1, total, "Writing the Conclusion, recommendations and appendix")
    add_page_break(document)
    add_paragraph(body, styles, "Conclusion", "Heading 1")
    add_text(body, styles, fill(data.texts.conclusion, values))
    add_page_break(document)
    add_paragraph(body, styles, "Recommendations", "Heading 1")
    write_recommendations_table(document, styles, data)
    write_appendices(document, styles, data, values)
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
                  progress: Progress | None = None, override_identifying: bool = False,
                  template: str | os.PathLike[str] | None = None) -> ExportPreview:
    """Write the round's Section 11 report to ``target`` atomically (the old file stays until the new
    one is complete); returns the preview, whose warnings say what is missing. Refused with
    ``IdentifyingDataFound`` if the text holds identifying data, unless ``override_identifying``."""
    document, preview = build_report(session, round_, author=author, progress=progress, template=template)
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
