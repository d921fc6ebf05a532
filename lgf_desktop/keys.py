"""The user's own key pair, kept in their profile folder, and public keys as people exchange them.

A key pair is two keys under one name: an age X25519 identity, which exchange files are encrypted
to (``exchange/sealing.py``), and an Ed25519 key, which signs what the user sends so the receiver
can tell who made it. It is made on first need and kept in ``keys/`` of the profile folder
(``paths.user_config_dir``; never beside the database, so never in its backups):

- ``my-key.age`` — the private keys, encrypted with the user's passphrase (age's scrypt mode),
  owner-only. The passphrase is never stored. We do not use the OS keyring: many of the laptops this
  runs on have none (or a locked one) when offline, tests cannot drive it, and a passphrase-protected
  file is the same on Windows, macOS and Linux.
- ``my-key.pub`` — the public half, one line of text, to send to others (e-mail, USB stick).

A public key is one line, ``LGF-KEY-1 <age recipient> <Ed25519 key> <name>``. Its fingerprint, six
groups of four letters and digits from a hash of the two keys (not the name, which anyone can edit),
is what two people read to each other over the phone before trusting a key.

Unlocking costs a deliberate fraction of a second (scrypt), so a sitting unlocks once: the app after
asking, the CLI from ``LGF_KEY_PASSPHRASE``; ``this_sitting()`` returns the unlocked key.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path

import pyrage
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from .errors import UserError
from .paths import user_config_dir
from .private_files import FILE_MODE, make_private, private_folder

KEY_PREFIX = "LGF-KEY-1"
PRIVATE_FILE = "my-key.age"
PUBLIC_FILE = "my-key.pub"
ENV_KEY_PASSPHRASE = "LGF_KEY_PASSPHRASE"
MIN_PASSPHRASE = 8

_sitting: MyKey | None = None
_passphrase: str | None = None  # given for this sitting (e.g. read from a file by the CLI), not yet used


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode("ascii").rstrip("=")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def fingerprint_of(recipient: str, verify: bytes) -> str:
    digest = hashlib.sha256(f"{recipient} {_b64(verify)}".encode("ascii")).digest()
    letters = base64.b32encode(digest[:15]).decode("ascii")
    return " ".join(letters[i:i + 4] for i in range(0, 24, 4))


@dataclass(frozen=True)
class PublicKey:
    """Someone's public key: what files are encrypted to and signatures checked against."""

    recipient: str  # age1…
    verify: bytes   # Ed25519 public key, 32 bytes
    name: str = ""

    @property
    def fingerprint(self) -> str:
        return fingerprint_of(self.recipient, self.verify)

    def same_key(self, other: PublicKey | None) -> bool:
        return other is not None and (self.recipient, self.verify) == (other.recipient, other.verify)

    def text(self) -> str:
        return f"{KEY_PREFIX} {self.recipient} {_b64(self.verify)} {' '.join(self.name.split())}".rstrip()

    def age_recipient(self) -> pyrage.x25519.Recipient:
        return pyrage.x25519.Recipient.from_str(self.recipient)

    def signed(self, data: bytes, signature: bytes) -> bool:
        try:
            Ed25519PublicKey.from_public_bytes(self.verify).verify(signature, data)
            return True
        except (InvalidSignature, ValueError):
            return False

    @classmethod
    def parse(cls, text: str) -> PublicKey:
        """A public key from its line of text (as exported, pasted or read from a file)."""
        line = next((ln.strip() for ln in text.splitlines() if ln.strip().startswith(KEY_PREFIX)), "")
        parts = line.split(maxsplit=3)
        bad = UserError("That is not an LGF Desktop public key (it should be one line starting LGF-KEY-1).")
        if len(parts) < 3:
            raise bad
        try:
            pyrage.x25519.Recipient.from_str(parts[1])
            verify = _unb64(parts[2])
            Ed25519PublicKey.from_public_bytes(verify)
        except Exception:  # noqa: BLE001 (any malformed key is the same sentence)
            raise bad from None
        return cls(parts[1], verify, parts[3] if len(parts) > 3 else "")


@dataclass(frozen=True)
class MyKey:
    """The user's unlocked key pair (in memory for one sitting only)."""

    name: str
    identity: pyrage.x25519.Identity
    signing: Ed25519PrivateKey

    @property
    def public(self) -> PublicKey:
        verify = self.signing.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
        return PublicKey(str(self.identity.to_public()), verify, self.name)

    def sign(self, data: bytes) -> bytes:
        return self.signing.sign(data)

    @classmethod
    def generate(cls, name: str) -> MyKey:
        return cls(name.strip(), pyrage.x25519.Identity.generate(), Ed25519PrivateKey.generate())


def keys_dir() -> Path:
    return user_config_dir() / "keys"


def has_my_key() -> bool:
    return (keys_dir() / PRIVATE_FILE).exists()


def _check_passphrase(passphrase: str | None) -> str:
    if not passphrase or len(passphrase) < MIN_PASSPHRASE:
        raise UserError(f"Choose a passphrase of at least {MIN_PASSPHRASE} characters to protect your key.")
    return passphrase


def create_my_key(name: str, passphrase: str) -> MyKey:
    """Make the user's key pair and keep it, encrypted with ``passphrase``; refuses to replace one."""
    passphrase = _check_passphrase(passphrase)
    if has_my_key():
        raise UserError(f"You already have a key (in {keys_dir()}); it was not replaced.")
    key = MyKey.generate(name)
    keep_my_key(key, locked_key_file(key, passphrase))
    return key


def locked_key_file(key: MyKey, passphrase: str) -> bytes:
    """The bytes of ``my-key.age``: the private keys encrypted with ``passphrase`` (age scrypt)."""
    from cryptography.hazmat.primitives.serialization import NoEncryption, PrivateFormat

    secret = json.dumps({
        "name": key.name, "age": str(key.identity),
        "ed25519": _b64(key.signing.private_bytes(Encoding.Raw, PrivateFormat.Raw, NoEncryption())),
    }).encode("utf-8")
    return pyrage.passphrase.encrypt(secret, passphrase)


def keep_my_key(key: MyKey, locked: bytes) -> None:
    """Write the key pair's files into the profile folder (owner-only)."""
    folder = private_folder(keys_dir())
    make_private(folder)
    _write_private(folder / PRIVATE_FILE, locked)
    _write_private(folder / PUBLIC_FILE, (key.public.text() + "\n").encode("utf-8"))


def _write_private(path: Path, data: bytes) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, FILE_MODE)
    with os.fdopen(fd, "wb") as fh:
        fh.write(data)
        fh.flush()
        os.fsync(fh.fileno())
    make_private(path)


def unlock_my_key(passphrase: str | None) -> MyKey:
    """The user's key pair, decrypted with ``passphrase``; a wrong one is one sentence."""
    path = keys_dir() / PRIVATE_FILE
    if not path.exists():
        raise UserError("You have no key yet: make one first (File → My key…, or lgf keys create).")
    if not passphrase:
        raise UserError(f"Your key is protected by a passphrase: give it (in the app, or as {ENV_KEY_PASSPHRASE}).")
    try:
        secret = json.loads(pyrage.passphrase.decrypt(path.read_bytes(), passphrase))
        from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey as Signing

        return MyKey(secret["name"], pyrage.x25519.Identity.from_str(secret["age"]),
                     Signing.from_private_bytes(_unb64(secret["ed25519"])))
    except pyrage.DecryptError:
        raise UserError("That is not the passphrase of your key.") from None
    except (OSError, ValueError, KeyError, TypeError):
        raise UserError(f"Your key file {path} is damaged; restore it from your own copy.") from None


def my_public_key() -> PublicKey | None:
    """The user's public key, read without the passphrase (None before a key is made)."""
    path = keys_dir() / PUBLIC_FILE
    return PublicKey.parse(path.read_text(encoding="utf-8")) if path.exists() else None


def use_for_this_sitting(key: MyKey | None) -> None:
    """Keep ``key`` unlocked until the program ends (or forget it with None)."""
    global _sitting, _passphrase
    _sitting, _passphrase = key, None


def unlock_with(passphrase: str) -> None:
    """Unlock with ``passphrase`` when a key is first needed (not before: scrypt takes a moment)."""
    global _passphrase
    _passphrase = passphrase


def this_sitting(passphrase: str | None = None) -> MyKey:
    """The key unlocked for this sitting; unlocks it with ``passphrase`` or ``$LGF_KEY_PASSPHRASE``."""
    global _sitting
    if _sitting is None:
        _sitting = unlock_my_key(passphrase or _passphrase or os.environ.get(ENV_KEY_PASSPHRASE))
    return _sitting
