"""Collating a region: five partnerships' rounds (exchange files of kind "round") imported into one
regional database, for 5 × 3 organisations (the Avon and Somerset shape) and 5 × 15 (a large
region). Baseline, measured in the same run on the same files: reading and checking them alone
(unsealing, the zip's checks, the strict schema) — what any import of them must pay. Also: the same
files again (each a no-op), a newer export replacing one round, and reading the regional report's
data. Target: the five imports under 3 s for 5 × 3. Run alone: ``python -m benchmarks.bench_region``."""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

from benchmarks.figures import figure
from benchmarks.regional_rounds import LABEL, build_partnership, export_for_region, five_partnerships
from lgf_desktop import keys
from lgf_desktop.db import Database
from lgf_desktop.errors import UserError
from lgf_desktop.exchange import schemas
from lgf_desktop.exchange.container import read_package
from lgf_desktop.exchange.senders import set_person_key
from lgf_desktop.models import Person
from lgf_desktop.exports.regional_reading import read_regional_report_data
from lgf_desktop.importing import import_file
from lgf_desktop.services.review import workshop as ws
from lgf_desktop.services.review.rounds import find_round


def _me() -> keys.MyKey:
    try:
        return keys.this_sitting()
    except UserError:
        me = keys.MyKey.generate("Benchmark user")
        keys.use_for_this_sitting(me)
        return me


def _one_size(folder: Path, per_partnership: int) -> tuple[list[str], float]:
    me = _me()
    files, sources = [], []
    for index, plan in enumerate(five_partnerships(per_partnership)):
        db = build_partnership(folder / f"p{index}.sqlite3", plan)
        files.append(export_for_region(db, folder / f"{plan.short}.lgfx"))
        sources.append(db)
    start = time.perf_counter()
    for path in files:
        schemas.validate(schemas.RoundFile, read_package(path).json("round.json"), "round")
    baseline = time.perf_counter() - start
    region = Database.open(folder / "region.sqlite3")
    with region.session() as s:  # one key plays every partnership's business manager: in the lead's key book
        person = Person(name="Partnerships' business managers")
        s.add(person)
        s.flush()
        set_person_key(s, person, me.public)
    start = time.perf_counter()
    for path in files:
        import_file(region, path)
    imported = time.perf_counter() - start
    start = time.perf_counter()
    for path in files:
        import_file(region, path)
    again = time.perf_counter() - start
    db = sources[0]
    with db.session() as s:
        round_ = find_round(s, LABEL)
        review = sorted(round_.reviews, key=lambda r: r.position)[0]
        ws.save_response(s, review.id, round_.questions[0].id, "Rewritten after the workshop.")
        ws.add_recommendation(s, review, round_.questions[1].id, "A recommendation agreed afterwards.")
    time.sleep(1.05)  # a later export: its manifest's time (whole seconds) moves on
    newer = export_for_region(db, folder / "newer.lgfx")
    start = time.perf_counter()
    import_file(region, newer)
    replaced = time.perf_counter() - start
    start = time.perf_counter()
    reports = read_regional_report_data(region, LABEL)
    read = time.perf_counter() - start
    assert len(reports) == 5 and sum(len(r.reviews) for r in reports) == 5 * per_partnership
    for each in (*sources, region):
        each.close()
    size = f"5 × {per_partnership}"
    target = "under 3 s" if per_partnership == 3 else "grows with the reviews"
    return [
        figure(f"region {size}: read and check the five files (baseline)", baseline, "s", "—"),
        figure(f"region {size}: import the five rounds", imported, "s", target),
        figure(f"region {size}: import ÷ baseline", imported / baseline, "×", "—"),
        figure(f"region {size}: the same five files again", again, "s", "no change, quick"),
        figure(f"region {size}: a newer export replacing one round", replaced, "s", "—"),
        figure(f"region {size}: read the regional report's data", read, "s", "—"),
    ], imported


def run() -> list[str]:
    lines: list[str] = []
    times = {}
    for per_partnership in (3, 15):
        with tempfile.TemporaryDirectory() as tmp:
            found, times[per_partnership] = _one_size(Path(tmp), per_partnership)
            lines.extend(found)
    lines.append(figure("region: import time 5 × 15 ÷ 5 × 3 (5× the reviews)", times[15] / times[3], "×", "about 5 (linear)"))
    return lines


if __name__ == "__main__":
    for line in run():
        print(line)
