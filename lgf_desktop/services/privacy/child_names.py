"""The audited children's real names, kept only as keyed hashes, so the detector can flag them.

The coordinator may type each child's real name when setting up an audit, for checking only. What is
stored, in the database, is the HMAC-SHA256 of each word and of each pair of neighbouring words
(``identifying.name_digests``); the key is a random secret in the user's profile folder
(``name-check.secret``), never in the database, a backup or an export — so someone holding a copy
of the database cannot recover a name by hashing a list of first names. The consequence, said
plainly: on another computer, or for another user, the names cannot be checked until they are typed
again there.
"""

from __future__ import annotations

import json
import os
import secrets

from sqlalchemy import select
from sqlalchemy.orm import Session

from ...models import Audit, Setting
from ...paths import user_config_dir
from ...private_files import FILE_MODE, make_private, private_folder
from .identifying import ChildNames, name_digests

SECRET_FILE = "name-check.secret"
SETTING_PREFIX = "child-name-hashes:"


_secrets: dict[str, bytes] = {}


def profile_secret() -> bytes:
    """The user's name-check key, made on first need (32 random bytes, owner-only file); read once
    per profile folder (the screens ask for it on every cell)."""
    folder = user_config_dir()
    if str(folder) in _secrets:
        return _secrets[str(folder)]
    path = private_folder(folder) / SECRET_FILE
    make_private(path.parent)
    if not path.exists():
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE)
        with os.fdopen(fd, "wb") as fh:
            fh.write(secrets.token_bytes(32))
    make_private(path)
    secret = path.read_bytes()
    if len(secret) < 16:
        raise OSError(f"{path} is damaged")
    _secrets[str(folder)] = secret
    return secret


def _setting(session: Session, audit: Audit) -> Setting | None:
    return session.scalar(select(Setting).where(Setting.key == f"{SETTING_PREFIX}{audit.uuid}"))


def set_child_names(session: Session, audit: Audit, names: list[str]) -> int:
    """Replace the names checked for ``audit`` with ``names`` (as typed); returns how many were kept.

    Only their keyed hashes are stored: the typed text goes no further than this function.
    """
    key = profile_secret()
    digests: set[str] = set()
    kept = 0
    for name in names:
        found = name_digests(key, name)
        kept += bool(found)
        digests |= found
    setting = _setting(session, audit)
    if setting is None:
        setting = Setting(key=f"{SETTING_PREFIX}{audit.uuid}", value="")
        session.add(setting)
    setting.value = json.dumps(sorted(digests))
    return kept


def checked_name_count(session: Session, audit: Audit) -> int:
    """How many hashed words and word pairs are checked for ``audit`` (0: no names given)."""
    setting = _setting(session, audit)
    return len(json.loads(setting.value)) if setting and setting.value else 0


def child_names(session: Session) -> ChildNames:
    """Every audit's children's names, as the detector takes them."""
    digests: set[str] = set()
    for value in session.scalars(select(Setting.value).where(Setting.key.startswith(SETTING_PREFIX))):
        try:
            digests |= set(json.loads(value or "[]"))
        except (ValueError, TypeError):
            continue
    if not digests:
        return ChildNames()
    return ChildNames(key=profile_secret(), digests=frozenset(digests))
