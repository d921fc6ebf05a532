"""The audited children's real names, kept only as keyed hashes, so the detector can flag them.

The coordinator may type each child's real name when setting up an audit, for checking only. What is
stored, in the database, is the HMAC-SHA256 of each word and of each pair of neighbouring words
(``identifying.name_digests``); the key is a random secret in the user's profile folder
(``name-check.secret``), never in the database, a backup or an export — so someone holding a copy
of the database cannot recover a name by hashing a list of first names. The consequence, said
plainly: on another computer, or for another user, the names cannot be checked until they are typed
again there.

**To the auditor.** An auditor's copy must flag the names too, without the names or the profile secret
ever leaving. So each audit has its own *name-check key*, derived one-way from the coordinator's secret
and the audit's id (nothing more to keep); when the names are typed, their hashes under that key are
stored beside the others. A package carries that key and those hashes in its ``name_check.json``
part — inside the package's encryption, readable only by the auditor it was issued to. The auditor's
import keeps the hashes in their database and the key in *their* profile folder
(``name-check-keys.json``), never in the database: as on the coordinator's side, a copy of a database
alone cannot be tested against a list of first names. Knowing one audit's key tells nothing of the
coordinator's secret or of another audit's key.
"""

from __future__ import annotations

import hashlib
import hmac
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
TRAVEL_PREFIX = "child-name-travel:"      # the hashes under the audit's name-check key (coordinator)
RECEIVED_PREFIX = "child-name-received:"  # the same, received in a package (auditor)
KEYS_FILE = "name-check-keys.json"        # the auditor's received keys, by audit id (profile folder)


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


def _setting(session: Session, audit: Audit, prefix: str = SETTING_PREFIX) -> Setting | None:
    return session.scalar(select(Setting).where(Setting.key == f"{prefix}{audit.uuid}"))


def _store(session: Session, audit: Audit, prefix: str, digests: set[str]) -> None:
    setting = _setting(session, audit, prefix)
    if setting is None:
        setting = Setting(key=f"{prefix}{audit.uuid}", value="")
        session.add(setting)
    setting.value = json.dumps(sorted(digests))


def audit_name_key(audit: Audit) -> bytes:
    """The audit's name-check key: one-way from the profile secret and the audit's id."""
    return hmac.new(profile_secret(), f"audit name check {audit.uuid}".encode(), hashlib.sha256).digest()


def set_child_names(session: Session, audit: Audit, names: list[str]) -> int:
    """Replace the names checked for ``audit`` with ``names`` (as typed); returns how many were kept.

    Only their keyed hashes are stored: the typed text goes no further than this function.
    """
    key, travel = profile_secret(), audit_name_key(audit)
    digests: set[str] = set()
    travelling: set[str] = set()
    kept = 0
    for name in names:
        found = name_digests(key, name)
        kept += bool(found)
        digests |= found
        travelling |= name_digests(travel, name)
    _store(session, audit, SETTING_PREFIX, digests)
    _store(session, audit, TRAVEL_PREFIX, travelling)
    return kept


def name_check_part(session: Session, audit: Audit) -> dict | None:
    """What a package carries so the auditor's copy flags the names: the audit's key and the hashes
    under it (None when no names were given)."""
    setting = _setting(session, audit, TRAVEL_PREFIX)
    digests = json.loads(setting.value) if setting and setting.value else []
    return {"key": audit_name_key(audit).hex(), "digests": digests} if digests else None


def _keys_path():
    return private_folder(user_config_dir()) / KEYS_FILE


def _received_keys() -> dict[str, str]:
    try:
        keys = json.loads(_keys_path().read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return keys if isinstance(keys, dict) else {}


def receive_name_check(session: Session, audit: Audit, key_hex: str, digests: list[str]) -> None:
    """Keep a package's name check: the hashes in this database, the key in this user's profile."""
    keys = _received_keys()
    if keys.get(audit.uuid) != key_hex:
        keys[audit.uuid] = key_hex
        path = _keys_path()
        temporary = path.with_name(path.name + ".new")
        fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, FILE_MODE)
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump(keys, fh)
        os.replace(temporary, path)
        make_private(path)
    _store(session, audit, RECEIVED_PREFIX, set(digests))


def checked_name_count(session: Session, audit: Audit) -> int:
    """How many hashed words and word pairs are checked for ``audit`` (0: no names given)."""
    setting = _setting(session, audit)
    return len(json.loads(setting.value)) if setting and setting.value else 0


def child_names(session: Session) -> ChildNames:
    """Every audit's children's names, as the detector takes them: those typed here (under the profile
    secret) and those received in packages (each under its audit's key, if this profile holds it)."""
    digests: set[str] = set()
    for value in session.scalars(select(Setting.value).where(Setting.key.startswith(SETTING_PREFIX))):
        try:
            digests |= set(json.loads(value or "[]"))
        except (ValueError, TypeError):
            continue
    received = []
    rows = session.execute(select(Setting.key, Setting.value).where(Setting.key.startswith(RECEIVED_PREFIX))).all()
    keys = _received_keys() if rows else {}
    for setting_key, value in rows:
        key_hex = keys.get(setting_key[len(RECEIVED_PREFIX):])
        try:
            if key_hex:
                received.append(ChildNames(key=bytes.fromhex(key_hex), digests=frozenset(json.loads(value or "[]"))))
        except (ValueError, TypeError):
            continue
    if not digests and not received:
        return ChildNames()
    return ChildNames(key=profile_secret() if digests else b"", digests=frozenset(digests), others=tuple(received))
