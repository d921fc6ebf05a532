"""The person's own settings, kept in their profile folder on this machine, never in the database.

A database may be shared by a partnership team (one file passed around, or a PostgreSQL server), so
what belongs to one person — "Your name", the author of their documents and of the changes they make —
cannot be a row in it: everyone would be the same author. The app and the ``lgf`` command read and
write the same small file, ``settings.json`` in the user's config folder (``paths.user_config_dir``),
private to its owner. Window layout and other screen settings stay in Qt's store (``ui/settings.py``).
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from .atomic import atomic_write
from .errors import UserError
from .paths import user_config_dir
from .private_files import make_private, private_folder

SETTINGS_FILE = "settings.json"
MAX_NAME_CHARS = 200  # the change history's ``who`` column

# The file read last and its modification time: the name is asked for on every save (the change
# history's author), so an unchanged file is not read again.
_cache: tuple[Path, int, dict[str, object]] | None = None


# The settings path for the environment it was worked out in: every save asks for the name, and
# building the path (home folder, environment, pathlib) costs more than the rest of the look-up.
_path_cache: tuple[tuple[str | None, ...], Path] | None = None
_PATH_VARIABLES = ("XDG_CONFIG_HOME", "HOME", "APPDATA", "USERPROFILE")


def settings_path() -> Path:
    global _path_cache
    key = tuple(os.environ.get(name) for name in _PATH_VARIABLES)
    if _path_cache is None or _path_cache[0] != key:
        _path_cache = (key, user_config_dir() / SETTINGS_FILE)
    return _path_cache[1]


def _read(path: Path) -> dict[str, object]:
    global _cache
    try:
        stamp = path.stat().st_mtime_ns
    except OSError:
        return {}
    if _cache is not None and _cache[0] == path and _cache[1] == stamp:
        return _cache[2]
    try:
        values = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        values = None
    if not isinstance(values, dict):
        values = {}  # damaged or foreign: the defaults; the next save keeps the old file aside
    _cache = (path, stamp, values)
    return values


def your_name() -> str:
    """The preference "Your name" ('' when never set)."""
    name = _read(settings_path()).get("name", "")
    return name if isinstance(name, str) else ""


def clean_name(name: str) -> str:
    """One line of at most ``MAX_NAME_CHARS`` characters, without control characters."""
    name = " ".join("".join(c if c.isprintable() else " " for c in name).split())
    if len(name) > MAX_NAME_CHARS:
        raise UserError(f"A name can have at most {MAX_NAME_CHARS} characters (this one has {len(name)}).")
    return name


def set_your_name(name: str) -> str:
    """Store "Your name" for this person on this machine; returns the name as stored."""
    name = clean_name(name)
    _write({"name": name})
    return name


def _write(changes: dict[str, object]) -> None:
    global _cache
    path = settings_path()
    try:
        private_folder(path.parent)
    except OSError as exc:
        raise UserError(f"The folder {path.parent} cannot be created: {exc.strerror or exc}.") from exc
    values = dict(_read(path))
    if path.exists() and not values and path.stat().st_size > 0:
        # A damaged file is kept beside the new one rather than silently lost.
        try:
            os.replace(path, path.with_name(f"{SETTINGS_FILE}.damaged"))
        except OSError:
            pass
    values.update(changes)
    text = json.dumps(values, ensure_ascii=False, indent=2) + "\n"
    atomic_write(path, lambda temp: (temp.write_text(text, encoding="utf-8"), make_private(temp)))
    make_private(path)
    _cache = None
