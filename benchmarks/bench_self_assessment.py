"""A large partnership's year one: 150 organisations. Exporting all 150 forms into a folder (against
openpyxl writing the same text into plain workbooks), importing the 150 returned forms (against
openpyxl just loading them: the floor for reading), and building the collation grid (collation and
its Qt model, against one plain SQL query of the same answers).

Run alone with ``python -m benchmarks.bench_self_assessment`` or with the others via ``python -m benchmarks``.
"""

from __future__ import annotations

import io
import random
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

from openpyxl import Workbook, load_workbook

from benchmarks.figures import figure
from lgf_desktop.db import Database
from lgf_desktop.exports.self_assessment_form import export_all_forms, form_contents
from lgf_desktop.models import Organisation, Partnership
from lgf_desktop.services.review.rounds import find_round
from lgf_desktop.services.self_assessment.collation import collate
from lgf_desktop.services.self_assessment.returns import import_form_files
from lgf_desktop.services.self_assessment.standards import create_self_assessment_round

ORGANISATIONS = 150
LABEL = "2030-31"
WORDS = ("safeguarding staff training supervision children families practice learning review partnership "
         "information sharing referral escalation policy induction exploitation").split()


def build(db: Database) -> None:
    with db.session() as session:
        session.add(Partnership(name="Benchmark Children's Partnership"))
        for n in range(ORGANISATIONS):
            session.add(Organisation(name=f"Organisation {n + 1:03d}"))
        session.flush()
        create_self_assessment_round(session, LABEL)


def fill(folder: Path) -> list[Path]:
    """Fill every form as an organisation would: a rating from the drop-down and a few sentences."""
    rng = random.Random(13)
    paths = sorted(folder.glob("*.xlsx"))
    for path in paths:
        wb = load_workbook(path)
        ws = wb["Standards"]
        choices = ws.data_validations.dataValidation[0].formula1.strip('"').split(",")[:4]
        for row in range(5, 17):
            ws[f"C{row}"] = rng.choice(choices)
            for column in "EFGH":
                ws[f"{column}{row}"] = " ".join(rng.choice(WORDS) for _ in range(40))
        wb.save(path)
    return paths


def plain_workbooks(db: Database, folder: Path) -> None:
    """The floor for exporting: the same text in plain openpyxl workbooks, no validation or styling."""
    with db.session() as session:
        round_ = find_round(session, LABEL)
        organisations = list(session.query(Organisation))
        contents = form_contents(session, round_, organisations)
    folder.mkdir()
    for content in contents:
        wb = Workbook()
        ws = wb.active
        ws.append([content.organisation, content.round_label])
        for row in content.rows:
            ws.append([row.number, f"{row.title}\n{row.wording}", None, None, None, None, None, None, None, None])
        wb.save(folder / f"{content.organisation}.xlsx")


def _time(fn) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def run() -> list[str]:
    from PySide6.QtCore import QCoreApplication

    from lgf_desktop.ui.self_assessment.model import CollationModel

    app = QCoreApplication.instance() or QCoreApplication([])  # noqa: F841 — a model wants an application
    with tempfile.TemporaryDirectory() as folder:
        folder = Path(folder)
        db = Database.open(folder / "bench.sqlite3")
        try:
            build(db)

            def export() -> None:
                with db.session() as session:
                    export_all_forms(session, find_round(session, LABEL), folder / "forms")

            export_s = _time(export)
            floor_export_s = _time(lambda: plain_workbooks(db, folder / "plain"))
            paths = fill(folder / "forms")
            floor_read_s = _time(lambda: [load_workbook(io.BytesIO(p.read_bytes()), data_only=True) for p in paths])
            cpu_start = time.process_time()  # the whole process, the writer thread included
            import_s = _time(lambda: import_form_files(db, paths))
            import_cpu_s = time.process_time() - cpu_start

            def grid() -> None:
                with db.session() as session:
                    collation = collate(session, find_round(session, LABEL))
                CollationModel().set_collation(collation)

            grid_times = [_time(grid) for _ in range(5)]

            def plain_query() -> None:
                with sqlite3.connect(db.path) as connection:
                    connection.execute("SELECT r.organisation_id, a.standard_id, a.rating, a.evidence, a.works_well, "
                                       "a.to_improve FROM self_assessment_answer a JOIN self_assessment_return r "
                                       "ON r.id = a.return_id").fetchall()

            query_times = [_time(plain_query) for _ in range(5)]
        finally:
            db.close()
    grid_s, query_s = sorted(grid_times)[2], sorted(query_times)[2]
    return [
        figure(f"self-assessment: export all {ORGANISATIONS} forms with covering e-mails", export_s, "s", "reference"),
        figure("  plain openpyxl workbooks with the same text (floor)", floor_export_s, "s", "reference"),
        figure(f"self-assessment: import {ORGANISATIONS} returned forms", import_s, "s", "< 10 s"),
        figure("  the same import, CPU time of the process (wall time on a busy machine says little)",
               import_cpu_s, "s", "reference"),
        figure("  openpyxl loading the same files only (floor)", floor_read_s, "s", "reference"),
        figure(f"self-assessment: build the collation grid ({ORGANISATIONS} x 12)", grid_s * 1000, "ms", "< 300 ms"),
        figure("  one plain SQL query of the same answers (floor)", query_s * 1000, "ms", "reference"),
    ]


if __name__ == "__main__":
    for line in run():
        print(line)
    sys.exit(0)
