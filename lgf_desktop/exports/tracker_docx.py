"""The tracker in Word: the table for the partnership executive (the tracker or its filtered view,
grouped by organisation, A4 landscape) and, per organisation, the update request for the year-two
monitoring — its open recommendations with space to write progress and evidence of impact.

Built with the shared helpers of ``docx_common`` (clean text, header, Page X of Y, tables).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from pathlib import Path

from docx.document import Document
from docx.enum.section import WD_ORIENT
from docx.oxml.ns import qn
from docx.shared import Mm
from sqlalchemy.orm import Session

from ..dates import long_date, short_date
from ..errors import UserError
from ..models import RECOMMENDATION_STATUSES, Organisation
from ..services.partnership import word_template_source
from ..services.privacy.leaving import guard
from ..services.review.rounds import the_partnership
from ..services.tracker.rows import PARTNERSHIP, TrackerFilter, TrackerRow, summary, tracker_rows
from .docx_common import Cell, StyleIds, TableBuilder, add_paragraph, add_text, new_document, save_docx
from .tracker_csv import typed_pieces
from .word_template import TemplateSource, stored_template, usable_package

TRACKER_WIDTHS_CM = (4.8, 7.5, 2.4, 3.0, 2.6, 5.4)  # 25.7 cm (Due fits "25 Dec 2026" on one line): A4 landscape inside 2 cm margins
REQUEST_WIDTHS_CM = (4.5, 12.5)
OVERDUE_FILL = "F8D7D7"
WRITING_LINES = 4  # empty lines left in each box the organisation fills in


def partnership_name(session: Session) -> str:
    partnership = the_partnership(session)
    return partnership.name if partnership else "The partnership"


def grouped(rows: Sequence[TrackerRow], partnership: str) -> list[tuple[str, list[TrackerRow]]]:
    """Rows by responsible organisation, organisations A–Z, the partnership's own last."""
    groups: dict[str, list[TrackerRow]] = {}
    for row in rows:
        name = partnership if row.organisation == PARTNERSHIP else row.organisation_full
        groups.setdefault(name, []).append(row)
    return sorted(groups.items(), key=lambda item: (item[0] == partnership, item[0].casefold()))


def progress_cell(row: TrackerRow) -> str:
    lines = []
    if row.last_note:
        more = f" ({row.note_count} notes)" if row.note_count > 1 else ""
        lines.append(f"Latest, {long_date(row.last_note_date)}{more}: {row.last_note}")
    if row.evidence_of_impact:
        lines.append(f"Evidence of impact: {row.evidence_of_impact}")
    if row.no_evidence_reason:
        lines.append(f"No evidence, because: {row.no_evidence_reason}")
    if row.closed_on:
        lines.append(f"Closed {long_date(row.closed_on)}")
    return "\n".join(lines)


def summary_sentence(rows: Sequence[TrackerRow], today: date) -> str:
    counts = summary(list(rows), today)
    statuses = ", ".join(f"{counts.by_status[s]} {s}" for s in RECOMMENDATION_STATUSES)
    noun = "recommendation" if counts.total == 1 else "recommendations"
    return (f"{counts.total} {noun}: {statuses}. {counts.overdue} overdue, {counts.due_soon} due within four "
            f"weeks; {counts.closed_last_quarter} closed in the last three months.")


def word_template(session: Session, chosen: str | Path | None = None) -> TemplateSource:
    """The Word template for a tracker export: one chosen for it (checked), else the partnership's
    own when it can be used, else the app's."""
    if chosen:
        usable_package(chosen)
        return str(chosen)
    partnership = the_partnership(session)
    return stored_template(word_template_source(partnership))[0]


def build_tracker(session: Session, rows: Sequence[TrackerRow], *, today: date, selection: str = "",
                  author: str = "", template: str | Path | None = None) -> Document:
    partnership = partnership_name(session)
    document = new_document(
        title="Recommendation tracker", header_text=partnership, author=author, subject="Recommendation tracker",
        comments="Recommendations with their organisations, leads, due dates, status, progress and evidence; "
                 "names of leads only.", template=word_template(session, template),
    )
    section = document.sections[0]
    # Landscape on the template's own paper (A4 for the app's template).
    short, long = sorted((section.page_width or Mm(210), section.page_height or Mm(297)))
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = long, short
    styles = StyleIds(document)
    body = document.element.body
    add_paragraph(body, styles, "Recommendation tracker", "Title")
    add_paragraph(body, styles, f"{partnership}, {long_date(today)}", "Subtitle")
    if selection:
        add_paragraph(body, styles, selection, label="Shown:")
    add_paragraph(body, styles, summary_sentence(rows, today))
    if not rows:
        add_paragraph(body, styles, "No recommendations match.")
    for name, group in grouped(rows, partnership):
        add_paragraph(body, styles, f"{name} ({len(group)})", "Heading 2")
        table = TableBuilder(document, TRACKER_WIDTHS_CM, styles=styles)
        table.header(("Reference", "Recommendation", "Lead", "Due", "Status", "Progress and evidence"))
        for row in group:
            follow_up = row.urgency(today)
            table.row([
                Cell(row.reference), Cell(row.text), Cell(row.lead),
                Cell(short_date(row.due_date)),
                Cell("\n".join(part for part in (row.status.capitalize(), follow_up) if part),
                     fill=OVERDUE_FILL if row.is_overdue(today) else None),
                Cell(progress_cell(row)),
            ])
    return document


def write_tracker_docx(session: Session, rows: Sequence[TrackerRow], target: str | Path, *,
                       today: date | None = None, selection: str = "", author: str = "",
                       override_identifying: bool = False, template: str | Path | None = None) -> Path:
    """Write ``rows`` (the tracker or its filtered view) as a Word table grouped by organisation."""
    document = build_tracker(session, rows, today=today or date.today(), selection=selection, author=author,
                             template=template)
    checked = guard(session, "The recommendation tracker", typed_pieces(list(rows)), override=override_identifying)
    document.core_properties.comments = f"{document.core_properties.comments} {checked}"[:255]
    return save_docx(document, target)


# --- the update request ------------------------------------------------------------------------------


def _writing_space(table: TableBuilder, label: str, existing: str = "") -> None:
    """A row whose right cell has empty lines for the organisation to type into (or write on a
    printed copy), after what is already recorded."""
    tr = table.row([Cell(label, bold=True), Cell(existing)])
    tc = tr.tc_lst[-1]
    for _ in range(WRITING_LINES - (0 if existing else 1)):
        tc.add_p()


def keep_together(table: TableBuilder) -> None:
    """Keep a short table on one page: every paragraph but the last row's keeps with the next."""
    for tr in table.tbl.tr_lst[:-1]:
        for p in tr.iter(qn("w:p")):
            p.get_or_add_pPr().keepNext_val = True


def _update_request_filter(session: Session, organisation_id: int | None) -> tuple[str, TrackerFilter]:
    """Whom an update request is for, and its rows' filter: the open recommendations."""
    if organisation_id is None:
        return partnership_name(session), TrackerFilter(partnership_only=True, status="open")
    organisation = session.get(Organisation, organisation_id)
    if organisation is None:
        raise UserError("That organisation no longer exists.")
    return organisation.name, TrackerFilter(organisation_id=organisation_id, status="open")


def build_update_request(session: Session, organisation_id: int | None, *, today: date,
                         return_by: date | None = None, author: str = "",
                         template: str | Path | None = None) -> Document:
    """The update request for one organisation (None: the partnership's own recommendations)."""
    partnership = partnership_name(session)
    who, flt = _update_request_filter(session, organisation_id)
    rows = tracker_rows(session, flt, today=today)
    if not rows:
        raise UserError(f"{who} has no open recommendations, so there is nothing to ask about.")
    document = new_document(
        title=f"Recommendations update request: {who}", header_text=partnership, author=author,
        subject="Recommendations update request",
        comments=f"The open recommendations of {who}, with space for progress and evidence of impact. "
                 "Names of leads only.", template=word_template(session, template),
    )
    styles = StyleIds(document)
    body = document.element.body
    add_paragraph(body, styles, "Recommendations update request", "Title")
    add_paragraph(body, styles, who, "Subtitle")
    add_paragraph(body, styles, long_date(today), "Subtitle")
    noun = "recommendation remains" if len(rows) == 1 else f"{len(rows)} recommendations remain"
    add_text(body, styles, (
        f"{partnership} monitors every recommendation until it is complete. For {who}, "
        f"{'one ' if len(rows) == 1 else ''}{noun} open. For each, please describe the progress made since the "
        "last update, the evidence of impact (what has changed for children and families, and how you know), "
        "and the status you propose."))
    deadline = f"by {long_date(return_by)}" if return_by else "by the date in the covering email"
    add_paragraph(body, styles, f"Please return the completed document to {partnership} {deadline}.")
    for label in ("Completed by (name and role):", "Date:"):
        add_paragraph(body, styles, "", label=label)
    for row in rows:
        add_paragraph(body, styles, row.reference, "Heading 2")
        table = TableBuilder(document, REQUEST_WIDTHS_CM, styles=styles)
        due = long_date(row.due_date) if row.due_date else "Not set"
        follow_up = row.urgency(today)
        rows_of_table = [
            [Cell("Recommendation", bold=True), Cell(row.text)],
            [Cell("Lead", bold=True), Cell(row.lead or "Not named")],
            [Cell("Due", bold=True), Cell(f"{due} ({follow_up.lower()})" if follow_up else due)],
            [Cell("Status now", bold=True), Cell(row.status.capitalize())],
        ]
        if row.last_note:
            rows_of_table.append([Cell("Last progress recorded", bold=True),
                                  Cell(f"{long_date(row.last_note_date)}: {row.last_note}")])
        for cells in rows_of_table:
            table.row(cells)
        _writing_space(table, "Progress since the last update")
        _writing_space(table, "Evidence of impact", row.evidence_of_impact)
        table.row([Cell("Proposed status", bold=True),
                   Cell("☐ In progress    ☐ Complete    ☐ Closed – not achieved (say why above)")])
        keep_together(table)
    return document


def write_update_request(session: Session, organisation_id: int | None, target: str | Path, *,
                         today: date | None = None, return_by: date | None = None, author: str = "",
                         override_identifying: bool = False, template: str | Path | None = None) -> Path:
    document = build_update_request(session, organisation_id, today=today or date.today(), return_by=return_by,
                                    author=author, template=template)
    rows = tracker_rows(session, _update_request_filter(session, organisation_id)[1], today=today or date.today())
    checked = guard(session, "The update request", typed_pieces(rows), override=override_identifying)
    document.core_properties.comments = f"{document.core_properties.comments} {checked}"[:255]
    return save_docx(document, target)
