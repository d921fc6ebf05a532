"""Sealed exchange files: the ``.lgfx`` zip encrypted (age) and signed (Ed25519) by its sender.

On disk a sealed file is three things, in order::

    LGFX-SEALED 1\\n
    {label}\\n              one line of JSON, readable without a key: what ``lgf inspect`` can show
    <age file>             the encrypted content

The label says only what is safe to say on the outside of an envelope: the kind of file, the
sender's key fingerprint, how many recipients and whether a key or a passphrase opens it, and the
day it was made — no names, no organisation, no review or audit. Inside the age encryption: one line
of JSON with the signer's public key and the signature, then the zip. The signature covers the label
and the SHA-256 of the zip, so neither a changed label nor a changed part (even with its manifest
checksum recomputed) survives; the zip's own checks (``container.read_package``) follow.

A file is encrypted to each recipient's key and also to the sender's own, so the sender can open
what they sent; in passphrase mode (one-off sends) to the passphrase only. The cryptography is age's
and the ``cryptography`` package's; nothing here invents any.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any

import pyrage

from ..errors import UserError
from ..keys import MyKey, PublicKey

MAGIC = b"LGFX-SEALED 1\n"
MAX_LABEL = 4096
SIGNED_WHAT = b"lgfx-signature-1\n"
ENV_PASSPHRASE = "LGF_PASSPHRASE"


@dataclass(frozen=True)
class Sealing:
    """How to seal a file: signed by ``sender``, for ``recipients`` (or, instead, a ``passphrase``)."""

    sender: MyKey
    recipients: tuple[PublicKey, ...] = ()
    passphrase: str | None = None

    def __post_init__(self) -> None:
        if bool(self.recipients) == bool(self.passphrase):
            raise UserError("Choose either the people whose keys may open the file, or a passphrase.")

    def seal(self, content: bytes, kind: str) -> bytes:
        label = {
            "kind": kind,
            "sender": self.sender.public.fingerprint,
            "opened_by": "passphrase" if self.passphrase else "key",
            "recipients": 0 if self.passphrase else len(self.recipients),
            "made_on": datetime.now(timezone.utc).date().isoformat(),
        }
        label_line = json.dumps(label, sort_keys=True, separators=(",", ":")).encode("utf-8")
        signature = self.sender.sign(_signed_bytes(label_line, content))
        header = json.dumps({"signer": self.sender.public.text(),
                             "signature": base64.b64encode(signature).decode("ascii")}).encode("utf-8")
        inner = header + b"\n" + content
        if self.passphrase:
            encrypted = pyrage.passphrase.encrypt(inner, self.passphrase)
        else:
            keys = {k.recipient: k for k in (*self.recipients, self.sender.public)}
            encrypted = pyrage.encrypt(inner, [k.age_recipient() for k in keys.values()])
        return MAGIC + label_line + b"\n" + encrypted


@dataclass(frozen=True)
class Opening:
    """What may open a sealed file: the user's key (or how to unlock it, asked only when the file
    needs it) and/or a passphrase."""

    key: MyKey | None = None
    passphrase: str | None = None
    unlock: Callable[[], MyKey] | None = None

    def the_key(self) -> MyKey | None:
        return self.key or (self.unlock() if self.unlock is not None else None)


def default_opening() -> Opening:
    """This sitting's key (unlocked on first need) and ``$LGF_PASSPHRASE`` for passphrase files."""
    from ..keys import this_sitting

    return Opening(passphrase=os.environ.get(ENV_PASSPHRASE) or None, unlock=this_sitting)


def sealed_label(path: str | os.PathLike[str]) -> dict[str, Any] | None:
    """The outer label of a sealed file, or None when the file is not sealed (or unreadable: the
    full read says why)."""
    try:
        with open(path, "rb") as fh:
            head = fh.read(len(MAGIC) + MAX_LABEL)
    except OSError:
        return None
    return read_label(head, os.path.basename(path))[0] if is_sealed(head) else None


@dataclass(frozen=True)
class Opened:
    content: bytes
    signer: PublicKey
    label: dict[str, Any] = field(default_factory=dict)


def _signed_bytes(label_line: bytes, content: bytes) -> bytes:
    return SIGNED_WHAT + label_line + b"\n" + hashlib.sha256(content).digest()


def is_sealed(data: bytes) -> bool:
    return data.startswith(MAGIC)


def read_label(data: bytes, name: str = "The file") -> tuple[dict[str, Any], bytes, bytes]:
    """The outer label, its exact bytes and the encrypted rest; refused if malformed."""
    end = data.find(b"\n", len(MAGIC), len(MAGIC) + MAX_LABEL)
    if end < 0:
        raise UserError(f"{name} is damaged (its sealed label is unreadable); ask for it again.")
    label_line = data[len(MAGIC):end]
    try:
        label = json.loads(label_line.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        raise UserError(f"{name} is damaged (its sealed label is unreadable); ask for it again.") from None
    if not isinstance(label, dict) or not isinstance(label.get("kind"), str):
        raise UserError(f"{name} is damaged (its sealed label is unreadable); ask for it again.")
    return label, label_line, data[end + 1:]


def describe_label(label: dict[str, Any]) -> list[str]:
    opened_by = ("a passphrase" if label.get("opened_by") == "passphrase"
                 else f"the key of {label.get('recipients', '?')} recipient(s) (and the sender's own)")
    return [f"Sealed: encrypted, to be opened with {opened_by}",
            f"Sender's key fingerprint (not yet checked): {label.get('sender', 'unknown')}",
            f"Made on: {label.get('made_on', 'unknown')}"]


def open_sealed(data: bytes, name: str, opening: Opening | None) -> Opened:
    """Decrypt and check a sealed file; every refusal is one sentence."""
    label, label_line, encrypted = read_label(data, name)
    opening = opening or Opening()
    inner = None
    try:
        if label.get("opened_by") == "passphrase":
            if not opening.passphrase:
                raise UserError(f"{name} is protected by a passphrase; give it (in the app, or as {ENV_PASSPHRASE}).")
            inner = pyrage.passphrase.decrypt(encrypted, opening.passphrase)
        else:
            key = opening.the_key()
            if key is None:
                raise UserError(f"{name} is encrypted to its recipients' keys; unlock your key to open it.")
            inner = pyrage.decrypt(encrypted, [key.identity])
    except pyrage.DecryptError as exc:
        if label.get("opened_by") == "passphrase":
            raise UserError(f"{name} could not be opened: the passphrase is not the one it was sealed with.") from None
        if "No matching keys" in str(exc):
            raise UserError(f"{name} was not sealed for your key; it can only be opened by the people it was "
                            "sent to.") from None
        raise UserError(f"{name} is damaged or incomplete (perhaps cut short while copying, or changed after it "
                        "was sealed); ask for it again.") from None
    newline = inner.find(b"\n")
    try:
        header = json.loads(inner[:newline].decode("utf-8"))
        signer = PublicKey.parse(header["signer"])
        signature = base64.b64decode(header["signature"], validate=True)
    except (ValueError, KeyError, TypeError, UnicodeDecodeError, UserError):
        raise UserError(f"{name} is damaged (its signature is unreadable); ask for it again.") from None
    content = inner[newline + 1:]
    if not signer.signed(_signed_bytes(label_line, content), signature):
        raise UserError(f"{name} was changed after it was signed by its sender; it was not opened.")
    if label.get("sender") != signer.fingerprint:
        raise UserError(f"{name} was changed after it was sealed (its label names another sender); it was not opened.")
    return Opened(content, signer, label)
