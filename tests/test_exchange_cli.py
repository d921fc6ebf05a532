"""``lgf inspect`` and ``lgf import`` on exchange files."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from sqlalchemy import select

from lgf_desktop.cli import main
from lgf_desktop.models import NoteContribution
from lgf_desktop.services.review import notes_exchange as notes
from lgf_desktop.services.review import workshop as ws
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


HOSTILE = "Neglect\x1b[2J\x1b]0;owned\x07 \u202eevil\u202c\nforged line \ud800"


def _no_raw_controls(text: str) -> None:
    assert not any(ch in text for ch in ("\x1b", "\x07", "\u202e", "\u202c", "\ud800")), repr(text)
    assert "\\x1b[2J" in text and "\\u202e" in text


def test_inspect_and_import_show_escape_codes_from_a_file_as_text(tmp_path, capsys):
    import zipfile

    from lgf_desktop.exchange.container import write_package

    shown = HOSTILE.replace(" \ud800", "")
    path = write_package(tmp_path / "hostile.lgfx", kind="review-notes", author=shown, description=shown,
                         scope={"review_uuid": shown}, parts={"notes.json": b"{}"})
    capsys.readouterr()
    assert main(["--db", str(tmp_path / "lgf.sqlite3"), "inspect", str(path)]) == 0
    out = capsys.readouterr().out
    assert "\\x0aforged line" in out and "\nforged line" not in out
    _no_raw_controls(out)
    # The import's refusal quotes text from the file: escaped too, on one line.
    assert main(["--db", str(tmp_path / "lgf.sqlite3"), "import", str(path)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "\x1b" not in err
    # A lone surrogate in the manifest (unprintable, unstorable) is refused with a sentence.
    with zipfile.ZipFile(path) as archive:
        members = {name: archive.read(name) for name in archive.namelist()}
    members["manifest.json"] = members["manifest.json"].replace(b"forged line", b"forged \\ud800 line")
    with zipfile.ZipFile(tmp_path / "surrogate.lgfx", "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    for command in ("inspect", "import"):
        assert main(["--db", str(tmp_path / "lgf.sqlite3"), command, str(tmp_path / "surrogate.lgfx")]) == 2
        err = capsys.readouterr().err
        assert err.count("\n") == 1 and "broken" in err and "internal error" not in err


def test_audits_and_package_messages_show_escape_codes_as_text(tmp_path, capsys):
    from lgf_desktop.db import Database

    from audit_helpers import make_audit, the_audit

    db = Database.open(tmp_path / "lgf.sqlite3")
    make_audit(db)
    with db.session() as session:
        audit = the_audit(session)
        audit.theme, audit.quarter = HOSTILE.replace(" \ud800", ""), "Q\x1b[31m3"
        audit.auditors[0].person.name = "Siân\x1b[8m hidden"
        audit_id = audit.id
    db.close()
    capsys.readouterr()
    assert main(["--db", str(tmp_path / "lgf.sqlite3"), "audits"]) == 0
    out = capsys.readouterr().out
    assert out.count("\n") == 2  # the header and one audit: no forged line
    _no_raw_controls(out)
    assert main(["--db", str(tmp_path / "lgf.sqlite3"), "export", "package", "--audit", str(audit_id),
                 "--auditor", "Siân", "--out", str(tmp_path / "p.lgfx")]) == 0
    out = capsys.readouterr().out
    assert "\x1b" not in out and "Siân\\x1b[8m hidden's package" in out
    assert main(["--db", str(tmp_path / "lgf.sqlite3"), "inspect", str(tmp_path / "p.lgfx")]) == 0
    out = capsys.readouterr().out
    assert "\x1b" not in out and "\\x1b[8m" in out
