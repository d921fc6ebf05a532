"""What the privacy checks cost when a file leaves: the identifying-data scan of a regional-size
Section 11 report (15 organisations, ~150 words per answer; with ten children's names being checked,
so every word is also hashed), beside building the document itself; and sealing and opening a 1 MB
exchange file (age + Ed25519) beside zipping it.

Run alone with ``python -m benchmarks.bench_leaving`` or with the others via ``python -m benchmarks``.
"""

from __future__ import annotations

import io
import os
import sys
import tempfile
import time
import zipfile
from pathlib import Path

from benchmarks.bench_report import build_round
from benchmarks.figures import figure, median
from lgf_desktop.db import Database
from lgf_desktop.exchange.sealing import Opening, Sealing, open_sealed
from lgf_desktop.exports.report_docx import build_report
from lgf_desktop.keys import MyKey
from lgf_desktop.services.audit.cases import create_audit
from lgf_desktop.services.privacy.child_names import set_child_names
from lgf_desktop.services.privacy.leaving import docx_pieces, scan_for_session
from lgf_desktop.services.review.rounds import find_round

RUNS = 3
NAMES = ["Jayden Okafor", "Tallulah Brennan", "Kezia Oyelaran", "Tomasz Wrobel", "Amara Nwosu", "Leo Hughes",
         "Mia Kowalska", "Noah Ahmed", "Ruby-Mae Price", "Zain Iqbal"]


def _time(fn) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def run() -> list[str]:
    with tempfile.TemporaryDirectory() as folder:
        folder = Path(folder)
        os.environ["XDG_CONFIG_HOME"] = str(folder / "config")  # the name-check secret goes here
        db = Database.open(folder / "bench.sqlite3")
        try:
            label = build_round(db)
            with db.session() as session:
                set_child_names(session, create_audit(session, "Neglect", "2030-31 Q1"), NAMES)
            build_times, scan_times = [], []
            for _ in range(RUNS):
                with db.session() as session:
                    round_ = find_round(session, label)
                    start = time.perf_counter()
                    document, _ = build_report(session, round_)
                    build_times.append(time.perf_counter() - start)
                    scan_times.append(_time(lambda: scan_for_session(session, docx_pieces(document))))
        finally:
            db.close()
    me = MyKey.generate("Bench")
    payload = os.urandom(512 * 1024) + b"evidence " * 60000
    zipped: list[bytes] = []

    def zip_it() -> None:
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            archive.writestr("cases.json", payload)
        zipped[:] = [buffer.getvalue()]

    zip_times = [_time(zip_it) for _ in range(RUNS)]
    sealing = Sealing(me, recipients=(MyKey.generate("Recipient").public,))
    sealed: list[bytes] = []
    seal_times = [_time(lambda: sealed.__setitem__(slice(None), [sealing.seal(zipped[0], "audit-package")]))
                  for _ in range(RUNS)]
    open_times = [_time(lambda: open_sealed(sealed[0], "bench.lgfx", Opening(key=me))) for _ in range(RUNS)]
    return [
        figure("identifying-data scan of the regional report (10 children's names checked)", median(scan_times), "s",
               "< build time"),
        figure("building that report (reference)", median(build_times), "s", "reference"),
        figure("scan / build", median(scan_times) / median(build_times), "ratio", "< 0.5"),
        figure("sealing a 1 MB exchange file (encrypt + sign)", median(seal_times), "s", "< 0.2 s"),
        figure("opening it (decrypt + verify)", median(open_times), "s", "< 0.2 s"),
        figure("zipping the same content (reference)", median(zip_times), "s", "reference"),
    ]


if __name__ == "__main__":
    for line in run():
        print(line)
    sys.exit(0)
