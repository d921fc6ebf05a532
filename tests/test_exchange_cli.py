"""``lgf inspect`` and ``lgf import`` on exchange files."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from sqlalchemy import select

from lgf_desktop.cli import main
from lgf_desktop.models import NoteContribution
from lgf_desktop.services import notes_exchange as notes
from lgf_desktop.services import workshop as ws
from workshop_support import _demo_template, planned_review_id, snapshot, workshop_db  # noqa: F401


def notes_file(db, tmp_path: Path) -> Path:
    review_id = planned_review_id(db)
    with db.session() as s:
        question = ws.get_review(s, review_id).round.questions[2]
        ws.save_response(s, review_id, question.id, "Safer recruitment: DBS checks for all.")
    with db.session() as s:
        path, _ = notes.export_notes(s, review_id, "Priya Member", tmp_path / "priya.lgfx")
    return path


def test_inspect_and_import(workshop_db, tmp_path, capsys):
    path = notes_file(workshop_db, tmp_path)
    # The same database plays the chair: its own response is there, the note is one more view of it.
    assert main(["--db", str(workshop_db.path), "inspect", str(path)]) == 0
    out = capsys.readouterr().out
    assert "Made by: Priya Member" in out and "review-notes" in out and "notes.json" in out
    assert "Westmoor Youth Trust" in out
    with workshop_db.session() as s:
        assert s.scalars(select(NoteContribution)).all() == []  # inspect imported nothing
    assert main(["--db", str(workshop_db.path), "import", str(path)]) == 0
    assert "1 note(s) from Priya Member" in capsys.readouterr().out
    with workshop_db.session() as s:
        assert [n.status for n in s.scalars(select(NoteContribution))] == ["pending"]  # merged in the GUI
    assert main(["--db", str(workshop_db.path), "import", str(path)]) == 0
    assert "already imported" in capsys.readouterr().out


def test_bad_file_one_sentence_and_exit_2(workshop_db, tmp_path):
    bad = tmp_path / "bad.lgfx"
    bad.write_bytes(b"PK\x03\x04 not really")
    with workshop_db.session():
        pass
    before = snapshot(workshop_db)
    for command in ("inspect", "import"):
        result = subprocess.run([sys.executable, "-m", "lgf_desktop.cli", "--db", str(workshop_db.path), command, str(bad)],
                                capture_output=True, text=True)
        assert result.returncode == 2
        assert result.stderr.count("\n") == 1 and "damaged or incomplete" in result.stderr
        assert "Traceback" not in result.stderr
    assert snapshot(workshop_db)[0] == before[0]
