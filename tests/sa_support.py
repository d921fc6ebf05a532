"""Helpers for the self-assessment tests: a partnership with organisations, a filled form as an
organisation would fill it (choosing from the sheet's own drop-down list), and a dump of the database."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from openpyxl import load_workbook

from lgf_desktop.db import Database
from lgf_desktop.models import Organisation, Partnership
from lgf_desktop.services.self_assessment.form_layout import FIRST_ROW, RATING_COLUMN, STANDARDS_SHEET
from lgf_desktop.services.self_assessment.standards import create_self_assessment_round

ORGANISATIONS = ("Eastfield Police", "Eastfield Council", "Eastfield Hospitals Trust", "Eastfield Youth Club")


def new_round(db: Database, label: str = "2020-21", copy_from_label: str | None = None) -> None:
    with db.session() as session:
        if session.query(Partnership).count() == 0:
            session.add(Partnership(name="Eastfield Safeguarding Children Partnership"))
            for name in ORGANISATIONS:
                session.add(Organisation(name=name))
            session.flush()
        copy_from = None
        if copy_from_label:
            from lgf_desktop.services.review.rounds import find_round

            copy_from = find_round(session, copy_from_label)
        create_self_assessment_round(session, label, copy_from=copy_from)


def drop_down_choices(ws, cell: str) -> list[str]:
    """The choices of the list validation covering ``cell``, read from the sheet itself."""
    for validation in ws.data_validations.dataValidation:
        if validation.type == "list" and cell in validation.sqref:
            return validation.formula1.strip('"').split(",")
    raise AssertionError(f"no drop-down covers {cell}")


def fill_form(path: Path, target: Path, ratings: dict[int, int | None], *, texts: bool = True,
              not_applicable_reason: str = "We do not work with children directly") -> Path:
    """Fill standard n (1-based) with the ratings' choice index from the drop-down (None: leave blank)."""
    wb = load_workbook(path)
    ws = wb[STANDARDS_SHEET]
    choices = drop_down_choices(ws, f"{RATING_COLUMN}{FIRST_ROW}")
    for number, index in ratings.items():
        row = FIRST_ROW + number - 1
        if index is None:
            ws[f"C{row}"] = None
            continue
        ws[f"C{row}"] = choices[index]
        if choices[index] == "Not applicable":
            ws[f"D{row}"] = not_applicable_reason
        if texts:
            ws[f"E{row}"] = f"Policy reviewed by the board (standard {number})."
            ws[f"F{row}"] = f"Staff know the procedure (standard {number})."
            ws[f"G{row}"] = f"Audit of take-up needed (standard {number})."
            ws[f"H{row}"] = "Re-audit in the spring."
            ws[f"I{row}"] = "Head of safeguarding"
            ws[f"J{row}"] = date(2021, 3, 31)
    wb.save(target)
    return target


def dump(db: Database) -> list[str]:
    """Every row of every table, read through a session of its own (either backend)."""
    from sqlalchemy import select as select_rows

    from lgf_desktop.models import Base

    db.writer.flush()
    with db.read() as session:
        return [f"{table.name}: {tuple(row)}" for table in Base.metadata.sorted_tables
                for row in session.execute(select_rows(table).order_by(*table.primary_key.columns))]
