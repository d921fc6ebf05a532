"""Merging auditors' returns: 10 auditors' returns for an audit of 10 cases × 15 questions into the
coordinator's database (reading and checking each file, merging with versions, committing).
Target: under 1 s for all ten. Run alone: ``python -m benchmarks.bench_merge``."""

from __future__ import annotations

import json
import random
import tempfile
import time
from pathlib import Path

from benchmarks.figures import figure
from lgf_desktop import keys
from lgf_desktop.db import Database
from lgf_desktop.errors import UserError
from lgf_desktop.exchange.sealing import Sealing
from lgf_desktop.exchange.senders import set_person_key
from lgf_desktop.exchange.container import read_package, write_package
from lgf_desktop.importing import import_file
from lgf_desktop.models import Organisation, Person
from lgf_desktop.services.audit.cases import add_auditor, assign, create_audit
from lgf_desktop.services.audit.exchange import issue_package

AUDITORS, CASES, QUESTIONS = 10, 10, 15


def _tool() -> dict:
    return {"name": "Benchmark tool", "sections": [
        {"title": f"Section {s + 1}", "questions": [{"text": f"Question {s * 5 + q + 1}", "guidance": "Look at the record."}
                                                    for q in range(5)]} for s in range(QUESTIONS // 5)]}


def _returns(folder: Path, db: Database) -> list[Path]:
    """One return per auditor, built from the package each was issued, with every answer graded.
    One key plays every part (the sitting's, or one made for the run): packages are sealed for it and
    returns signed by it, as the auditors' would be by theirs."""
    try:
        me = keys.this_sitting()
    except UserError:
        me = keys.MyKey.generate("Benchmark user")
        keys.use_for_this_sitting(me)
    rng = random.Random(7)
    paths = []
    with db.session() as session:
        audit = create_audit(session, "Benchmark", "2025-26 Q1", tool=_tool(), case_count=CASES)
        for n in range(AUDITORS):
            person = Person(name=f"Auditor {n}", organisation=Organisation(name=f"Agency {n}"))
            session.add(person)
            session.flush()
            set_person_key(session, person, me.public)
            auditor = add_auditor(session, audit, person)
            for case in audit.cases:
                assign(session, auditor, case)
        options = [o.uuid for o in audit.grade_options]
        for auditor in audit.auditors:
            package = read_package(issue_package(session, auditor, folder / f"package-{auditor.id}.lgfx"))
            assignments = [c["assignment"] for c in package.json("cases.json")]
            for a in assignments:
                a.update(working_well="Prompt joint visits.", voice_heard="yes", auditor_rev=a["auditor_rev"] + 1)
                for g in a["grades"]:
                    g.update(option_uuid=rng.choice(options), evidence="Seen in the record.", auditor_rev=g["auditor_rev"] + 1)
            part = {"audit_uuid": audit.uuid, "theme": audit.theme, "quarter": audit.quarter,
                    "auditor_uuid": auditor.uuid, "assignments": assignments}
            paths.append(write_package(folder / f"return-{auditor.id}.lgfx", kind="audit-return", author=auditor.person.name,
                                       description="Benchmark return for " + ", ".join(c.pseudonym for c in audit.cases),
                                       scope=package.scope,
                                       parts={"return.json": json.dumps(part).encode()},
                                       sealing=Sealing(me, recipients=(me.public,))))
    return paths


def run() -> list[str]:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        db = Database.open(folder / "coordinator.sqlite3")
        try:
            returns = _returns(folder, db)
            start = time.perf_counter()
            summaries = [import_file(db, path) for path in returns]
            elapsed = time.perf_counter() - start
            assert all(f"{CASES * (QUESTIONS + 1)} answer(s) updated" in s for s in summaries), summaries[0]
            start = time.perf_counter()
            for path in returns:  # the same files again: refused as already imported
                import_file(db, path)
            again = time.perf_counter() - start
        finally:
            db.close()
    return [figure(f"merge {AUDITORS} returns ({CASES} cases x {QUESTIONS} questions each)", elapsed, "s", "< 1 s"),
            figure("re-import the same 10 returns (no change)", again, "s", "< 1 s")]


if __name__ == "__main__":
    for line in run():
        print(line)
