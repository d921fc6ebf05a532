"""The year-one report of a self-assessment round as a Word document, in the house style of the
Section 11 peer-review report (``report_docx``): title block, Background, Methodology computed from
the data (organisations asked, returned, partly, not yet), a summary table of organisations ×
standards, what works well and what needs to improve per standard, each organisation's answers, the
recommendations table, and the form as an appendix.

The report's content is gathered from the database in one pass (``report_content``, plain data) and
rendered from that alone (``render_report``); every count and list in the text is computed there.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass

from docx.document import Document
from docx.shared import Cm
from sqlalchemy.orm import Session

from ..dates import long_date, month_year
from ..models import Round
from ..services.partnership import logo_bytes
from ..services.privacy.leaving import docx_pieces, guard
from ..services.self_assessment.collation import Collation, OrganisationRow, collate
from ..services.self_assessment.moderation import self_assessment_recommendations
from ..services.self_assessment.standards import setup_of, standards_of
from .docx_common import Cell, StyleIds, TableBuilder, add_page_break, add_paragraph, add_text, new_document, save_docx
from .report_data import count
from .report_prose import join_names, number_word, sentence
from .template_docx import title_lines

NOT_ANSWERED_FILL = "FFFFFF"


@dataclass(frozen=True)
class RecommendationLine:
    number: int
    organisation: str  # "" for the partnership's own
    text: str


@dataclass(frozen=True)
class ReportContent:
    partnership: str
    logo: bytes | None  # the partnership's logo, from the database
    round_label: str
    report_month: str
    background: str
    methodology_intro: str
    conclusion: str
    collation: Collation
    guidance: dict[int, str]  # standard id → guidance
    recommendations: list[RecommendationLine]


def report_content(session: Session, round_: Round) -> ReportContent:
    setup_of(session, round_)  # refuses a round that is not a self-assessment
    recs = self_assessment_recommendations(session, round_)
    return ReportContent(
        partnership=round_.partnership.name, logo=logo_bytes(round_.partnership), round_label=round_.label, report_month=month_year(round_.report_month),
        background=round_.background_text, methodology_intro=round_.methodology_intro,
        conclusion=round_.conclusion_text, collation=collate(session, round_),
        guidance={s.id: s.guidance for s in standards_of(session, round_)},
        recommendations=[RecommendationLine(n, r.organisation.name if r.organisation else "", r.text)
                         for n, r in enumerate(recs, start=1)])


# --- the computed text -----------------------------------------------------------------------------


def short_rating(label: str, labels: Sequence[str]) -> str:
    """A rating in a narrow cell: its first letter when no other option of the scale shares it
    ("Fully met" → "F"), else its initials ("Requires improvement" → "RI"); "–" for not applicable."""
    if label.lower() == "not applicable":
        return "–"
    if not label:
        return ""
    others = [other for other in labels if other != label and other.lower() != "not applicable"]
    if all(other[:1].upper() != label[:1].upper() for other in others):
        return label[:1].upper()
    return "".join(word[0].upper() for word in label.split())


def pale(colour: str) -> str:
    """The scale's colour halfway to white, so black text stays readable on it (and prints in grey)."""
    colour = colour.lstrip("#")
    if len(colour) != 6:
        return NOT_ANSWERED_FILL
    channels = [int(colour[i:i + 2], 16) for i in (0, 2, 4)]
    return "".join(f"{(c + 255) // 2:02X}" for c in channels)


def methodology_paragraphs(content: ReportContent) -> list[str]:
    c = content.collation
    rows = c.rows
    scale = c.scale
    returned = [r.organisation for r in rows if r.state == "returned"]
    partly = [r.organisation for r in rows if r.state == "partly"]
    not_yet = [r for r in rows if r.state == "not yet"]
    ranked = [o.label for o in scale.options if not o.not_applicable]
    paragraphs = [
        f"{number_word(len(rows)).capitalize()} organisation{'s were' if len(rows) != 1 else ' was'} asked to "
        f"complete the written Section 11 self-assessment, rating their arrangements against "
        f"{number_word(len(c.standards))} standard{'s' if len(c.standards) != 1 else ''} on the scale "
        f"{join_names(ranked)}. A standard that does not apply to an organisation could be marked "
        f"'{scale.not_applicable}' with a reason; it is then left out of that organisation's standards that apply.",
    ]
    parts = []
    if returned:
        parts.append(f"{count(len(returned), 'organisation')} returned a complete self-assessment")
    if partly:
        parts.append(f"{count(len(partly), 'organisation')} returned a partly completed one ({join_names(partly)})")
    if not_yet:
        parts.append(f"{count(len(not_yet), 'organisation')} had not returned it")
    if parts:
        paragraphs.append(sentence(join_names(parts)[0].upper() + join_names(parts)[1:]))
    for row in not_yet:
        chased = join_names([long_date(d) for d in row.chased])
        paragraphs.append(f"{row.organisation} had not returned its self-assessment"
                          + (f"; it was chased on {chased}." if chased else "."))
    if c.previous_label:
        confirmed = sum(1 for r in rows for cell in r.cells.values() if cell.confirmed_unchanged)
        carried = sum(1 for r in rows for cell in r.cells.values() if cell.carried_from)
        paragraphs.append(f"Each form came filled in with the organisation's answers from {c.previous_label} to confirm "
                          f"or update; {count(confirmed, 'answer')} of {carried} carried forward "
                          f"{'was' if confirmed == 1 else 'were'} confirmed unchanged.")
    return paragraphs


def standard_counts_sentence(content: ReportContent, standard_id: int) -> str:
    counts = content.collation.per_standard()[standard_id]
    total = sum(counts.values())
    if not total:
        return "No organisation has rated this standard yet."
    parts = [f"{n} {label.lower() if label != content.collation.scale.not_applicable else label.lower()}"
             for label in content.collation.scale.labels if (n := counts.get(label, 0))]
    return f"Of the {count(total, 'organisation')} that rated this standard: {join_names(parts)}."


# --- rendering ---------------------------------------------------------------------------------------


def _summary_table(document: Document, styles: StyleIds, content: ReportContent) -> None:
    c = content.collation
    n = len(c.standards)
    number_width = round(min(1.1, 12.4 / max(n, 1)), 2)
    key = "; ".join(f"{s.number} {s.title}" for s in c.standards)
    add_paragraph(document.element.body, styles, f"Standards: {key}.", italic=True)
    ratings = "; ".join(f"{short_rating(label, c.scale.labels)} {label}" for label in c.scale.labels)
    add_paragraph(document.element.body, styles, f"Ratings (after moderation): {ratings}; a blank cell is not answered.",
                  italic=True)
    table = TableBuilder(document, (17.0 - number_width * n, *([number_width] * n)), styles=styles)
    table.header(("Organisation", *(str(s.number) for s in c.standards)))
    for row in c.rows:
        cells = [Cell(row.organisation if row.state != "not yet" else f"{row.organisation} (not returned)")]
        for s in c.standards:
            agreed = cell.agreed if (cell := row.cells.get(s.id)) else ""
            colour = pale(c.scale.colour(agreed)) if agreed else NOT_ANSWERED_FILL
            cells.append(Cell(short_rating(agreed, c.scale.labels), fill=colour))
        table.row(cells)


def _per_standard(document: Document, styles: StyleIds, content: ReportContent) -> None:
    body = document.element.body
    c = content.collation
    for s in c.standards:
        add_paragraph(body, styles, f"Standard {s.number}: {s.title}", "Heading 2")
        add_paragraph(body, styles, s.wording, italic=True)
        add_paragraph(body, styles, standard_counts_sentence(content, s.id))
        for field, heading in (("works_well", "What works well"), ("to_improve", "What needs to improve")):
            lines = [f"- {row.organisation}: {getattr(cell, field)}" for row in c.rows
                     if (cell := row.cells.get(s.id)) is not None and getattr(cell, field).strip()]
            if lines:
                add_paragraph(body, styles, "", label=f"{heading}:")
                add_text(body, styles, "\n".join(line.replace("\n", " ") for line in lines))


def _organisation(document: Document, styles: StyleIds, content: ReportContent, row: OrganisationRow) -> None:
    body = document.element.body
    c = content.collation
    add_paragraph(body, styles, f"Self-Assessment {row.organisation}", "Heading 1")
    if row.state == "not yet":
        chased = join_names([long_date(d) for d in row.chased])
        add_paragraph(body, styles, f"{row.organisation} had not returned its self-assessment"
                      + (f"; it was chased on {chased}." if chased else "."))
        return
    rated = sum(1 for cell in row.cells.values() if cell.agreed)
    when = f" on {long_date(row.returned_on)}" if row.returned_on else ""
    state = "a complete" if row.state == "returned" else "a partly completed"
    add_paragraph(body, styles, f"{row.organisation} returned {state} self-assessment{when}, rating "
                                f"{rated} of {count(len(c.standards), 'standard')}.")
    table = TableBuilder(document, (5.0, 3.0, 9.0), styles=styles)
    table.header(("Standard", "Rating", "Evidence and comments"))
    for s in c.standards:
        cell = row.cells.get(s.id)
        if cell is None:
            table.row([f"{s.number}. {s.title}", "", Cell("Not answered.", italic=True)])
            continue
        rating = cell.agreed or "Not rated"
        lines = []
        if cell.moderated and cell.moderated != cell.rating:
            lines.append(f"Rated {cell.rating or 'not rated'} by the organisation; moderated by the panel to {cell.moderated}.")
        if cell.previous:
            how = f" ({cell.comparison})" if cell.comparison else ""
            lines.append(f"{c.previous_label}: {cell.previous}{how}.")
        for label, text in (("Not applicable because:", cell.not_applicable_reason), ("Evidence:", cell.evidence),
                            ("What works well:", cell.works_well), ("What needs to improve:", cell.to_improve),
                            ("Planned actions:", cell.actions), ("Challenge from the panel:", cell.challenge)):
            if text.strip():
                lines.append(f"{label} {' '.join(text.split())}")
        if cell.actions.strip() and (cell.action_owner or cell.action_due):
            # "due by <date>": a date said to be when something happens is never taken for a birth date.
            due = f"due by {long_date(cell.action_due)}" if cell.action_due else ""
            lines.append("Action: " + "; ".join(x for x in (cell.action_owner, due) if x) + ".")
        fill = pale(c.scale.colour(cell.agreed)) if cell.agreed else None
        table.row([f"{s.number}. {s.title}", Cell(rating, fill=fill), "\n".join(lines)], cant_split=False)


def _recommendations(document: Document, styles: StyleIds, content: ReportContent) -> None:
    body = document.element.body
    if not content.recommendations:
        add_paragraph(body, styles, "No recommendations were made from the self-assessment.")
        return
    table = TableBuilder(document, (2.2, 14.8), styles=styles)
    table.header(("Number", "Recommendation"))
    groups: dict[str, list[RecommendationLine]] = {}
    for rec in content.recommendations:
        groups.setdefault(rec.organisation, []).append(rec)
    for organisation in sorted(groups, key=lambda o: (o == "", o)):
        title = f"Recommendations: {organisation}" if organisation else "Recommendations for the Children's Partnership"
        table.row([Cell(title, span=2, bold=True, fill="F2F2F2")])
        for rec in groups[organisation]:
            table.row([Cell(str(rec.number), bold=True), rec.text])


def _appendix(document: Document, styles: StyleIds, content: ReportContent) -> None:
    c = content.collation
    add_paragraph(document.element.body, styles,
                  f"Each organisation rated every standard on the scale {', '.join(c.scale.labels)}, and gave its "
                  "evidence, what works well, what needs to improve and its planned actions with an owner and a date.")
    table = TableBuilder(document, (1.2, 9.8, 6.0), styles=styles)
    table.header(("No.", "Standard", "What to cover"))
    for s in c.standards:
        table.row([str(s.number), Cell(s.wording, label=f"{s.title}:"), content.guidance.get(s.id, "")])


def render_report(content: ReportContent, *, author: str = "") -> Document:
    c = content.collation
    title = f"Section 11 Self-Assessment {content.round_label}"
    dated = ", ".join(x for x in (f"Round {content.round_label}", content.report_month) if x)
    returned = sum(1 for r in c.rows if r.state != "not yet")
    document = new_document(
        title=title, header_text=content.partnership, author=author, subject=f"Section 11 {content.round_label}",
        comments=f"The written Section 11 self-assessments of {count(returned, 'organisation')} against "
                 f"{count(len(c.standards), 'standard')}, and the recommendations.")
    styles = StyleIds(document)
    body = document.element.body
    # The label on the date line, as the question template does: "2020-21" would break at its hyphen in Title.
    title_block_plain(document, styles, content, "Section 11 Self-Assessment", dated)
    note = add_paragraph(body, styles, f"This report contains the self-assessments of {count(len(c.rows), 'organisation')} "
                         "asked, as they returned them, the panel's moderation and the recommendations. It names "
                         "the organisations and the owners of their actions.", italic=True)
    note.get_or_add_pPr().spacing_before = Cm(6)
    add_page_break(document)
    add_paragraph(body, styles, "Background", "Heading 1")
    add_text(body, styles, content.background)
    add_paragraph(body, styles, "Methodology", "Heading 1")
    add_text(body, styles, content.methodology_intro)
    for paragraph in methodology_paragraphs(content):
        add_paragraph(body, styles, paragraph)
    add_paragraph(body, styles, "Summary", "Heading 1")
    _summary_table(document, styles, content)
    add_page_break(document)
    add_paragraph(body, styles, "The Standards", "Heading 1")
    _per_standard(document, styles, content)
    for row in c.rows:
        add_page_break(document)
        _organisation(document, styles, content, row)
    if content.conclusion.strip():
        add_page_break(document)
        add_paragraph(body, styles, "Conclusion", "Heading 1")
        add_text(body, styles, content.conclusion)
    add_page_break(document)
    add_paragraph(body, styles, "Recommendations", "Heading 1")
    _recommendations(document, styles, content)
    add_page_break(document)
    add_paragraph(body, styles, "Appendix: The Self-Assessment Form", "Heading 1")
    _appendix(document, styles, content)
    return document


def title_block_plain(document: Document, styles: StyleIds, content: ReportContent, title: str, dated: str) -> None:
    """The peer-review report's title block (``template_docx.title_lines``) from the plain content."""
    title_lines(document, styles, content.partnership, content.logo, title, dated, space_before_cm=4.0)


def export_self_assessment_report(session: Session, round_: Round, target: str | os.PathLike[str], *,
                                  author: str = "", override_identifying: bool = False) -> str:
    """Write the year-one report atomically; refused (``IdentifyingDataFound``) while the
    identifying-data check finds something, unless overridden. Returns what was written."""
    content = report_content(session, round_)
    document = render_report(content, author=author)
    statement = guard(session, f"The Section 11 self-assessment report {round_.label}", docx_pieces(document),
                      override=override_identifying, record_uuid=round_.uuid)
    for p in document.paragraphs:
        if p.text.startswith("This report contains"):
            p.runs[-1].text = f"{p.runs[-1].text} {statement}"
            break
    save_docx(document, target)
    returned = sum(1 for r in content.collation.rows if r.state != "not yet")
    return (f"Wrote {target}: the {round_.label} self-assessments of {returned} of "
            f"{count(len(content.collation.rows), 'organisation')}, {count(len(content.recommendations), 'recommendation')}.")


__all__: Sequence[str] = ["export_self_assessment_report", "render_report", "report_content"]
