"""Where the app finds its shipped files and keeps the person's, on each platform, through one module
(``lgf_desktop/paths.py``): what docs/installing.md tells IT departments, held to each platform's
conventions (Windows: %APPDATA%; macOS: ~/Library/Application Support; Linux: the XDG folders)."""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import pytest

from lgf_desktop import paths
from lgf_desktop.storage.sqlite.backups import backups_dir
from lgf_desktop.error_log import log_path
from lgf_desktop.journal import journal_path

PACKAGE = Path(paths.__file__).resolve().parent


@pytest.mark.parametrize(("platform", "env", "data", "profile"), [
    ("win32", {"APPDATA": "C:/Users/sam/AppData/Roaming"},
     "C:/Users/sam/AppData/Roaming/lgf-desktop", "C:/Users/sam/AppData/Roaming/lgf-desktop"),
    ("win32", {}, "{home}/AppData/Roaming/lgf-desktop", "{home}/AppData/Roaming/lgf-desktop"),
    ("darwin", {}, "{home}/Library/Application Support/lgf-desktop",
     "{home}/Library/Application Support/lgf-desktop"),
    ("linux", {"XDG_DATA_HOME": "/srv/data", "XDG_CONFIG_HOME": "/srv/config"}, "/srv/data/lgf-desktop",
     "/srv/config/lgf-desktop"),
    ("linux", {}, "{home}/.local/share/lgf-desktop", "{home}/.config/lgf-desktop"),
])
def test_each_platform_keeps_the_data_backups_log_and_journal_where_its_conventions_say(
        monkeypatch: pytest.MonkeyPatch, tmp_path: Path, platform: str, env: dict[str, str], data: str,
        profile: str) -> None:
    home = tmp_path / "home"
    monkeypatch.setenv("HOME", str(home))
    for name in ("APPDATA", "XDG_DATA_HOME", "XDG_CONFIG_HOME", "LGF_DB"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setattr(sys, "platform", platform)
    data_dir = Path(data.format(home=home))

    assert paths.user_data_dir() == data_dir
    assert paths.user_config_dir() == Path(profile.format(home=home))
    database = paths.resolve_db_path()
    assert database == data_dir / "lgf.sqlite3"
    assert backups_dir(database) == data_dir / "backups"
    assert journal_path(database) == data_dir / "lgf.sqlite3.journal"
    assert log_path() == data_dir / "lgf-errors.log"
    # --db, then $LGF_DB, choose another file; its backups and journal follow it.
    monkeypatch.setenv("LGF_DB", str(tmp_path / "team.sqlite3"))
    assert paths.resolve_db_path() == tmp_path / "team.sqlite3"
    assert paths.resolve_db_path(tmp_path / "mine.sqlite3") == tmp_path / "mine.sqlite3"
    assert backups_dir(paths.resolve_db_path()) == tmp_path / "backups"


def test_every_shipped_file_is_found_through_the_paths_module() -> None:
    for name in ("fonts/DejaVuSans.ttf", "fonts/DejaVuSans-Bold.ttf", "demo-logo.png", "icons/lgf-desktop.svg",
                 "icons/lgf-desktop-256.png"):
        assert paths.resource(name).is_file(), name
    for name in ("s11_texts.json", "s11_peer_review_2021_22.json", "demo_s11.json", "audit_demo.json"):
        assert paths.shipped_data(name).is_file(), name
    assert (paths.MIGRATIONS / "env.py").is_file()
    assert sorted(p.name for p in (paths.MIGRATIONS / "versions").glob("0001_*.py"))


def test_no_other_module_finds_shipped_files_by_itself() -> None:
    """``Path(__file__)`` or ``importlib.resources`` elsewhere would be a second way to find files,
    one the bundle's layout could break without the paths tests noticing."""
    offenders = []
    for source in sorted(PACKAGE.rglob("*.py")):
        if source == PACKAGE / "paths.py" or "migrations" in source.relative_to(PACKAGE).parts:
            continue
        tree = ast.parse(source.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            uses_file = isinstance(node, ast.Name) and node.id == "__file__"
            uses_resources = (isinstance(node, ast.ImportFrom) and node.module in ("importlib", "importlib.resources")
                              and any(alias.name in ("resources", "files") for alias in node.names))
            if uses_file or uses_resources:
                offenders.append(f"{source.relative_to(PACKAGE)}:{node.lineno}")
    assert offenders == []
