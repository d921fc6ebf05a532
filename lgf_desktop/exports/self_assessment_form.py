"""The self-assessment form an organisation fills in Excel or LibreOffice Calc without installing
anything: an Instructions sheet, the Standards sheet (one row per standard, a drop-down for the
rating, cells for evidence, what works well, what needs to improve and planned actions with an owner
and date; everything else locked; prints on A4), and a hidden, protected Form sheet that names the
round, the organisation, the form's version and layout so the import can be strict.

The form's content is gathered from the database first (``form_content``, plain data), then rendered
(``render_form``), so one pass over the database serves a whole folder of forms. A form carries the
organisation's answers so far, or else its answers from the previous cycle ("from 2020-21 — confirm or
update"); those texts leave the machine, so they go through the identifying-data guard.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from openpyxl import Workbook
from openpyxl.cell.rich_text import CellRichText, TextBlock
from openpyxl.cell.text import InlineFont
from openpyxl.styles import Alignment, Border, Font, NamedStyle, PatternFill, Protection, Side
from openpyxl.worksheet.datavalidation import DataValidation
from sqlalchemy import select
from sqlalchemy.orm import Session

from ..atomic import atomic_write
from ..dates import long_date
from ..errors import UserError
from ..models import Organisation, Round, SelfAssessmentAnswer, SelfAssessmentReturn
from ..services.privacy.leaving import Place, guard
from ..services.self_assessment.form_layout import (
    ANSWER_COLUMNS, CARRIED_COLUMN, COLUMNS, DUE_COLUMN, FIRST_ROW, FORM_KEYS, FORM_MARK, FORM_SHEET, HEADER_ROW,
    INSTRUCTIONS_SHEET, LAST_COLUMN, LAYOUT, RATING_COLUMN, STANDARDS_KEY_ROW, STANDARDS_SHEET, carried_note,
)
from ..services.self_assessment.standards import previous_round, scale_of, setup_of, standards_of

HEADER_FILL = PatternFill("solid", fgColor="D9E2F3")
ENTRY_FILL = PatternFill("solid", fgColor="FFF9E5")  # a pale yellow: the cells to fill in
THIN = Side(style="thin", color="808080")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
WRAP_TOP = Alignment(wrap_text=True, vertical="top")
HEADING_STYLE, LOCKED_STYLE, ENTRY_STYLE, DATE_STYLE = "LGF heading", "LGF standard", "LGF entry", "LGF date"


def add_named_styles(wb: Workbook) -> None:
    """The form's four kinds of cell, each a named style (Calc and Excel show them in their style lists)."""
    wb.add_named_style(NamedStyle(HEADING_STYLE, font=Font(bold=True), fill=HEADER_FILL, border=BOX,
                                  alignment=WRAP_TOP))
    wb.add_named_style(NamedStyle(LOCKED_STYLE, border=BOX, alignment=WRAP_TOP))
    wb.add_named_style(NamedStyle(ENTRY_STYLE, fill=ENTRY_FILL, border=BOX, alignment=WRAP_TOP,
                                  protection=Protection(locked=False)))
    wb.add_named_style(NamedStyle(DATE_STYLE, fill=ENTRY_FILL, border=BOX, alignment=WRAP_TOP,
                                  protection=Protection(locked=False), number_format="dd/mm/yyyy"))
# Not a secret: it only stops the form's layout being changed by accident, so the import can trust it.
PROTECTION_PASSWORD = "lgf"


@dataclass
class FormRow:
    standard_uuid: str
    number: int
    title: str
    wording: str
    guidance: str
    values: dict[str, object] = field(default_factory=dict)  # answer field → value
    carried_from: str = ""


@dataclass
class FormContent:
    partnership: str
    round_label: str
    round_uuid: str
    organisation: str
    organisation_uuid: str
    form_version: int
    scale: list[str]
    not_applicable: str
    return_by: date | None
    carried_from: str
    rows: list[FormRow]


def _answer_values(answer: SelfAssessmentAnswer) -> dict[str, object]:
    return {c.field: getattr(answer, c.field) for c in ANSWER_COLUMNS}


def _answers_by_org(session: Session, round_: Round) -> dict[int, dict[str, SelfAssessmentAnswer]]:
    """Organisation id → standard key → answer, for every return of a round."""
    found: dict[int, dict[str, SelfAssessmentAnswer]] = {}
    rows = session.execute(select(SelfAssessmentReturn.organisation_id, SelfAssessmentAnswer)
                           .join(SelfAssessmentAnswer, SelfAssessmentAnswer.return_id == SelfAssessmentReturn.id)
                           .where(SelfAssessmentReturn.round_id == round_.id)).all()
    for org_id, answer in rows:
        found.setdefault(org_id, {})[answer.standard.key] = answer
    return found


def form_contents(session: Session, round_: Round, organisations: list[Organisation]) -> list[FormContent]:
    """What each organisation's form holds, in one pass over the database."""
    setup = setup_of(session, round_)
    scale = scale_of(session, round_)
    standards = standards_of(session, round_)
    previous = previous_round(session, round_)
    current = _answers_by_org(session, round_)
    earlier = _answers_by_org(session, previous) if previous is not None else {}
    contents = []
    for org in organisations:
        rows: list[FormRow] = []
        mine, last = current.get(org.id, {}), earlier.get(org.id, {})
        carried_any = ""
        for number, standard in enumerate(standards, start=1):
            row = FormRow(standard.uuid, number, standard.title, standard.wording, standard.guidance)
            if standard.key in mine:
                row.values = _answer_values(mine[standard.key])
                row.carried_from = mine[standard.key].carried_from
            elif standard.key in last and previous is not None:
                row.values = _answer_values(last[standard.key])
                if row.values["rating"] and row.values["rating"] not in scale.labels:
                    row.values["rating"] = ""  # last cycle's scale differed: that rating cannot be carried
                row.carried_from = previous.label
            if row.carried_from:
                carried_any = row.carried_from
            rows.append(row)
        contents.append(FormContent(
            partnership=round_.partnership.name, round_label=round_.label, round_uuid=round_.uuid,
            organisation=org.name, organisation_uuid=org.uuid, form_version=setup.form_version,
            scale=scale.labels, not_applicable=scale.not_applicable, return_by=setup.return_by,
            carried_from=carried_any, rows=rows))
    return contents


def leaving_pieces(content: FormContent) -> Iterator[tuple[Place, str]]:
    for row in content.rows:
        for name, value in row.values.items():
            if isinstance(value, str) and value:
                yield Place(f"{content.organisation}'s form, standard {row.number}, {name.replace('_', ' ')}"), value


# --- rendering ---------------------------------------------------------------------------------------


def _instructions(ws, content: FormContent) -> None:
    ws["A1"] = f"Section 11 self-assessment {content.round_label}"
    ws["A1"].font = Font(size=16, bold=True)
    lines = [
        ("Organisation", content.organisation),
        ("Partnership", content.partnership),
        ("Return by", long_date(content.return_by) if content.return_by else "the date in the covering e-mail"),
        ("", ""),
        ("How to fill in", f"On the {STANDARDS_SHEET} sheet, choose a rating for each standard from the list in "
                           "the Rating column (click the cell, then the arrow)."),
        ("", f"If a standard does not apply to your organisation, choose '{content.not_applicable}' and say why "
             "in the next column; it is then left out of the standards that apply."),
        ("", "Give your evidence, what works well, what needs to improve, and any planned actions with an "
             "owner and a due date (dd/mm/yyyy). The yellow cells are the ones to fill in; the rest is locked."),
        ("", "You can return a partly completed form: the partnership will see which standards are still open."),
        ("", "Do not add, remove or move rows or columns, and do not rename the sheets: the form is read back "
             "automatically and a changed layout is refused."),
        ("", "Please do not name children or give their addresses or dates of birth."),
    ]
    if content.carried_from:
        lines.append(("", f"Answers marked '{carried_note(content.carried_from)}' are your organisation's answers "
                          f"from the {content.carried_from} self-assessment: confirm them or update them."))
    lines.append(("Rating scale", ", ".join(content.scale)))
    for offset, (label, text) in enumerate(lines, start=3):
        ws.cell(offset, 1, label).font = Font(bold=True)
        ws.cell(offset, 1).alignment = WRAP_TOP
        ws.cell(offset, 2, text).alignment = WRAP_TOP
        ws.row_dimensions[offset].height = row_height([(text, 100, 11)], minimum=15)
    ws.column_dimensions["A"].width = 18
    ws.column_dimensions["B"].width = 100
    _print_setup(ws, landscape=False)
    ws.oddFooter.center.text = "Page &P of &N"
    ws.protection.set_password(PROTECTION_PASSWORD)
    ws.protection.sheet = True


def row_height(cells: list[tuple[str, float, int]], *, minimum: float) -> float:
    """Points for a row whose cells hold ``(text, column width in characters, font size)``, wrapped."""
    lines = 1
    for text, width, size in cells:
        per_line = max(int(width * 11 / size * 1.05), 1)
        lines = max(lines, sum(max(1, -(-len(part) // per_line)) for part in text.split("\n")))
    return max(minimum, min(409.0, lines * 14.0 + 4))


def _print_setup(ws, *, landscape: bool) -> None:
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape" if landscape else "portrait"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_margins.left = ws.page_margins.right = 0.5
    ws.page_margins.top = ws.page_margins.bottom = 0.75
    ws.page_margins.header = ws.page_margins.footer = 0.3


def _standards(ws, content: FormContent) -> None:
    ws["A1"] = f"Section 11 self-assessment {content.round_label}: {content.organisation}"
    ws["A1"].font = Font(size=14, bold=True)
    ws["A2"] = (f"Choose a rating in column {RATING_COLUMN} from the list; the yellow cells are yours to fill in. "
                f"Instructions are on the {INSTRUCTIONS_SHEET} sheet.")
    ws["A2"].font = Font(italic=True)
    ws.row_dimensions[HEADER_ROW].height = 30
    for column in COLUMNS:
        cell = ws[f"{column.letter}{HEADER_ROW}"]
        cell.value = column.header
        cell.style = HEADING_STYLE
        ws.column_dimensions[column.letter].width = column.width
    for row in content.rows:
        r = FIRST_ROW + row.number - 1
        ws[f"A{r}"] = row.number
        standard = f"{row.title}\n{row.wording}"
        if row.guidance:
            standard += f"\n({row.guidance})"
        ws[f"B{r}"] = CellRichText(TextBlock(InlineFont(b=True, sz=10), row.title),
                                   TextBlock(InlineFont(sz=10), standard[len(row.title):]))
        # One named style per kind of cell: assigning a whole style is far cheaper in openpyxl than
        # its font, fill, border, alignment and protection one by one (150 forms at a time).
        for column in ("A", "B", CARRIED_COLUMN):
            ws[f"{column}{r}"].style = LOCKED_STYLE
        for column in ANSWER_COLUMNS:
            cell = ws[f"{column.letter}{r}"]
            value = row.values.get(column.field)
            cell.value = value if value not in ("", None) else None
            if isinstance(value, str) and value.startswith("="):
                cell.data_type = "s"  # an answer that starts with "=" is text, never a formula
            cell.style = DATE_STYLE if column.letter == DUE_COLUMN else ENTRY_STYLE
        ws[f"{CARRIED_COLUMN}{r}"] = carried_note(row.carried_from) if row.carried_from else None
        # Neither Excel nor Calc sizes a row to wrapped text in a file it did not write itself, so each
        # row gets a height for its longest cell (and room to type); rows stay resizable when protected.
        ws.row_dimensions[r].height = row_height(
            [(standard, COLUMNS[1].width, 10)] +
            [(str(row.values.get(c.field) or ""), c.width, 11) for c in ANSWER_COLUMNS], minimum=60)
    last = FIRST_ROW + len(content.rows) - 1
    if any("," in label or '"' in label for label in content.scale):
        raise UserError("A rating on this round's scale contains a comma or a quotation mark, which a drop-down "
                        "list cannot hold; rename it first.")
    choices = ",".join(content.scale)
    rating = DataValidation(type="list", formula1=f'"{choices}"', allow_blank=True, showDropDown=False,
                            showErrorMessage=True, errorTitle="Choose from the list",
                            error=f"Choose one of: {', '.join(content.scale)}.",
                            promptTitle="Rating", prompt="Choose from the list", showInputMessage=True)
    rating.add(f"{RATING_COLUMN}{FIRST_ROW}:{RATING_COLUMN}{last}")
    due = DataValidation(type="date", operator="greaterThan", formula1="36526", allow_blank=True,
                         showErrorMessage=True, errorTitle="A date", error="Type a date as dd/mm/yyyy.")
    due.add(f"{DUE_COLUMN}{FIRST_ROW}:{DUE_COLUMN}{last}")
    ws.add_data_validation(rating)
    ws.add_data_validation(due)
    ws.freeze_panes = f"C{FIRST_ROW}"
    ws.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"
    ws.print_area = f"A1:{LAST_COLUMN}{last}"
    _print_setup(ws, landscape=True)
    ws.oddFooter.center.text = "Page &P of &N"
    ws.oddHeader.center.text = f"{content.partnership}: Section 11 self-assessment {content.round_label}"
    ws.protection.set_password(PROTECTION_PASSWORD)
    ws.protection.sheet = True
    # Protected, but rows and columns may still be resized to read long answers.
    ws.protection.formatRows = False
    ws.protection.formatColumns = False


def _form_sheet(ws, content: FormContent) -> None:
    values = (FORM_MARK, LAYOUT, content.form_version, content.round_uuid, content.round_label,
              content.organisation_uuid, content.organisation, content.carried_from, len(content.rows))
    for row, (key, value) in enumerate(zip(FORM_KEYS, values, strict=True), start=1):
        ws.cell(row, 1, key)
        ws.cell(row, 2, value)
    for offset, row in enumerate(content.rows):
        ws.cell(STANDARDS_KEY_ROW + offset, 1, f"standard {row.number}")
        ws.cell(STANDARDS_KEY_ROW + offset, 2, row.standard_uuid)
    ws.sheet_state = "hidden"
    ws.protection.set_password(PROTECTION_PASSWORD)
    ws.protection.sheet = True


def render_form(content: FormContent) -> Workbook:
    wb = Workbook()
    add_named_styles(wb)
    instructions = wb.active
    instructions.title = INSTRUCTIONS_SHEET
    _instructions(instructions, content)
    _standards(wb.create_sheet(STANDARDS_SHEET), content)
    _form_sheet(wb.create_sheet(FORM_SHEET), content)
    wb.active = 1
    # Locked structure: the hidden sheet cannot be shown, and sheets cannot be added or renamed.
    wb.security.workbookPassword = PROTECTION_PASSWORD
    wb.security.lockStructure = True
    wb.properties.title = f"Section 11 self-assessment {content.round_label}: {content.organisation}"
    wb.properties.creator = content.partnership
    return wb


def save_workbook(wb: Workbook, target: Path) -> None:
    atomic_write(target, lambda temp: wb.save(temp))


# --- files and the covering e-mail ---------------------------------------------------------------------


def file_stem(organisation: str, round_label: str) -> str:
    safe = re.sub(r'[\\/:*?"<>|\x00-\x1f]+', " ", organisation).strip(" .")[:80] or "Organisation"
    return f"{safe} - Section 11 self-assessment {round_label}"


def covering_email(content: FormContent, file_name: str) -> str:
    when = long_date(content.return_by) if content.return_by else "the date agreed with the partnership"
    lines = [
        f"Subject: Section 11 self-assessment {content.round_label}: {content.organisation}",
        "",
        "Dear colleague,",
        "",
        f"{content.partnership} asks every organisation working with children to complete the written Section 11 "
        f"self-assessment for {content.round_label}. The form for {content.organisation} is attached "
        f"({file_name}). It opens in Excel or LibreOffice Calc; nothing needs installing.",
        "",
        f"For each of the {len(content.rows)} standards, please choose a rating from the list, give your evidence, "
        "what works well, what needs to improve and any planned actions with an owner and a due date.",
    ]
    if content.carried_from:
        lines += ["", f"Your answers from {content.carried_from} are already filled in: please confirm or update each one."]
    lines += [
        "",
        f"Please return the completed form by {when}, as the same file (do not copy the answers into a new "
        "workbook: the form is read back automatically). A partly completed form is welcome too.",
        "",
        "Please do not name children or give their addresses or dates of birth.",
        "",
        "With thanks,",
        content.partnership,
        "",
    ]
    return "\n".join(lines)


def export_form(session: Session, round_: Round, organisation: Organisation, target: str | os.PathLike[str], *,
                override_identifying: bool = False) -> str:
    """Write one organisation's form; returns what was written."""
    target = Path(target)
    if target.suffix.lower() != ".xlsx":
        raise UserError(f"The form must be written to a file ending in .xlsx (got {target.name}).")
    content = form_contents(session, round_, [organisation])[0]
    guard(session, f"The self-assessment form for {organisation.name}", leaving_pieces(content),
          override=override_identifying, record_uuid=round_.uuid)
    save_workbook(render_form(content), target)
    return f"Wrote the {round_.label} self-assessment form for {organisation.name} to {target}."


def export_all_forms(session: Session, round_: Round, folder: str | os.PathLike[str], *,
                     override_identifying: bool = False, progress=None) -> list[Path]:
    """Write every asked organisation's form into ``folder``, each with its covering e-mail text."""
    folder = Path(folder)
    if folder.exists() and not folder.is_dir():
        raise UserError(f"{folder} is a file; give a folder to write the forms into.")
    folder.mkdir(parents=True, exist_ok=True)
    organisations = list(session.scalars(
        select(Organisation).join(SelfAssessmentReturn, SelfAssessmentReturn.organisation_id == Organisation.id)
        .where(SelfAssessmentReturn.round_id == round_.id).order_by(Organisation.name)))
    if not organisations:
        raise UserError(f"No organisation is asked to self-assess in {round_.label}.")
    contents = form_contents(session, round_, organisations)
    guard(session, f"The {round_.label} self-assessment forms",
          (piece for content in contents for piece in leaving_pieces(content)),
          override=override_identifying, record_uuid=round_.uuid)
    written = []
    for index, content in enumerate(contents):
        if progress:
            progress(index, len(contents), f"Writing the form for {content.organisation}")
        stem = file_stem(content.organisation, content.round_label)
        path = folder / f"{stem}.xlsx"
        save_workbook(render_form(content), path)
        email = covering_email(content, path.name)
        atomic_write(folder / f"{stem} - covering e-mail.txt", lambda temp: temp.write_text(email, encoding="utf-8"))
        written.append(path)
    return written
