"""Test configuration: Qt offscreen, every user folder in a temporary directory, real SQLite files."""

from __future__ import annotations

import os

os.environ["QT_QPA_PLATFORM"] = "offscreen"

from pathlib import Path  # noqa: E402

import pytest  # noqa: E402

from lgf_desktop import keys  # noqa: E402
from lgf_desktop.db import Database  # noqa: E402
from lgf_desktop.services.demo import load_demo  # noqa: E402


@pytest.fixture(autouse=True)
def _isolated_user_folders(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / "data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / "config"))
    monkeypatch.delenv("LGF_DB", raising=False)


TEST_KEY_PASSPHRASE = "the test user's passphrase"


@pytest.fixture(scope="session")
def _one_key_pair() -> tuple[keys.MyKey, bytes]:
    key = keys.MyKey.generate("Test User")  # made once: generating and scrypt are not free
    return key, keys.locked_key_file(key, TEST_KEY_PASSPHRASE)


@pytest.fixture(autouse=True)
def my_key(_one_key_pair: tuple[keys.MyKey, bytes], _isolated_user_folders: None,
           monkeypatch: pytest.MonkeyPatch):
    """The user's key, unlocked for the sitting (as the app does after asking for the passphrase)
    and in the (temporary) profile with its passphrase in $LGF_KEY_PASSPHRASE, for an ``lgf`` run as
    a separate process. Exchange files are sealed and opened with it."""
    key, locked = _one_key_pair
    keys.keep_my_key(key, locked)
    monkeypatch.setenv("LGF_KEY_PASSPHRASE", TEST_KEY_PASSPHRASE)
    keys.use_for_this_sitting(key)
    yield key
    keys.use_for_this_sitting(None)


@pytest.fixture(autouse=True)
def _no_unexpected_findings_dialog(monkeypatch: pytest.MonkeyPatch) -> None:
    """A findings dialog nobody expected would wait for a click forever: fail the test instead."""

    def unexpected(dialog) -> bool:
        raise AssertionError(f"unexpected identifying-data findings: {[f.message for f in dialog.findings]}")

    monkeypatch.setattr("lgf_desktop.ui.identifying_dialog.ask_to_send", unexpected)


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "lgf.sqlite3"


@pytest.fixture
def db(db_path: Path):
    database = Database.open(db_path)
    yield database
    database.close()


@pytest.fixture
def demo_db(db: Database) -> Database:
    with db.session() as session:
        load_demo(session)
    return db
