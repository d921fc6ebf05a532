"""Encrypted and signed exchange files: a package only its recipient opens, no case text in clear,
wrong keys and passphrases refused with the database unchanged, forged and re-attributed returns
refused, notes only from known keys, and what ``lgf inspect`` shows without the key."""

from __future__ import annotations

import io
import json
import stat
import zipfile
from pathlib import Path

import pytest

from lgf_desktop import cli, keys
from lgf_desktop.db import Database
from lgf_desktop.errors import UserError
from lgf_desktop.exchange.container import write_package
from lgf_desktop.exchange.sealing import Opening, Sealing, open_sealed
from lgf_desktop.exchange.senders import set_person_key
from lgf_desktop.importing import describe, import_file
from lgf_desktop.services.audit.exchange import export_return, issue_package
from lgf_desktop.services.audit.grading import set_grade

from audit_helpers import assignment_for, auditor_named, make_audit, snapshot, the_audit

SENTENCE = "The health visitor noted that the kitchen had no food on two visits"


@pytest.fixture(scope="module")
def people() -> dict[str, keys.MyKey]:
    return {name: keys.MyKey.generate(name) for name in ("Coordinator", "Siân", "Łukasz", "Stranger")}


@pytest.fixture
def coordinator(db, people):
    make_audit(db)
    with db.session() as session:
        for name in ("Siân", "Łukasz"):
            set_person_key(session, auditor_named(session, name).person, people[name].public)
        grade = assignment_for(session, "Siân", "Child A").grades[0]
        set_grade(grade, evidence=SENTENCE)
    return db


@pytest.fixture
def auditor_db(tmp_path: Path):
    database = Database.open(tmp_path / "sian.sqlite3")
    yield database
    database.close()


def issue(db, people, path: Path, name: str = "Siân", **how) -> Path:
    with db.session() as session:
        return issue_package(session, auditor_named(session, name), path, sender=people["Coordinator"], **how)


def file_bytes(db: Database) -> bytes:
    with db.engine.connect() as connection:
        connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    return db.path.read_bytes()


def test_a_package_is_opened_only_by_its_recipient_and_holds_no_case_text_in_clear(coordinator, auditor_db, people,
                                                                                   tmp_path: Path) -> None:
    path = issue(coordinator, people, tmp_path / "sian.lgfx")
    data = path.read_bytes()
    for clear in (SENTENCE, "Child A", "Neglect", "Siân", "Howells", "Northvale"):
        assert clear.encode() not in data, clear
    # Nor compressed: no zip member anywhere in the file to inflate.
    assert b"PK\x03\x04" not in data and not zipfile.is_zipfile(path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600

    before = file_bytes(auditor_db)
    for wrong in (people["Stranger"], people["Łukasz"]):
        with pytest.raises(UserError, match="was not sealed for your key"):
            import_file(auditor_db, path, opening=Opening(key=wrong))
        assert file_bytes(auditor_db) == before
    summary = import_file(auditor_db, path, opening=Opening(key=people["Siân"]))
    assert "Child A" in summary and people["Coordinator"].public.fingerprint in summary
    with auditor_db.session() as session:
        assert assignment_for(session, "Siân", "Child A").grades[0].evidence == SENTENCE


def test_a_passphrase_package_needs_the_right_passphrase(coordinator, auditor_db, people, tmp_path: Path) -> None:
    path = issue(coordinator, people, tmp_path / "sian.lgfx", passphrase="correct horse battery")
    assert SENTENCE.encode() not in path.read_bytes()
    before = file_bytes(auditor_db)
    with pytest.raises(UserError, match="passphrase is not the one"):
        import_file(auditor_db, path, opening=Opening(passphrase="wrong horse battery"))
    with pytest.raises(UserError, match="protected by a passphrase"):
        import_file(auditor_db, path, opening=Opening(key=people["Siân"]))
    assert file_bytes(auditor_db) == before
    assert "Child A" in import_file(auditor_db, path, opening=Opening(passphrase="correct horse battery"))


def _return(coordinator, auditor_db, people, tmp_path: Path) -> Path:
    import_file(auditor_db, issue(coordinator, people, tmp_path / "sian.lgfx"), opening=Opening(key=people["Siân"]))
    with auditor_db.session() as session:
        grade = assignment_for(session, "Siân", "Child B").grades[0]
        set_grade(grade, evidence="Seen twice; school attendance good.")
        return export_return(session, the_audit(session), tmp_path / "return.lgfx", sender=people["Siân"])


def test_the_return_is_sealed_for_the_coordinator_and_signed_by_the_auditor(coordinator, auditor_db, people,
                                                                            tmp_path: Path) -> None:
    path = _return(coordinator, auditor_db, people, tmp_path)
    assert b"school attendance" not in path.read_bytes()
    with pytest.raises(UserError, match="not sealed for your key"):
        import_file(coordinator, path, opening=Opening(key=people["Stranger"]))
    summary = import_file(coordinator, path, opening=Opening(key=people["Coordinator"]))
    assert f"Signed by Siân Howells's key ({people['Siân'].public.fingerprint})" in summary
    with coordinator.session() as session:
        assert assignment_for(session, "Siân", "Child B").grades[0].evidence == "Seen twice; school attendance good."


def _forge(path: Path, people, change, signer: str) -> Path:
    """What a forger with the coordinator's copy does: unpack, change, recompute every checksum,
    zip and seal again — with a key of their own, since they do not hold the auditor's."""
    content = open_sealed(path.read_bytes(), path.name, Opening(key=people["Coordinator"])).content
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        manifest = json.loads(archive.read("manifest.json"))
        body = json.loads(archive.read("return.json"))
    change(body, manifest)
    forged = path.with_name(f"forged-by-{signer}.lgfx")
    return write_package(forged, kind="audit-return", author=manifest["author"], description=manifest["description"],
                         scope=manifest["scope"], parts={"return.json": json.dumps(body).encode()},
                         sealing=Sealing(people[signer], recipients=(people["Coordinator"].public,)))


def _overwrite_evidence(body: dict, manifest: dict) -> None:
    for assignment in body["assignments"]:
        for grade in assignment["grades"]:
            grade["evidence"], grade["auditor_rev"] = "All fine, nothing to see.", grade["auditor_rev"] + 5


def test_a_forged_return_and_a_re_attributed_one_are_refused_with_nothing_changed(coordinator, auditor_db, people,
                                                                                 tmp_path: Path) -> None:
    path = _return(coordinator, auditor_db, people, tmp_path)
    before = snapshot(coordinator)
    forged = _forge(path, people, _overwrite_evidence, "Stranger")
    with pytest.raises(UserError, match="not by the key of Siân Howells that the package was issued to"):
        import_file(coordinator, forged, opening=Opening(key=people["Coordinator"]))
    # Łukasz is a real auditor with a known key; his signature does not make Siân's return his to send.
    re_attributed = _forge(path, people, _overwrite_evidence, "Łukasz")
    with pytest.raises(UserError, match="not by the key of Siân Howells"):
        import_file(coordinator, re_attributed, opening=Opening(key=people["Coordinator"]))
    # Changing the sealed bytes without re-signing breaks the seal itself.
    tampered = tmp_path / "tampered.lgfx"
    data = bytearray(path.read_bytes())
    data[-40] ^= 0x01
    tampered.write_bytes(bytes(data))
    with pytest.raises(UserError, match="damaged or incomplete"):
        import_file(coordinator, tampered, opening=Opening(key=people["Coordinator"]))
    relabelled = tmp_path / "relabelled.lgfx"
    relabelled.write_bytes(path.read_bytes().replace(b'"recipients":1', b'"recipients":2', 1))
    with pytest.raises(UserError, match="changed after it was signed"):
        import_file(coordinator, relabelled, opening=Opening(key=people["Coordinator"]))
    assert snapshot(coordinator) == before


def test_an_unsealed_file_is_not_imported(coordinator, people, tmp_path: Path) -> None:
    plain = write_package(tmp_path / "plain.lgfx", kind="audit-return", author="x", description="x",
                          scope={"audit_uuid": "a", "auditor_uuid": "b"}, parts={"return.json": b"{}"})
    before = snapshot(coordinator)
    with pytest.raises(UserError, match="not sealed"):
        import_file(coordinator, plain, opening=Opening(key=people["Coordinator"]))
    assert snapshot(coordinator) == before


def test_inspect_without_the_key_shows_only_the_outer_label(coordinator, people, tmp_path: Path) -> None:
    path = issue(coordinator, people, tmp_path / "sian.lgfx")
    outside = describe(path, opening=Opening(key=people["Stranger"]))
    assert "auditor's assigned cases" in outside and people["Coordinator"].public.fingerprint in outside
    assert "1 recipient(s)" in outside and "cannot be read without the key" in outside
    assert "Child A" not in outside and "Siân" not in outside and "Neglect" not in outside
    inside = describe(path, opening=Opening(key=people["Siân"]))
    assert "Child A" in inside and "signature checked" in inside


def forget_the_test_key() -> None:
    keys.use_for_this_sitting(None)
    for path in keys.keys_dir().glob("*"):
        path.unlink()


def test_my_key_is_made_once_kept_private_and_unlocked_only_with_its_passphrase(tmp_path: Path) -> None:
    forget_the_test_key()
    key = keys.create_my_key("Ann Coordinator", "a long passphrase")
    folder = keys.keys_dir()
    private = folder / keys.PRIVATE_FILE
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700 and stat.S_IMODE(private.stat().st_mode) == 0o600
    assert str(key.identity).encode() not in private.read_bytes()
    with pytest.raises(UserError, match="not the passphrase"):
        keys.unlock_my_key("a wrong passphrase")
    with pytest.raises(UserError, match="already have a key"):
        keys.create_my_key("Again", "a long passphrase")
    unlocked = keys.unlock_my_key("a long passphrase")
    assert unlocked.public == key.public == keys.my_public_key()
    assert keys.PublicKey.parse("Here it is:\n" + key.public.text() + "\n") == key.public
    groups = key.public.fingerprint.split(" ")
    assert len(groups) == 6 and all(len(g) == 4 for g in groups)
    with pytest.raises(UserError, match="not an LGF Desktop public key"):
        keys.PublicKey.parse("LGF-KEY-1 age1notakey abc Someone")


def test_cli_keys_export_import_and_a_package_by_key(coordinator, db_path: Path, tmp_path: Path, monkeypatch,
                                                     capsys) -> None:
    forget_the_test_key()
    monkeypatch.setenv("LGF_KEY_PASSPHRASE", "coordinator's passphrase")
    base = ["--db", str(db_path)]
    assert cli.main([*base, "keys", "create", "--name", "Ann Coordinator"]) == 0
    fingerprint = capsys.readouterr().out.split("Fingerprint: ")[1].strip()
    assert cli.main([*base, "keys", "export", "--out", str(tmp_path / "ann.lgfkey")]) == 0
    assert fingerprint in capsys.readouterr().out
    sian_key = tmp_path / "sian.lgfkey"
    sian = keys.MyKey.generate("Siân Howells")
    sian_key.write_text(sian.public.text())
    assert cli.main([*base, "keys", "import", str(sian_key), "--person", "Siân"]) == 0
    assert sian.public.fingerprint in capsys.readouterr().out
    out = tmp_path / "sian.lgfx"
    assert cli.main([*base, "export", "package", "--audit", "1", "--auditor", "Siân", "--out", str(out)]) == 0
    assert open_sealed(out.read_bytes(), out.name, Opening(key=sian)).signer.fingerprint == fingerprint
    monkeypatch.setenv("LGF_KEY_PASSPHRASE", "not it")
    keys.use_for_this_sitting(None)
    assert cli.main([*base, "export", "package", "--audit", "1", "--auditor", "Siân", "--out",
                     str(tmp_path / "again.lgfx")]) == cli.EXIT_USER_ERROR
    assert "not the passphrase of your key" in capsys.readouterr().err
    monkeypatch.setenv("LGF_PASSPHRASE", "one-off passphrase")
    keys.use_for_this_sitting(None)
    monkeypatch.setenv("LGF_KEY_PASSPHRASE", "coordinator's passphrase")
    one_off = tmp_path / "one-off.lgfx"
    assert cli.main([*base, "export", "package", "--audit", "1", "--auditor", "Siân", "--with-passphrase",
                     "--out", str(one_off)]) == 0
    keys.use_for_this_sitting(None)
    monkeypatch.delenv("LGF_KEY_PASSPHRASE")
    assert cli.main([*base, "inspect", str(one_off)]) == 0  # opened with $LGF_PASSPHRASE, no key needed
    assert "Child A" in capsys.readouterr().out
