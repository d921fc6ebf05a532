"""The regional Section 11 report: five partnerships' databases (``generate_region``) of 3
organisations each (the seed's region, target under 3 s) and of 15 each (a large region), each read
with ``read_report``, collated and written to Word; beside, in the same run, one partnership's own
local report written from its database (the baseline: the regional report of 5 × 3 is about five of
those plus the summary). Importing the five round files into a regional database is not included
(that is the "round" exchange kind, which lands separately).

Run alone with ``python -m benchmarks.bench_regional`` or with the others via ``python -m benchmarks``.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

from benchmarks.figures import figure, median
from benchmarks.generate_region import REGION, ROUND, make_region

RUNS = 3
RESPONSE_WORDS = 100


def regional_export(paths: list[Path], target: Path) -> float:
    from lgf_desktop.db import Database
    from lgf_desktop.exports.regional_data import regional_report_data
    from lgf_desktop.exports.regional_docx import render_regional_report
    from lgf_desktop.exports.docx_common import save_docx
    from lgf_desktop.exports.report_data import read_report
    from lgf_desktop.services.review.rounds import find_round

    start = time.perf_counter()
    reports = []
    for path in paths:
        db = Database.open(path)
        try:
            with db.read() as session:
                reports.append(read_report(session, find_round(session, ROUND)))
        finally:
            db.close()
    document, _ = render_regional_report(regional_report_data(REGION, ROUND, reports))
    save_docx(document, target)
    return time.perf_counter() - start


def local_export(path: Path, target: Path) -> float:
    from lgf_desktop.db import Database
    from lgf_desktop.exports.report_docx import export_report
    from lgf_desktop.services.review.rounds import find_round

    start = time.perf_counter()
    db = Database.open(path)
    try:
        with db.session() as session:
            export_report(session, find_round(session, ROUND), target)
            session.rollback()
    finally:
        db.close()
    return time.perf_counter() - start


def run() -> list[str]:
    figures = []
    with tempfile.TemporaryDirectory() as folder:
        folder = Path(folder)
        times: dict[int, float] = {}
        for size in (3, 15):
            built = make_region(folder / f"region-{size}", size, response_words=RESPONSE_WORDS)
            paths = [b.path for b in built]
            regional_export(paths, folder / "warm.docx")  # imports and first-open costs out of the figures
            times[size] = median([regional_export(paths, folder / f"regional-{size}.docx") for _ in range(RUNS)])
            local = median([local_export(paths[0], folder / f"local-{size}.docx") for _ in range(RUNS)])
            figures.append(figure(f"local report of one partnership ({size} organisations), baseline", local, "s",
                                  "-"))
            target = "under 3 s" if size == 3 else "-"
            figures.append(figure(f"regional report of 5 × {size} organisations (read, collate, write)",
                                  times[size], "s", target))
            figures.append(figure(f"regional 5 × {size} against five local reports of {size}",
                                  times[size] / (5 * local), "×", "about 1"))
        figures.append(figure("regional report time, 5 × 15 over 5 × 3 (organisations ×5)", times[15] / times[3], "×",
                              "about 5: linear in reviews"))
    return figures


if __name__ == "__main__":
    for line in run():
        print(line, flush=True)
    sys.exit(0)
