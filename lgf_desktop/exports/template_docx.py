"""The question template sent to organisations in advance (Word), and the three-column
Theme | Questions to Explore | Responses table that the report also uses for each review and for
its appendix."""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from docx.document import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Cm
from sqlalchemy.orm import Session

from ..models import Round
from ..services.review.report_texts import fill
from .docx_common import (
    Cell, StyleIds, TableBuilder, add_paragraph, add_picture, add_text, new_document, save_docx,
)
from .preview import ExportPreview, summarise_template
from ..services.partnership import logo_bytes
from .report_data import ReportData, TemplateTheme, read_template_only
from .report_prose import placeholder_values
from .word_template import TemplateSource, stored_template, usable_package

QUESTION_COLUMNS = ("Theme", "Questions to Explore", "Responses")
QUESTION_WIDTHS_CM = (3.6, 5.6, 7.8)  # 17 cm: A4 less two 2 cm margins
RECOMMENDATION_FILL = "FFF2CC"
CONTINUATION_CHARS = 1200  # about a third of a page in the Responses column  # a pale yellow so agreed recommendations stand out in the table


@dataclass
class QuestionRow:
    question: str
    sub_prompts: list[str] = field(default_factory=list)
    response: str = ""
    # ("Recommendation 3:", text) rows printed straight after this question.
    recommendations: list[tuple[str, str]] = field(default_factory=list)
    # One response with the question above (the Responses cells are merged, this row's text after it).
    answered_above: bool = False
    # Left blank on purpose: the cell stays empty, never "No response was recorded.".
    blank: bool = False


def question_cell_text(question: str, sub_prompts: Sequence[str]) -> str:
    """The question with its sub-prompts as bullet lines."""
    return "\n".join([question, *(f"- {p}" for p in sub_prompts)])


def answered_together(rows: Sequence[QuestionRow]) -> list[list[QuestionRow]]:
    """A theme's questions in groups sharing one response: a question answered with the one above
    joins its group (the first question of a theme always starts one)."""
    groups: list[list[QuestionRow]] = []
    for row in rows:
        if groups and row.answered_above:
            groups[-1].append(row)
        else:
            groups.append([row])
    return groups


def write_question_table(document: Document, styles: StyleIds,
                         themes: Sequence[tuple[str, Sequence[QuestionRow]]], *, empty_response: str = "") -> int:
    """The Theme | Questions to Explore | Responses table: the heading row repeats on every page, the
    theme cell is merged down across its questions (and their recommendation rows), and each
    recommendation row spans the question and response columns. Questions answered together share
    one Responses cell merged down across them, their recommendations after the last of them.
    Returns the number of rows."""
    table = TableBuilder(document, QUESTION_WIDTHS_CM, styles=styles)
    table.header(QUESTION_COLUMNS)
    for theme, rows in themes:
        first = True
        for group in answered_together(rows):
            response = "\n".join(r.response.strip() for r in group if r.response.strip())
            forgotten = not response and not group[0].blank and bool(empty_response)
            parts = response_parts(response if response or not forgotten else empty_response)
            recommendations = [rec for r in group for rec in r.recommendations]
            for index, row in enumerate(group):
                theme_cell = Cell(theme, merge="restart") if first else Cell(merge="continue")
                first = False
                if len(group) == 1:
                    response_cell = Cell(parts[0], italic=forgotten)
                elif index == 0:
                    response_cell = Cell(parts[0], merge="restart", italic=forgotten)
                else:
                    response_cell = Cell(merge="continue")
                last = index == len(group) - 1
                # A shared response keeps its questions on one page (the merged cell spans them).
                table.row([theme_cell, question_cell_text(row.question, row.sub_prompts), response_cell],
                          keep_with_next=not last or (bool(recommendations) and len(parts) == 1))
            # A long response goes on in rows of its own that name the theme and question again, so
            # a reader on page 9 of a 13-page answer still sees what it answers (Word repeats only
            # header rows). Each part is kept whole, so every page starts with a labelled row (rows
            # left free to break began each page with blank Theme and Question cells in the render);
            # a part taller than a page still breaks, in Word and LibreOffice alike.
            for index, part in enumerate(parts[1:], start=2):
                table.row([Cell(f"{theme} (continued)", merge="restart", italic=True),
                           Cell(f"{first_line(group[0].question)} (continued)", italic=True), part],
                          keep_with_next=bool(recommendations) and index == len(parts))
            for label, text in recommendations:
                table.row([Cell(merge="continue"), Cell(text, span=2, label=label, fill=RECOMMENDATION_FILL)])
    return table.rows


def first_line(text: str) -> str:
    line = text.strip().split("\n")[0]
    return line if len(line) <= 120 else line[:119].rstrip() + "…"


def response_parts(text: str, size: int = CONTINUATION_CHARS) -> list[str]:
    """A response cut, between paragraphs (or, for one huge paragraph, between sentences or words),
    into parts of about ``size`` characters."""
    if len(text) <= size * 1.5:
        return [text]
    parts: list[str] = []
    current: list[str] = []
    length = 0
    for line in text.split("\n"):
        pieces = [line]
        while len(pieces[-1]) > size:  # one paragraph longer than a part: cut at a sentence or a space
            long = pieces.pop()
            cut = max(long.rfind(". ", 0, size), long.rfind(" ", 0, size))
            cut = cut + 1 if cut > size // 2 else size
            pieces += [long[:cut].rstrip(), long[cut:].lstrip()]
        for piece in pieces:
            if current and length + len(piece) > size:
                parts.append("\n".join(current))
                current, length = [], 0
            current.append(piece)
            length += len(piece) + 1
    if current:
        parts.append("\n".join(current))
    return parts


def template_themes(template: Round | Sequence[TemplateTheme]) -> list[tuple[str, list[QuestionRow]]]:
    """A template (a round's current one, or a report's data) as table content with empty responses."""
    themes = template.themes if isinstance(template, Round) else template
    return [(t.title, [QuestionRow(q.text, list(q.sub_prompts)) for q in t.questions])
            for t in themes if t.questions]


def title_block(document: Document, styles: StyleIds, round_: Round, title: str, dated: str, *,
                logo_cm: float = 7.0, space_before_cm: float = 0.0) -> None:
    """Logo (when set), the partnership, the document's title and its date line, centred."""
    title_lines(document, styles, round_.partnership.name, logo_bytes(round_.partnership), title, dated,
                logo_cm=logo_cm, space_before_cm=space_before_cm)


def title_lines(document: Document, styles: StyleIds, partnership: str, logo: bytes | None, title: str, dated: str,
                *, logo_cm: float = 7.0, space_before_cm: float = 0.0) -> None:
    """Logo (when given), the partnership, the document's title and its date line, centred."""
    body = document.element.body
    if logo is not None:
        add_picture(document, logo, logo_cm, WD_ALIGN_PARAGRAPH.CENTER)
        document.paragraphs[-1].paragraph_format.space_before = Cm(space_before_cm)
        space_before_cm = 0.5
    for text, style in ((partnership, "Subtitle"), (title, "Title"), (dated, "Subtitle")):
        if text:
            p = add_paragraph(body, styles, text, style)
            p.get_or_add_pPr().jc_val = WD_ALIGN_PARAGRAPH.CENTER
            p.get_or_add_pPr().spacing_before = Cm(space_before_cm)
            space_before_cm = 0.0


def chosen_template(data: ReportData, chosen: str | os.PathLike[str] | None, warnings: list[str]) -> TemplateSource:
    """The Word template an export uses: one chosen for this export (checked: a bad one is refused),
    else the partnership's own (a broken one falls back to the app's, with a warning)."""
    if chosen:
        usable_package(chosen)
        return str(chosen)
    stored, problem = stored_template(data.partnership.word_template)
    if problem:
        warnings.append(problem)
    return stored


def build_template(session: Session, round_: Round, author: str = "",
                   template: str | os.PathLike[str] | None = None) -> tuple[Document, ExportPreview]:
    return render_template(read_template_only(round_), author=author, template=template)


def render_template(data: ReportData, *, author: str = "",
                    template: str | os.PathLike[str] | None = None) -> tuple[Document, ExportPreview]:
    """The question template as a python-docx Document from the round's data alone."""
    preview = summarise_template(data)
    template = chosen_template(data, template, preview.warnings)
    title = f"Section 11 Question Template {data.round_label}"
    document = new_document(
        title=title, header_text=data.partnership.name, author=author, subject=f"Section 11 {data.round_label}",
        comments=f"The question template of round {data.round_label}: {preview.themes} themes and "
                 f"{preview.questions} questions. It contains no personal information.", template=template,
    )
    styles = StyleIds(document)
    body = document.element.body
    # The label goes on its own line: "2021-22" would otherwise break at its hyphen in the Title style.
    title_lines(document, styles, data.partnership.name, data.partnership.logo, "Section 11 Question Template",
                f"Round {data.round_label}", logo_cm=5.0)
    add_text(body, styles, fill(data.texts.template_cover, placeholder_values(data)))
    for label in ("Organisation:", "Date of the workshop:", "Completed by:"):
        add_paragraph(body, styles, "", label=label)
    write_question_table(document, styles, template_themes(data.template))
    return document, preview


def export_template(session: Session, round_: Round, target: str | os.PathLike[str], *, author: str = "",
                    progress: Callable[[int, int, str], None] | None = None,
                    template: str | os.PathLike[str] | None = None) -> ExportPreview:
    """Write the round's question template to ``target`` atomically; returns its preview."""
    progress = progress or (lambda done, total, message: None)
    progress(0, 2, "Writing the question template")
    document, preview = build_template(session, round_, author, template)
    progress(1, 2, "Saving the document")
    save_docx(document, target)
    progress(2, 2, "Done")
    return preview
