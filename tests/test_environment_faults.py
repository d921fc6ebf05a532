"""Faults of the environment — read-only file or folder, full disk, locked, damaged, vanished — are
one sentence naming the cause, exit 2, data unchanged; bugs never show SQL, parameters or case text.

Permissions do not bind root, so the read-only cases run the command as an unprivileged user when
the tests run as root; the full disk is a small tmpfs mounted for the test (root only).
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from lgf_desktop.db import Database
from lgf_desktop.errors import UserError
from lgf_desktop.models import Organisation

ROOT = os.geteuid() == 0
NOBODY = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"]


def lgf(*args: str, unprivileged: bool = False, home: Path | None = None) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ)
    if home is not None:
        env.update(HOME=str(home), XDG_DATA_HOME=str(home / "data"))
    prefix = NOBODY if unprivileged and ROOT else []
    return subprocess.run([*prefix, sys.executable, "-m", "lgf_desktop.cli", *args], capture_output=True,
                          text=True, env=env, timeout=120)


def _one_sentence(result: subprocess.CompletedProcess[str], *words: str) -> None:
    assert result.returncode == 2, (result.returncode, result.stdout, result.stderr)
    assert result.stderr.count("\n") == 1, result.stderr  # no traceback, no "Exception ignored"
    assert "Traceback" not in result.stderr and "internal error" not in result.stderr
    for word in words:
        assert word in result.stderr, result.stderr


def _dump(path: Path) -> list[str]:
    conn = sqlite3.connect(path)
    try:
        return list(conn.iterdump())
    finally:
        conn.close()


@pytest.fixture
def shared_dir():
    """A folder another user can enter (pytest's own temporary folders are private to root)."""
    folder = Path(tempfile.mkdtemp(prefix="lgf-faults-"))
    folder.chmod(0o777)
    yield folder
    for path in [folder, *folder.rglob("*")]:
        if path.is_dir():
            path.chmod(0o777)
    shutil.rmtree(folder)


def test_a_read_only_database_file_is_named_and_left_unchanged(shared_dir: Path) -> None:
    path = shared_dir / "lgf.sqlite3"
    Database.open(path).close()
    path.chmod(0o444)
    before = path.read_bytes()
    result = lgf("--db", str(path), "demo", unprivileged=True, home=shared_dir)
    _one_sentence(result, f"{path} is read-only")
    assert "folder" not in result.stderr
    assert path.read_bytes() == before


def test_a_read_only_folder_is_named_and_the_file_left_unchanged(shared_dir: Path) -> None:
    folder = shared_dir / "minutes"
    folder.mkdir()
    path = folder / "lgf.sqlite3"
    Database.open(path).close()
    path.chmod(0o666)
    folder.chmod(0o555)
    before = path.read_bytes()
    result = lgf("--db", str(path), "demo", unprivileged=True, home=shared_dir)
    _one_sentence(result, f"The folder {folder} is read-only")
    assert path.read_bytes() == before


def test_a_new_database_in_a_read_only_folder_is_refused_with_the_folder_named(shared_dir: Path) -> None:
    folder = shared_dir / "empty"
    folder.mkdir()
    folder.chmod(0o555)
    result = lgf("--db", str(folder / "lgf.sqlite3"), "demo", unprivileged=True, home=shared_dir)
    _one_sentence(result, f"The folder {folder} cannot be written to")
    assert list(folder.iterdir()) == []


@pytest.fixture
def small_disk(tmp_path: Path):
    if not ROOT:
        pytest.skip("mounting a small file system needs root")
    mount = tmp_path / "small"
    mount.mkdir()
    subprocess.run(["mount", "-t", "tmpfs", "-o", "size=4m", "tmpfs", str(mount)], check=True)
    yield mount
    subprocess.run(["umount", "-l", str(mount)], check=False)


def _fill(folder: Path) -> Path:
    filler = folder / "filler"
    with filler.open("wb", buffering=0) as fh:
        try:
            while True:
                fh.write(b"\0" * 4096)
        except OSError:
            pass
    return filler


def test_creating_a_database_on_a_full_disk_is_one_sentence_and_leaves_nothing(small_disk: Path) -> None:
    _fill(small_disk)
    result = lgf("--db", str(small_disk / "lgf.sqlite3"), "demo")
    _one_sentence(result, "is full")
    assert sorted(p.name for p in small_disk.iterdir()) == ["filler"]


def test_writing_to_a_full_disk_is_one_sentence_and_the_data_unchanged(small_disk: Path, tmp_path: Path) -> None:
    path = small_disk / "lgf.sqlite3"
    Database.open(path).close()
    before = _dump(path)
    filler = _fill(small_disk)
    result = lgf("--db", str(path), "demo")
    _one_sentence(result, "is full")
    filler.unlink()  # space again (SQLite needs a little even to read): the data is as it was
    assert _dump(path) == before
    assert lgf("--db", str(path), "demo").returncode == 0


def test_an_export_to_a_full_disk_is_one_sentence_without_a_stray_traceback(small_disk: Path, db_path: Path) -> None:
    assert lgf("--db", str(db_path), "demo").returncode == 0
    _fill(small_disk)
    result = lgf("--db", str(db_path), "export", "report", "--round", "2021-22", "--out", str(small_disk / "r.docx"))
    _one_sentence(result, "is full")  # and no "Exception ignored in: ZipFile.__del__"
    assert sorted(p.name for p in small_disk.iterdir()) == ["filler"]


def test_a_locked_database_is_one_sentence_and_unchanged(db_path: Path) -> None:
    Database.open(db_path).close()
    before = _dump(db_path)
    holder = subprocess.Popen(
        [sys.executable, "-c",
         "import sqlite3, sys, time\n"
         "c = sqlite3.connect(sys.argv[1], isolation_level=None)\n"
         "c.execute('BEGIN IMMEDIATE'); print('held', flush=True); time.sleep(60)\n", str(db_path)],
        stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "held"
        result = lgf("--db", str(db_path), "demo")
    finally:
        holder.kill()
        holder.wait()
        holder.stdout.close()
    _one_sentence(result, "is locked by another program")
    assert _dump(db_path) == before


def test_a_write_to_a_damaged_database_is_one_sentence(db_path: Path) -> None:
    Database.open(db_path).close()
    data = bytearray(db_path.read_bytes())
    for page in (3, 8, 20):
        data[page * 4096:(page + 1) * 4096] = b"\x5a" * 4096
    db_path.write_bytes(bytes(data))
    result = lgf("--db", str(db_path), "demo")
    _one_sentence(result, "is damaged", "lgf check")
    assert db_path.read_bytes() == bytes(data)


def test_a_database_deleted_while_open_refuses_the_next_save(tmp_path: Path) -> None:
    folder = tmp_path / "shared"
    db = Database.open(folder / "lgf.sqlite3")
    with db.session() as session:
        session.add(Organisation(name="Saved"))
    shutil.rmtree(folder)
    with pytest.raises(UserError, match="is no longer there"):
        with db.session() as session:
            session.add(Organisation(name="Would be lost"))
    db.close()


CASE_TEXT = "Child C disclosed at school on Tuesday"


def _real_statement_error(db: Database) -> Exception:
    """A real bug-shaped failure carrying case text in its parameters: a duplicate unique id."""
    with db.session() as session:
        session.add(Organisation(name="First", uuid="00000000-0000-4000-8000-00000000000d"))
    try:
        with db.session() as session:
            session.add(Organisation(name=CASE_TEXT, uuid="00000000-0000-4000-8000-00000000000d"))
    except Exception as exc:  # noqa: BLE001  (the point is the real exception object)
        return exc
    raise AssertionError("no error")


def test_an_internal_error_shows_no_sql_or_parameters_on_stderr_or_in_the_log(db: Database, capsys) -> None:
    from lgf_desktop.cli import report_failure
    from lgf_desktop.paths import user_data_dir

    exc = _real_statement_error(db)
    assert CASE_TEXT not in str(exc)  # the engine hides parameters even in the exception's own text
    assert report_failure(exc, db.path) == 70
    err = capsys.readouterr().err
    log = (user_data_dir() / "lgf-errors.log").read_text()
    reference = err.split("internal error ")[1].split()[0]
    assert reference in log and "IntegrityError" in err and "IntegrityError" in log
    for secret in (CASE_TEXT, "INSERT", "organisation (", "00000000-0000-4000-8000-00000000000d"):
        assert secret not in err and secret not in log


def test_the_window_shows_an_internal_error_without_sql_or_parameters(db: Database, qtbot, shown_errors, caplog) -> None:
    from lgf_desktop.ui.errors import show_error

    show_error(None, _real_statement_error(db))
    shown = [e.text for e in shown_errors]
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert len(shown) == 1 and "reference" in shown[0]
    for secret in (CASE_TEXT, "INSERT", "00000000-0000-4000-8000-00000000000d"):
        assert secret not in shown[0] and secret not in logged


def test_the_window_names_a_full_disk_as_the_cause(small_disk: Path, qtbot, shown_errors) -> None:
    """A disk filling up under an open window: the save's failure is the sentence, not a bug."""
    from lgf_desktop.ui.errors import show_error

    db = Database.open(small_disk / "lgf.sqlite3")
    before = _dump(db.path)
    filler = _fill(small_disk)
    with pytest.raises(Exception) as failed:
        with db.session() as session:
            session.add_all(Organisation(name=f"Organisation {i}", short_name="x" * 90) for i in range(3000))
    show_error(None, failed.value, path=db.path)
    db.close()
    shown = [e.text for e in shown_errors]
    assert len(shown) == 1 and "is full" in shown[0] and str(db.path) in shown[0]
    filler.unlink()
    assert _dump(db.path) == before
