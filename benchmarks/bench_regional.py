"""The regional Section 11 report: five partnerships' databases (``generate_region``) of 3
organisations each (the seed's region, target under 3 s) and of 15 each (a large region), each read
with ``read_report``, collated and written to Word; beside, in the same run, one partnership's own
local report written from its database (the baseline: the regional report of 5 × 3 is about five of
those plus the summary). Also the lead's whole path: the five round files (kind "round", exported
by the partnerships beforehand) imported into a new regional database, then the report read from it
and written — the figure the 3 s target is for.

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
SENDER = None  # the key the round files are signed with (made by ``round_files``)


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


def round_files(paths: list[Path], folder: Path) -> list[Path]:
    """Each partnership's round file, as it sends it to the lead (not timed: made by the partnerships)."""
    from lgf_desktop.db import Database
    from lgf_desktop.keys import MyKey, use_for_this_sitting
    from lgf_desktop.services.region.round_file import export_round

    key = MyKey.generate("Benchmark lead")
    use_for_this_sitting(key)
    global SENDER
    SENDER = key.public
    files = []
    for index, path in enumerate(paths):
        db = Database.open(path)
        try:
            with db.session() as session:
                written, _ = export_round(session, ROUND, folder / f"round-{index}.lgfx", to=key.public)
            files.append(written)
        finally:
            db.close()
    return files


def import_and_export(files: list[Path], folder: Path, target: Path) -> float:
    """The five round files imported into the lead's (new, empty) regional database, the regional
    report read from it and written."""
    import shutil

    from lgf_desktop.db import Database
    from lgf_desktop.exports.docx_common import save_docx
    from lgf_desktop.exports.regional_data import read_regional
    from lgf_desktop.exports.regional_docx import render_regional_report
    from lgf_desktop.importing import import_file

    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    from lgf_desktop.exchange.senders import set_person_key
    from lgf_desktop.models import Person

    # The lead's regional database exists before the returns arrive: made (every migration) untimed.
    db = Database.open(folder / "regional.sqlite3")
    try:
        with db.session() as session:  # one key plays every partnership's business manager, in the lead's key book
            person = Person(name="Partnerships' business managers")
            session.add(person)
            session.flush()
            set_person_key(session, person, SENDER)
        start = time.perf_counter()
        for path in files:
            import_file(db, path)
        with db.read() as session:
            data = read_regional(session, ROUND)
    finally:
        db.close()
    document, _ = render_regional_report(data)
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
            files = round_files(paths, folder)
            whole = median([import_and_export(files, folder / f"db-{size}-{run}", folder / f"whole-{size}.docx")
                            for run in range(RUNS)])
            figures.append(figure(f"import 5 round files of {size} organisations into the regional database, "
                                  "then the regional report", whole, "s", "under 3 s" if size == 3 else "-"))
            local = median([local_export(paths[0], folder / f"local-{size}.docx") for _ in range(RUNS)])
            figures.append(figure(f"local report of one partnership ({size} organisations), baseline", local, "s",
                                  "-"))
            figures.append(figure(f"regional report of 5 × {size} organisations from five databases (read, "
                                  "collate, write)", times[size], "s", "-"))
            figures.append(figure(f"regional 5 × {size} against five local reports of {size}",
                                  times[size] / (5 * local), "×", "-"))
        figures.append(figure("regional report time, 5 × 15 over 5 × 3 (organisations ×5)", times[15] / times[3], "×",
                              "-"))
    return figures


if __name__ == "__main__":
    for line in run():
        print(line, flush=True)
    sys.exit(0)
