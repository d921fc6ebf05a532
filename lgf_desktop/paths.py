"""Where the app finds its files and keeps the user's: the files it ships (fonts, icons, templates, demo
data, migrations), the per-user data and profile folders, and the default database path.

Every shipped file is found from here, the same way in a development checkout, an installed wheel and
the self-contained bundle (PyInstaller puts the package's data files beside its modules), on every
platform. docs/installing.md lists these places for IT departments; tests/test_paths.py holds them
to each platform's conventions."""

from __future__ import annotations

import os
import sys
from pathlib import Path

DB_ENV_VAR = "LGF_DB"
DB_FILENAME = "lgf.sqlite3"
PACKAGE = Path(__file__).resolve().parent  # the installed package, with its data files beside its modules
RESOURCES = PACKAGE / "resources"  # fonts, icons, the demo logo
DATA = PACKAGE / "data"  # question templates, audit tools and scales, demo data (JSON)
MIGRATIONS = PACKAGE / "migrations"  # Alembic reads these as files


def user_data_dir() -> Path:
    """The platform's per-user data folder for the app (XDG on Linux)."""
    if sys.platform.startswith("win"):
        base = Path(os.environ.get("APPDATA", Path.home() / "AppData" / "Roaming"))
    elif sys.platform == "darwin":
        base = Path.home() / "Library" / "Application Support"
    else:
        base = Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share")
    return base / "lgf-desktop"


def user_config_dir() -> Path:
    """The user's profile folder for the app: their keys and secrets, never copied into backups or
    exports (XDG config on Linux; on Windows and macOS the same per-user folder as the data)."""
    if sys.platform.startswith("win") or sys.platform == "darwin":
        return user_data_dir()
    base = Path(os.environ.get("XDG_CONFIG_HOME") or Path.home() / ".config")
    return base / "lgf-desktop"


def resolve_db_path(cli_value: str | os.PathLike[str] | None = None) -> Path:
    """The database path: ``--db`` first, then ``$LGF_DB``, then the per-user data folder."""
    if cli_value:
        return Path(cli_value).expanduser()
    if os.environ.get(DB_ENV_VAR):
        return Path(os.environ[DB_ENV_VAR]).expanduser()
    return user_data_dir() / DB_FILENAME


def resource(name: str) -> Path:
    """A file shipped in ``lgf_desktop/resources/`` (fonts, icons, the demo logo)."""
    return RESOURCES / name


def shipped_data(name: str) -> Path:
    """A JSON file shipped in ``lgf_desktop/data/``."""
    return DATA / name


def documents_folder() -> Path:
    """Where a saved file goes first: the user's Documents folder, else their home (never the folder
    the app happened to start in)."""
    documents = Path.home() / "Documents"
    return documents if documents.is_dir() else Path.home()
