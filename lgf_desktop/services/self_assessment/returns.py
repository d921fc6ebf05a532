"""Importing a returned self-assessment form: strict and friendly.

Everything is checked before anything is written, and every refusal names the sheet and cell ("Sheet
Standards, cell C7: 'Mostly' is not on this round's scale"): a form of another round or organisation,
an older (or newer) form version, a changed layout, an answer outside the drop-down, a 'Not applicable'
without its reason, a date that is not one. The whole import is one transaction: a refusal leaves the
database as it was. Importing the same return again changes nothing; a corrected return replaces the
earlier answers, and the change history (``lgf_desktop.history``) keeps what they were.
"""

from __future__ import annotations

import io
import warnings
from dataclasses import dataclass
from types import SimpleNamespace
from datetime import date, datetime
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from ...dates import parse_date
from ...errors import UserError
from ...models import Organisation, Round, SelfAssessmentAnswer, SelfAssessmentReturn, Standard
from .form_file import FormFile, open_form_file
from .form_layout import (
    ANSWER_COLUMNS, CARRIED_COLUMN, COLUMNS, DUE_COLUMN, FIRST_ROW, FORM_KEYS, FORM_MARK, FORM_SHEET, HEADER_ROW, LAYOUT, MAX_TEXT,
    RATING_COLUMN, REASON_COLUMN, STANDARDS_KEY_ROW, STANDARDS_SHEET, carried_note,
)
from .standards import previous_round, scale_of, setup_of, standards_of


@dataclass(frozen=True)
class ReadAnswer:
    standard_uuid: str
    row: int
    values: dict[str, object]
    carried: str  # the form's "from 2020-21 — confirm or update" mark, "" when not carried forward


@dataclass(frozen=True)
class ReadForm:
    """A returned form as read from the workbook, checked against its own layout (not yet the database)."""

    file: FormFile
    form: dict[str, str]
    answers: list[ReadAnswer]


def _cell(sheet: str, ref: str) -> str:
    return f"Sheet {sheet}, cell {ref}"


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).replace("\r\n", "\n").strip()


def read_form(path: str | Path) -> ReadForm:
    """Open and read a returned workbook; ``UserError`` naming the cell when it is not a form whose
    layout is intact."""
    file = open_form_file(path)
    from openpyxl import load_workbook  # loaded only when a form is imported

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # openpyxl warns about data validation extensions it skips
            # Read-only: the cells stream past once (much faster than building the whole workbook).
            wb = load_workbook(io.BytesIO(file.data), data_only=True, read_only=True)
    except Exception:  # noqa: BLE001 — any failure to parse is the file's fault, said in one sentence
        raise UserError(f"{file.name} is damaged: it cannot be read as a workbook.") from None
    name = file.name
    if FORM_SHEET not in wb.sheetnames or STANDARDS_SHEET not in wb.sheetnames:
        raise UserError(f"{name} is not an LGF Desktop self-assessment form (it has no {FORM_SHEET} and "
                        f"{STANDARDS_SHEET} sheets); send the organisation the form exported for it.")
    try:
        hidden = Grid(wb[FORM_SHEET], 2)
        form: dict[str, str] = {}
        return _read_sheets(name, file, wb, hidden, form)
    except UserError:
        raise
    except Exception:  # noqa: BLE001 — malformed sheet XML surfaces while the rows stream past
        raise UserError(f"{file.name} is damaged: it cannot be read as a workbook.") from None
    finally:
        wb.close()


class Grid:
    """A sheet's values read once, by row and column (1-based), blank beyond what the file holds."""

    def __init__(self, ws, columns: int) -> None:
        self.rows = [list(r) for r in ws.iter_rows(min_row=1, max_col=columns, values_only=True)]
        self.columns = columns

    def cell(self, row: int, column: int) -> SimpleNamespace:
        values = self.rows[row - 1] if 0 < row <= len(self.rows) else []
        return SimpleNamespace(value=values[column - 1] if column - 1 < len(values) else None)

    def __getitem__(self, ref: str) -> SimpleNamespace:
        return self.cell(int(ref[1:]), ord(ref[0]) - ord("A") + 1)


def _read_sheets(name: str, file: FormFile, wb, hidden: Grid, form: dict[str, str]) -> ReadForm:
    for row, key in enumerate(FORM_KEYS, start=1):
        if _text(hidden.cell(row, 1).value) != key:
            raise UserError(f"{name}: {_cell(FORM_SHEET, f'A{row}')} was changed; this form cannot be read. "
                            "Send the organisation a new form.")
        form[key] = _text(hidden.cell(row, 2).value)
    if form["form"] != FORM_MARK:
        raise UserError(f"{name} is not an LGF Desktop self-assessment form.")
    if form["layout"] != LAYOUT:
        raise UserError(f"{name} has a form layout this version of LGF Desktop does not read "
                        f"({form['layout'][:60]}); send the organisation a new form.")
    try:
        count = int(form["standards"])
        version = int(form["form_version"])
    except ValueError:
        raise UserError(f"{name}: {_cell(FORM_SHEET, 'B3')} was changed; this form cannot be read.") from None
    if not 0 < count <= 200 or version < 1:
        raise UserError(f"{name}: {_cell(FORM_SHEET, 'B9')} was changed; this form cannot be read.")
    ws = Grid(wb[STANDARDS_SHEET], len(COLUMNS) + 1)
    for column in COLUMNS:
        ref = f"{column.letter}{HEADER_ROW}"
        if _text(ws[ref].value) != column.header:
            raise UserError(f"{name}: {_cell(STANDARDS_SHEET, ref)} should be the heading '{column.header}': "
                            "the layout was changed (columns added, removed or moved). Send the form back "
                            "as it was exported, with only the yellow cells filled in.")
    answers = []
    for offset in range(count):
        row = FIRST_ROW + offset
        uuid = _text(hidden.cell(STANDARDS_KEY_ROW + offset, 2).value)
        if _text(ws[f"A{row}"].value) != str(offset + 1):
            raise UserError(f"{name}: {_cell(STANDARDS_SHEET, f'A{row}')} should be standard {offset + 1}: "
                            "rows were added, removed or moved.")
        values = {c.field: ws[f"{c.letter}{row}"].value for c in ANSWER_COLUMNS}
        answers.append(ReadAnswer(uuid, row, values, _text(ws[f"{CARRIED_COLUMN}{row}"].value)))
    after = FIRST_ROW + count
    if any(ws[f"{c.letter}{after}"].value not in (None, "") for c in COLUMNS):
        raise UserError(f"{name}: {_cell(STANDARDS_SHEET, f'A{after}')} is below the last standard and is not "
                        "empty: rows were added.")
    return ReadForm(file, form, answers)


def _clean_values(name: str, answer: ReadAnswer, scale_labels: list[str], not_applicable: str) -> dict[str, object]:
    """The answer's values as stored, or ``UserError`` naming the cell."""
    out: dict[str, object] = {}
    for column in ANSWER_COLUMNS:
        ref = f"{column.letter}{answer.row}"
        value = answer.values[column.field]
        if column.letter == DUE_COLUMN:
            if isinstance(value, datetime):
                out[column.field] = value.date()
            elif isinstance(value, date):
                out[column.field] = value
            elif value in (None, ""):
                out[column.field] = None
            else:
                try:
                    out[column.field] = parse_date(_text(value))
                except UserError as exc:
                    raise UserError(f"{name}: {_cell(STANDARDS_SHEET, ref)}: {exc}") from None
            continue
        text = _text(value)
        if len(text) > MAX_TEXT:
            raise UserError(f"{name}: {_cell(STANDARDS_SHEET, ref)} holds {len(text):,} characters; at most "
                            f"{MAX_TEXT:,} fit in one answer.")
        if "\x00" in text or any(0xD800 <= ord(ch) <= 0xDFFF for ch in text):
            raise UserError(f"{name}: {_cell(STANDARDS_SHEET, ref)} holds characters that cannot be stored.")
        out[column.field] = text
    rating = out["rating"]
    if rating and rating not in scale_labels:
        shown = rating if len(rating) <= 40 else rating[:37] + "…"
        raise UserError(f"{name}: {_cell(STANDARDS_SHEET, f'{RATING_COLUMN}{answer.row}')}: '{shown}' is not on "
                        f"this round's scale (choose one of {', '.join(scale_labels)}).")
    if rating and rating == not_applicable and not out["not_applicable_reason"]:
        raise UserError(f"{name}: {_cell(STANDARDS_SHEET, f'{REASON_COLUMN}{answer.row}')}: '{not_applicable}' "
                        "needs a reason: say why the standard does not apply.")
    return out


@dataclass(frozen=True)
class ImportResult:
    organisation: str
    round_label: str
    state: str
    changed: int  # answers added or changed
    sentence: str


def import_form(session: Session, read: ReadForm, *, today: date | None = None) -> ImportResult:
    """Check a read form against the database and store its answers, within the caller's transaction."""
    name, form = read.file.name, read.form
    round_ = session.scalar(select(Round).where(Round.uuid == form["round_uuid"]))
    if round_ is None:
        raise UserError(f"{name} is the form for round {form['round'][:40]}, which is not in this database.")
    organisation = session.scalar(select(Organisation).where(Organisation.uuid == form["organisation_uuid"]))
    return_ = session.scalar(select(SelfAssessmentReturn).where(
        SelfAssessmentReturn.round_id == round_.id,
        SelfAssessmentReturn.organisation_id == (organisation.id if organisation else -1)))
    if organisation is None or return_ is None:
        raise UserError(f"{name} is the form of {form['organisation'][:80]}, which is not asked to self-assess in "
                        f"{round_.label} in this database.")
    setup = setup_of(session, round_)
    version = int(form["form_version"])
    if version < setup.form_version:
        raise UserError(f"{name} is version {version} of the {round_.label} form; the standards or the scale have "
                        f"changed since (the form is now version {setup.form_version}). Send {organisation.name} "
                        "the new form and ask them to copy their answers into it.")
    if version > setup.form_version:
        raise UserError(f"{name} is version {version} of the {round_.label} form, newer than this database's "
                        f"(version {setup.form_version}); it was made from another copy of the database.")
    standards = {s.uuid: s for s in standards_of(session, round_)}
    if [a.standard_uuid for a in read.answers] != list(standards):
        raise UserError(f"{name}: {_cell(FORM_SHEET, f'B{STANDARDS_KEY_ROW}')} onwards no longer list this "
                        f"round's {len(standards)} standards in order; send {organisation.name} the new form.")
    scale = scale_of(session, round_)
    previous = previous_round(session, round_)
    before = _previous_answers(session, previous, organisation) if previous is not None else {}
    cleaned = [(a, _clean_values(name, a, scale.labels, scale.not_applicable)) for a in read.answers]

    existing = {a.standard_id: a for a in return_.answers}
    changed = 0
    for read_answer, values in cleaned:
        standard = standards[read_answer.standard_uuid]
        answer = existing.get(standard.id)
        blank = all(v in ("", None) for v in values.values())
        if answer is None and blank:
            continue
        if answer is None:
            answer = SelfAssessmentAnswer(standard=standard)
            return_.answers.append(answer)
        last = before.get(standard.key)
        carried = previous.label if last is not None and read_answer.carried == carried_note(previous.label) else ""
        unchanged = bool(carried) and not blank and all(values[f] == getattr(last, f) for f in values)
        updates = {**values, "carried_from": carried, "confirmed_unchanged": unchanged}
        if any(getattr(answer, k) != v for k, v in updates.items()):
            for k, v in updates.items():
                if getattr(answer, k) != v:
                    setattr(answer, k, v)
            changed += 1
    rated = sum(1 for _, values in cleaned if values["rating"])
    if rated == 0 and not any(not all(v in ("", None) for v in values.values()) for _, values in cleaned):
        raise UserError(f"{name} has no answers yet: nothing to import for {organisation.name}.")
    state = "returned" if rated == len(cleaned) else "partly"
    if changed or return_.state != state:
        return_.state = state
        return_.returned_on = today or date.today()
    return_.file_sha256 = read.file.sha256
    session.flush()
    if changed == 0:
        sentence = (f"{name}: the {round_.label} return of {organisation.name} is already imported as it is; "
                    "nothing changed.")
    else:
        how = "complete" if state == "returned" else f"partly completed ({rated} of {len(cleaned)} standards rated)"
        sentence = (f"{name}: imported the {round_.label} return of {organisation.name}, {how}; "
                    f"{changed} answer{'s' if changed != 1 else ''} added or changed.")
    return ImportResult(organisation.name, round_.label, state, changed, sentence)


def _previous_answers(session: Session, previous: Round, organisation: Organisation) -> dict[str, SelfAssessmentAnswer]:
    rows = session.scalars(select(SelfAssessmentAnswer)
                           .join(SelfAssessmentReturn, SelfAssessmentAnswer.return_id == SelfAssessmentReturn.id)
                           .where(SelfAssessmentReturn.round_id == previous.id,
                                  SelfAssessmentReturn.organisation_id == organisation.id))
    return {a.standard.key: a for a in rows}


def import_form_file(db, path: str | Path) -> str:
    """Read a returned form on the caller's thread and import it through the one writer, in one
    transaction (``db`` is a ``Database``); returns what it brought in."""
    read = read_form(path)
    return db.write(lambda session: import_form(session, read).sentence).result()


def import_form_files(db, paths: list[Path]) -> tuple[list[str], list[str]]:
    """Import several returned forms: each is read and checked on the caller's thread, then all are
    stored in one writer transaction, each form inside its own savepoint, so a form refused by the
    database's checks leaves the others (and the data) as they were, and 150 forms cost one commit.
    Returns (what each imported form brought in, the sentence of each refused one)."""
    done: list[str] = []
    refused: list[str] = []
    read: list[ReadForm] = []
    for path in paths:
        try:
            read.append(read_form(path))
        except UserError as exc:
            refused.append(str(exc))

    def store(session: Session) -> tuple[list[str], list[str]]:
        stored, failed = [], []
        for form in read:
            savepoint = session.begin_nested()
            try:
                stored.append(import_form(session, form).sentence)
            except UserError as exc:
                savepoint.rollback()
                failed.append(str(exc))
            else:
                savepoint.commit()
        return stored, failed

    if read:
        stored, failed = db.write(store).result()
        done.extend(stored)
        refused.extend(failed)
    return done, refused


__all__ = ["ImportResult", "ReadForm", "carried_note", "import_form", "import_form_file", "import_form_files", "read_form"]
