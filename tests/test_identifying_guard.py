"""The identifying-data guard: one detector (children's names as keyed hashes included) that blocks
every leaving file until each finding is seen and overridden, records the override, and "Remove
everywhere" that leaves no trace in the database file."""

from __future__ import annotations

import json
import sqlite3
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import select

from lgf_desktop import cli
from lgf_desktop.storage.sqlite.backups import backup_database
from lgf_desktop.exports.brief_pdf import write_brief
from lgf_desktop.exports.report_docx import export_report
from lgf_desktop.exports.tracker_csv import write_tracker_csv
from lgf_desktop.models import ChangeLog, Grade, Review, Round
from lgf_desktop.paths import user_config_dir
from lgf_desktop.services.audit.exchange import issue_package
from lgf_desktop.services.audit.grading import set_grade
from lgf_desktop.services.privacy.child_names import SECRET_FILE, child_names, set_child_names
from lgf_desktop.services.privacy.identifying import find_identifying
from lgf_desktop.services.privacy.leaving import IdentifyingDataFound
from lgf_desktop.services.privacy.removal import file_holds, remove_everywhere, scrub_backups
from lgf_desktop.services.review.workshop import save_response
from lgf_desktop.services.tracker.rows import tracker_rows

from audit_helpers import assignment_for, auditor_named, make_audit, the_audit

TODAY = date(2025, 9, 1)
NAMES = ["Jayden Okafor-Smith", "Tallulah Brennan"]


def kinds(text: str, names=None) -> list[str]:
    return [w.kind for w in find_identifying(text, today=TODAY, names=names)]


@pytest.fixture
def audit_db(db):
    make_audit(db)
    with db.session() as session:
        set_child_names(session, the_audit(session), NAMES)
    return db


def type_evidence(db, text: str) -> None:
    with db.session() as session:
        grade = assignment_for(session, "Siân", "Child A").grades[0]
        set_grade(grade, evidence=text)


def test_every_kind_is_found_including_a_childs_name(audit_db) -> None:
    with audit_db.session() as session:
        names = child_names(session)
    text = ("Jayden was seen at school; TALLULAH's sister too. NHS 943 476 5919, born 14/03/2016, lives at "
            "BS16 1QY, mum on 07700 900123, jo@example.com. Okafor-Smith Jayden is not a pair in the list.")
    assert kinds(text, names) == ["child's name", "child's name", "NHS number", "date of birth", "postcode",
                                  "phone number", "e-mail address", "child's name", "child's name"]
    assert kinds("Jayden Okafor-Smith attended.", names) == ["child's name"]  # a pair is one finding
    assert kinds("Child A was seen by Jay at the Smithy.", names) == []  # whole words only
    assert kinds("Jayden attended.") == []  # no names known: nothing to match
    assert kinds("This review took place on 10 February 2022; since 3/4/2023 weekly.") == []  # events


def test_names_are_kept_only_as_keyed_hashes_with_the_key_outside_the_database(audit_db, db_path: Path) -> None:
    audit_db.close()
    raw = sqlite3.connect(db_path)
    raw.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    raw.close()
    data = db_path.read_bytes().lower()
    assert b"jayden" not in data and b"tallulah" not in data and b"brennan" not in data
    secret = user_config_dir() / SECRET_FILE
    assert secret.exists() and secret.read_bytes() not in data
    assert not any(SECRET_FILE in str(p) for p in db_path.parent.rglob("*"))


def test_a_name_typed_in_evidence_blocks_the_package_until_overridden_and_the_override_is_recorded(
        audit_db, tmp_path: Path) -> None:
    type_evidence(audit_db, "Jayden told his teacher; NHS no 943 476 5919.")
    target = tmp_path / "sian.lgfx"
    with pytest.raises(IdentifyingDataFound) as refused:
        with audit_db.session() as session:
            issue_package(session, auditor_named(session, "Siân"), target)
    assert not target.exists()
    found = refused.value.findings
    assert [f.kind for f in found] == ["child's name", "NHS number"]
    assert "Child A" in found[0].place.label and "evidence" in found[0].place.label
    assert "2 things that look like identifying data" in str(refused.value)
    with audit_db.session() as session:
        assert session.scalars(select(ChangeLog).where(ChangeLog.action == "override")).all() == []
        issue_package(session, auditor_named(session, "Siân"), target, override_identifying=True)
    assert target.exists()
    with audit_db.session() as session:
        record = session.scalars(select(ChangeLog).where(ChangeLog.action == "override")).one()
        assert "Siân" in record.record_label and "1 child's name" in record.new_value
        assert "Jayden" not in record.new_value and "943" not in record.new_value


def test_a_clean_package_states_what_the_check_found_not_a_fixed_claim(audit_db, tmp_path: Path) -> None:
    with audit_db.session() as session:
        issue_package(session, auditor_named(session, "Siân"), tmp_path / "sian.lgfx")
    description = _manifest(tmp_path / "sian.lgfx")["description"]
    assert "identifying-data check" in description and "found nothing" in description
    assert "no child's name, address or date of birth" not in description


def _manifest(path: Path) -> dict:
    from lgf_desktop.exchange.container import read_package

    return read_package(path).manifest


def test_the_brief_is_blocked_until_overridden(audit_db, tmp_path: Path) -> None:
    with audit_db.session() as session:
        the_audit(session).key_learning = "Tallulah Brennan's school did not share the referral."
    target = tmp_path / "brief.pdf"
    with pytest.raises(IdentifyingDataFound) as refused:
        with audit_db.session() as session:
            write_brief(session, the_audit(session), target)
    assert not target.exists()
    assert [f.kind for f in refused.value.findings] == ["child's name"]
    assert refused.value.findings[0].place.table == "audit"
    with audit_db.session() as session:
        write_brief(session, the_audit(session), target, override_identifying=True)
    assert target.exists()
    with audit_db.session() as session:
        assert session.scalars(select(ChangeLog).where(ChangeLog.action == "override")).one().record_label.startswith(
            "The learning brief")


def test_the_report_and_the_tracker_are_blocked_until_overridden(demo_db, tmp_path: Path) -> None:
    with demo_db.session() as session:
        review = session.scalars(select(Review).where(Review.status == "held")).first()
        question = review.round.questions[0]
        save_response(session, review.id, question.id, "Staff gave the example of a boy, DOB 02/01/2014, at BS16 1QY.")
        round_label = review.round.label
    target = tmp_path / "report.docx"
    with pytest.raises(IdentifyingDataFound) as refused:
        with demo_db.session() as session:
            export_report(session, session.scalars(select(Round).where(Round.label == round_label)).one(), target)
    assert not target.exists()
    assert [f.kind for f in refused.value.findings] == ["date of birth", "postcode"]
    with demo_db.session() as session:
        export_report(session, session.scalars(select(Round).where(Round.label == round_label)).one(), target,
                      override_identifying=True)
    from docx import Document

    text = "\n".join(p.text for p in Document(str(target)).paragraphs)
    assert "found 2 items (1 date of birth, 1 postcode), which were sent with the sender's explicit agreement" in text
    assert "holds no information about individual children" not in text

    with demo_db.session() as session:
        rows = tracker_rows(session)
        rows[0].text = rows[0].text + " Contact the family on 07700 900123."
        with pytest.raises(IdentifyingDataFound):
            write_tracker_csv(session, rows, tmp_path / "tracker.csv")
    assert not (tmp_path / "tracker.csv").exists()


def test_cli_prints_each_finding_refuses_then_overrides(audit_db, db_path: Path, tmp_path: Path, capsys) -> None:
    type_evidence(audit_db, "Seen with Jayden Okafor-Smith's brother.")
    audit_db.close()
    out = tmp_path / "sian.lgfx"
    args = ["--db", str(db_path), "export", "package", "--audit", "1", "--auditor", "Siân", "--out", str(out)]
    assert cli.main(args) == cli.EXIT_USER_ERROR
    err = capsys.readouterr().err
    assert "Child A" in err and "child's name" in err
    assert "was not written" in err and not out.exists()
    assert cli.main(args + ["--override-identifying"]) == 0 and out.exists()


def test_remove_everywhere_leaves_no_trace_in_the_database_file_and_names_the_backups(audit_db, db_path: Path) -> None:
    secret = "Jayden Okafor-Smith"
    # Another program has the file open (the CLI beside the window): closing ours does not clean the WAL.
    beside = sqlite3.connect(db_path)
    beside.execute("SELECT count(*) FROM setting").fetchall()
    type_evidence(audit_db, f"{secret} said he was hungry at school.")
    type_evidence(audit_db, f"{secret} said he was often hungry at school.")  # the history now holds it twice
    with audit_db.session() as session:  # and a second answer, rewritten without it: only old copies remain
        grade = assignment_for(session, "Siân", "Child B").grades[0]
        set_grade(grade, evidence=f"Seen with {secret} and his mother at the clinic for a check-up. " * 3)
    with audit_db.session() as session:
        grade = assignment_for(session, "Siân", "Child B").grades[0]
        set_grade(grade, evidence="Seen at the clinic.")
    backup = backup_database(db_path, "test")
    assert file_holds(backup, secret)
    with audit_db.session() as session:
        assert session.scalars(select(ChangeLog).where(ChangeLog.old_value.contains(secret))).all()
    removal = remove_everywhere(audit_db, secret)
    assert removal.records == 1 and removal.history >= 3
    assert removal.backups_holding == [backup]
    assert "1 backup(s) still hold it" in removal.sentence()
    wal = Path(f"{db_path}-wal")
    raw = db_path.read_bytes() + (wal.read_bytes() if wal.exists() else b"")
    assert secret.encode() not in raw and b"Okafor" not in raw
    beside.close()
    with audit_db.session() as session:
        evidence = session.scalars(select(Grade.evidence).where(Grade.evidence.contains("hungry"))).one()
        assert evidence == "[removed] said he was often hungry at school."
        assert session.scalars(select(ChangeLog).where(ChangeLog.action == "redact")).one()
    assert scrub_backups(audit_db, removal.backups_holding, secret) == 1
    assert not file_holds(backup, secret)


def test_package_parts_hold_what_the_detector_scanned(audit_db, tmp_path: Path) -> None:
    # The guard scans exactly what is written: the evidence is in the package part it scanned.
    type_evidence(audit_db, "Seen at home.")
    with audit_db.session() as session:
        path = issue_package(session, auditor_named(session, "Siân"), tmp_path / "p.lgfx")
    from lgf_desktop.exchange.container import read_package

    cases = json.loads(read_package(path).parts["cases.json"])
    assert cases[0]["assignment"]["grades"][0]["evidence"] == "Seen at home."


def test_cli_takes_names_and_the_value_to_remove_from_standard_input(db, db_path: Path, tmp_path: Path) -> None:
    import subprocess
    import sys

    make_audit(db)

    def lgf(*args: str, stdin: str) -> str:
        done = subprocess.run([sys.executable, "-m", "lgf_desktop.cli", "--db", str(db_path), *args],
                              input=stdin, capture_output=True, text=True)
        assert done.returncode == 0, done.stderr
        return done.stdout

    assert "2 name(s) will be flagged" in lgf("child-names", "--audit", "1", stdin="Kezia Oyelaran\nTomasz Wrobel\n")
    type_evidence(db, "Kezia Oyelaran was not seen alone.")
    with pytest.raises(IdentifyingDataFound, match="1 thing that looks like identifying data"):
        with db.session() as session:
            issue_package(session, auditor_named(session, "Siân"), tmp_path / "p.lgfx")
    db.close()
    assert "No backup holds it" in lgf("remove-everywhere", stdin="Kezia Oyelaran\n")
    assert b"Oyelaran" not in db_path.read_bytes()


def test_the_auditors_copy_flags_the_childrens_names_without_holding_them_or_the_secret(
        audit_db, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from lgf_desktop.db import Database
    from lgf_desktop.exchange.container import read_package
    from lgf_desktop.importing import import_file
    from lgf_desktop.services.audit.exchange import export_return
    from lgf_desktop.services.privacy.child_names import profile_secret

    coordinator_secret = profile_secret()
    path = tmp_path / "sian.lgfx"
    with audit_db.session() as session:
        issue_package(session, auditor_named(session, "Siân"), path)
    package = read_package(path)
    assert "keyed hashes (never the names)" in package.manifest["description"]
    part = package.parts["name_check.json"]
    words = [w for name in NAMES for w in name.replace("-", " ").split()]
    assert not any(w.encode() in part or w.lower().encode() in part for w in words)
    assert coordinator_secret.hex().encode() not in part and coordinator_secret not in path.read_bytes()
    assert b"name_check" not in path.read_bytes()  # the part list itself is inside the encryption

    # The auditor: another profile folder (another person on another laptop), their own database.
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "auditor-profile"))
    auditor_db = Database.open(tmp_path / "auditor.sqlite3")
    try:
        import_file(auditor_db, path)
        type_evidence(auditor_db, "Tallulah was seen at home with her brother.")
        with pytest.raises(IdentifyingDataFound) as refused:
            with auditor_db.session() as session:
                audit = the_audit(session)
                export_return(session, audit, tmp_path / "return.lgfx")
        assert [f.text for f in refused.value.findings if f.kind == "child's name"] == ["Tallulah"]
        key_hex = json.loads(part)["key"]
        everything = auditor_db.path.read_bytes() + Path(f"{auditor_db.path}-wal").read_bytes()
        assert key_hex.encode() not in everything  # the key is in the auditor's profile, not the database
        assert not any(w.encode() in everything for w in words if w != "Tallulah")  # (typed by the auditor)
        assert key_hex in (tmp_path / "auditor-profile" / "lgf-desktop" / "name-check-keys.json").read_text()
    finally:
        auditor_db.close()
