"""Encryption at rest: an encrypted database's bytes hold no case text, it opens only with its
passphrase (which is never written anywhere), "Encrypt this database…" and "Decrypt…" keep every
record and leave no plain copy, upgrades and ``lgf check`` work through the key."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import select

from conftest import DB_PASSPHRASE
from lgf_desktop.storage.sqlite import connections
from lgf_desktop.storage.sqlite.backups import backup_database, list_backups
from lgf_desktop.storage.sqlite.connections import PassphraseNeeded, WrongPassphrase
from lgf_desktop.db import Database
from lgf_desktop.storage.sqlite.encrypting import decrypt_database, encrypt_backups, encrypt_database, plain_backups, remove_backups
from lgf_desktop.errors import UserError
from lgf_desktop.models import Organisation, Response
from lgf_desktop.storage.sqlite.schema_check import check_openable

SENTENCE = "Child B's mother said the school nurse visited twice in March."

pytestmark = pytest.mark.sqlite_only  # SQLCipher encrypts a file; a server protects its own database


def _all_bytes(folder: Path) -> bytes:
    return b"".join(p.read_bytes() for p in folder.rglob("*") if p.is_file())


def _add_sentence(db: Database) -> None:
    with db.session() as session:
        session.add(Organisation(name="Harbour Lane Surgery", short_name="HLS", sector="Health"))
        response = session.scalars(select(Response)).first()
        response.text = SENTENCE


def test_an_encrypted_database_holds_no_case_text_and_opens_only_with_its_passphrase(tmp_path: Path) -> None:
    path = tmp_path / "lgf.sqlite3"
    db = Database.open(path, passphrase=DB_PASSPHRASE)
    from lgf_desktop.services.demo import load_demo

    with db.session() as session:
        load_demo(session)
    _add_sentence(db)
    assert db.encrypted
    backup = db.backup("start")
    # While open (the -wal holding the latest commits) and after closing: no sentence in any byte.
    assert SENTENCE.encode() not in _all_bytes(tmp_path)
    db.close()
    assert SENTENCE.encode() not in _all_bytes(tmp_path) and b"Harbour Lane" not in _all_bytes(tmp_path)
    assert not connections.is_plain(backup) and not connections.is_plain(path)

    before = path.read_bytes()
    with pytest.raises(PassphraseNeeded) as needed:
        Database.open(path)
    assert str(needed.value) == f"{path} is encrypted: its passphrase is needed to open it."
    assert "another program" not in str(needed.value)
    with pytest.raises(WrongPassphrase, match="nothing was opened or changed"):
        Database.open(path, passphrase="not the passphrase at all")
    with pytest.raises(WrongPassphrase):
        check_openable(backup, "not the passphrase at all")
    assert path.read_bytes() == before

    db = Database.open(path, passphrase=DB_PASSPHRASE)
    with db.read() as session:
        assert SENTENCE in session.scalars(select(Response.text)).all()
    db.close()


def test_the_passphrase_is_never_written_anywhere(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    home = Path(os.environ["HOME"])
    path = tmp_path / "data" / "lgf.sqlite3"
    db = Database.open(path, passphrase=DB_PASSPHRASE)
    _add_sentence_without_demo(db)
    db.backup("start")
    db.journal.note("response/1/2", "text", "Typed into the minutes, not yet saved.")
    db.close()
    # The recovery journal beside an encrypted file keeps the typed text, sealed.
    journal = Path(f"{path}.journal")
    assert b"Typed into the minutes" not in journal.read_bytes()
    db = Database.open(path, passphrase=DB_PASSPHRASE)
    assert [e.text for e in db.journal.entries()] == ["Typed into the minutes, not yet saved."]
    db.close()
    db = Database.open(path, passphrase=DB_PASSPHRASE, backup=True)
    db.close()
    salt = path.read_bytes()[:16]
    derived = connections._raw_key(DB_PASSPHRASE, salt)[2:66]
    for folder in (tmp_path, home):
        everything = _all_bytes(folder)
        assert DB_PASSPHRASE.encode() not in everything
        assert derived.encode() not in everything and bytes.fromhex(derived) not in everything


def _add_sentence_without_demo(db: Database) -> None:
    with db.session() as session:
        session.add(Organisation(name=SENTENCE, short_name="S", sector="Health"))


def test_encrypting_keeps_every_record_leaves_no_plain_copy_and_names_the_plain_backups(demo_db: Database) -> None:
    _add_sentence(demo_db)
    path, folder = demo_db.path, demo_db.path.parent
    old_backup = demo_db.backup("start")
    counts = connections.table_counts(path, None)
    demo_db.close()

    done = encrypt_database(path, DB_PASSPHRASE)
    assert done.plain_backups == [old_backup]
    said = done.sentence()
    assert "is now encrypted" in said and "plain file was overwritten with zeros and removed" in said
    assert "1 earlier backup(s)" in said and "still plain" in said
    # The only plain copy left is the backup it named; no hidden temporary or retired file remains.
    assert SENTENCE.encode() in old_backup.read_bytes()
    assert SENTENCE.encode() not in b"".join(p.read_bytes() for p in folder.rglob("*")
                                               if p.is_file() and p != old_backup)
    assert [p.name for p in folder.iterdir() if p.name.startswith(".")] == []
    assert connections.table_counts(path, DB_PASSPHRASE) == counts
    with pytest.raises(UserError, match="already encrypted"):
        encrypt_database(path, DB_PASSPHRASE)

    assert encrypt_backups(path, DB_PASSPHRASE, done.plain_backups) == 1
    assert plain_backups(path) == [] and SENTENCE.encode() not in _all_bytes(folder)
    db = Database.open(old_backup, passphrase=DB_PASSPHRASE)  # the encrypted backup opens with the key
    db.close()

    back = decrypt_database(path, DB_PASSPHRASE)
    assert "plain SQLite file" in back.sentence()
    assert connections.is_plain(path) and SENTENCE.encode() in path.read_bytes()
    assert connections.table_counts(path, None) == counts
    db = Database.open(path)
    with db.read() as session:
        assert SENTENCE in session.scalars(select(Response.text)).all()
    db.close()


def test_removing_the_plain_backups_after_encrypting(db_path: Path) -> None:
    db = Database.open(db_path)
    _add_sentence_without_demo(db)
    db.backup("start")
    db.close()
    done = encrypt_database(db_path, DB_PASSPHRASE)
    assert remove_backups(done.plain_backups) == 1
    assert list_backups(db_path) == [] and SENTENCE.encode() not in _all_bytes(db_path.parent)


def test_a_short_passphrase_or_a_wrong_one_changes_nothing(db_path: Path) -> None:
    Database.open(db_path).close()
    before = db_path.read_bytes()
    with pytest.raises(UserError, match="at least 10 characters"):
        encrypt_database(db_path, "short")
    assert db_path.read_bytes() == before
    encrypt_database(db_path, DB_PASSPHRASE)
    encrypted = db_path.read_bytes()
    with pytest.raises(WrongPassphrase):
        decrypt_database(db_path, "a wrong but long passphrase")
    assert db_path.read_bytes() == encrypted


def test_an_old_encrypted_file_is_upgraded_through_its_key(tmp_path: Path) -> None:
    from test_atomic_upgrades import _old_style

    plain, path = tmp_path / "old-plain.sqlite3", tmp_path / "old.sqlite3"
    _old_style(plain, "0001")
    path.touch()
    connections.export(plain, None, path, DB_PASSPHRASE)
    plain.unlink()
    from lgf_desktop.db import head_revision
    from lgf_desktop.storage.sqlite.schema_check import stored_revision

    assert stored_revision(path, DB_PASSPHRASE) == "0001"
    Database.open(path, passphrase=DB_PASSPHRASE).close()
    assert stored_revision(path, DB_PASSPHRASE) == head_revision()
    before = [b for b in list_backups(path) if b.name.endswith("-before-migration.sqlite3")]
    assert len(before) == 1 and not connections.is_plain(before[0])
    assert stored_revision(before[0], DB_PASSPHRASE) == "0001"


def _lgf(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "lgf_desktop.cli", *args], capture_output=True, text=True,
                          env={**os.environ, **(env or {})}, timeout=300)


@pytest.mark.slow
def test_the_command_line_on_an_encrypted_database(db_path: Path, tmp_path: Path) -> None:
    assert _lgf("--db", str(db_path), "demo").returncode == 0
    backup = backup_database(db_path, "start")
    key = {"LGF_DB_PASSPHRASE": DB_PASSPHRASE}
    encrypted = _lgf("--db", str(db_path), "encrypt", "--encrypt-backups", env=key)
    assert encrypted.returncode == 0, encrypted.stderr
    assert "is now encrypted" in encrypted.stdout and "Encrypted 1 earlier backup(s)" in encrypted.stdout
    assert not connections.is_plain(db_path) and not connections.is_plain(backup)

    refused = _lgf("--db", str(db_path), "check")
    assert refused.returncode == 2 and refused.stderr.count("\n") == 1
    assert "is encrypted: its passphrase is needed" in refused.stderr and "LGF_DB_PASSPHRASE" in refused.stderr
    wrong = _lgf("--db", str(db_path), "rounds", env={"LGF_DB_PASSPHRASE": "nothing like it at all"})
    assert wrong.returncode == 2 and "does not open" in wrong.stderr and "Traceback" not in wrong.stderr
    before = db_path.read_bytes()
    checked = _lgf("--db", str(db_path), "check", env=key)
    assert checked.returncode == 0 and "All is well." in checked.stdout
    assert db_path.read_bytes() == before  # check reads without writing, through the key
    passphrase_file = tmp_path / "passphrase.txt"
    passphrase_file.write_text(DB_PASSPHRASE + "\n")
    rounds = _lgf("--db", str(db_path), "--db-passphrase-file", str(passphrase_file), "rounds")
    assert rounds.returncode == 0 and "2021-22" in rounds.stdout
    restored = _lgf("--db", str(db_path), "restore", str(backup), env=key)
    assert restored.returncode == 0, restored.stderr
    assert not connections.is_plain(db_path)

    decrypted = _lgf("--db", str(db_path), "decrypt", env=key)
    assert decrypted.returncode == 0 and connections.is_plain(db_path)
    assert _lgf("--db", str(db_path), "rounds").returncode == 0


def test_restoring_a_plain_backup_into_an_encrypted_database_keeps_it_encrypted(db_path: Path) -> None:
    from lgf_desktop.storage.sqlite.backups import restore_backup

    db = Database.open(db_path)
    _add_sentence_without_demo(db)
    db.close()
    plain_backup = backup_database(db_path, "start")
    encrypt_database(db_path, DB_PASSPHRASE)
    restore_backup(db_path, plain_backup, DB_PASSPHRASE)
    assert not connections.is_plain(db_path) and SENTENCE.encode() not in db_path.read_bytes()
    db = Database.open(db_path, passphrase=DB_PASSPHRASE)
    with db.read() as session:
        assert session.scalars(select(Organisation.name)).all() == [SENTENCE]
    db.close()


def test_the_data_watcher_sees_another_programs_commit_to_an_encrypted_file(qapp, db_path: Path) -> None:
    from lgf_desktop.ui.data_watch import DataWatcher

    db = Database.open(db_path, passphrase=DB_PASSPHRASE)
    watcher = DataWatcher(db, interval_ms=60_000)
    try:
        with db.session() as session:  # our own commit is not "elsewhere"
            session.add(Organisation(name="Ours", short_name="O", sector="Health"))
        assert not watcher.poll()
        other = connections.connect(db_path, DB_PASSPHRASE, isolation_level=None)
        other.execute("UPDATE organisation SET name = 'Theirs'")
        other.close()
        assert watcher.poll()
    finally:
        watcher.stop()
        db.close()
