"""The ``.lgfx`` exchange file: a zip holding ``manifest.json`` and named parts, and its validator.

Exchange files are the only way data travels between LGF databases (a panel member's notes, an
auditor's package and return). The manifest says what the file holds, in words and in ids, who made
it and when, and the SHA-256 and size of every part. ``read_package`` trusts nothing: every check is
made from the zip's directory before a byte is decompressed, and every refusal is one sentence.
"""

from __future__ import annotations

import hashlib
import io
import json
import re
import zipfile
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from .. import app_version
from ..atomic import atomic_write
from ..errors import UserError
from ..models import new_uuid
from ..safe_text import visible
from . import sealing as sealed

FORMAT = "lgfx"
FORMAT_VERSION = 1  # the manifest's schema; a file with a higher one is refused
MANIFEST = "manifest.json"
SUFFIX = ".lgfx"

# Notes and audit work are text: a few megabytes at most. Far larger is a mistake or an attack.
MAX_PACKAGE_BYTES = 64 * 1024 * 1024
MAX_PART_BYTES = 32 * 1024 * 1024
MAX_MANIFEST_BYTES = 1024 * 1024
MAX_PARTS = 64
MAX_DEPTH = 12  # the deepest part (a package's sections, questions) nests 5 deep

# Every kind any LGF version of this format knows; which of them this database can import is
# ``lgf_desktop.importing.importers()``.
KINDS = {
    "review-notes": "a panel member's notes for one peer review",
    "audit-package": "an auditor's assigned cases for a multi-agency audit",
    "audit-return": "an auditor's completed work on a multi-agency audit",
    "round": "a partnership's Section 11 round for the regional report",
    "template": "a round's question template, shared by the regional lead",
}

# Part names: plain relative paths of letters, digits, '.', '_' and '-' (no '..', no backslash).
_PART_NAME = re.compile(r"^[A-Za-z0-9_-][A-Za-z0-9._-]*(/[A-Za-z0-9_-][A-Za-z0-9._-]*)*$")
_STRING = re.compile(rb'"(?:[^"\\]|\\.)*"', re.DOTALL)
_INNERMOST = re.compile(rb"\[\]|\{\}")
_NOT_BRACKETS = bytes(b for b in range(256) if b not in b"[]{}")
_SURROGATE = re.compile("[\ud800-\udfff]")
_REQUIRED = ("format", "format_version", "app_version", "kind", "package_uuid", "author", "created_at",
             "description", "scope", "parts")


@dataclass
class Package:
    """An exchange file that passed every check."""

    manifest: dict[str, Any]
    parts: dict[str, bytes]
    sha256: str  # of the whole file: the import-once key
    signer: Any = None  # keys.PublicKey of whoever signed a sealed file; None for a plain zip

    @property
    def kind(self) -> str:
        return self.manifest["kind"]

    @property
    def author(self) -> str:
        return self.manifest["author"]

    @property
    def scope(self) -> dict[str, Any]:
        return self.manifest["scope"]

    def json(self, name: str) -> Any:
        """A part parsed as JSON; a part that is not valid JSON is refused."""
        if name not in self.parts:
            raise UserError(f"The exchange file has no part called {name}.")
        return load_json(self.parts[name], f"The part {name} of the exchange file")


def too_deep(data: bytes, limit: int = MAX_DEPTH) -> bool:
    """True if the JSON nests deeper than ``limit``, found without recursion: strings are blanked,
    then ``limit`` passes each remove the innermost ``[]``/``{}`` pairs; brackets left in pairs mean
    more levels. (Unbalanced brackets are left for ``json.loads`` to call invalid.)"""
    brackets = _STRING.sub(b"", data).translate(None, _NOT_BRACKETS)
    for _ in range(limit):
        brackets, count = _INNERMOST.subn(b"", brackets)
        if not brackets or not count:
            return False
    return bool(_INNERMOST.search(brackets))


def load_json(data: bytes, what: str) -> Any:
    """JSON from untrusted bytes, or UserError: never RecursionError, OverflowError or a broken string."""
    if too_deep(data):
        raise UserError(f"{what} nests deeper than an LGF exchange file ever does; it was not imported.")
    try:
        return json.loads(data.decode("utf-8"), parse_constant=_refuse_constant)
    except (UnicodeDecodeError, ValueError, RecursionError):  # ValueError: bad JSON, a number of 5,000 digits
        raise UserError(f"{what} is not valid JSON; it was not imported.") from None


def _refuse_constant(name: str) -> Any:
    raise ValueError(name)  # NaN and Infinity are not JSON


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def write_package(path: str | Path, *, kind: str, author: str, description: str, scope: dict,
                  parts: dict[str, bytes], sealing: sealed.Sealing | None = None) -> Path:
    """Write an exchange file atomically and return its path; ``sealing`` encrypts and signs it
    (``exchange/sealing.py``), as every file holding case text, minutes or notes must be."""
    if kind not in KINDS:
        raise UserError(f"'{kind}' is not a kind of exchange file.")
    if len(parts) > MAX_PARTS:
        raise UserError(f"An exchange file holds at most {MAX_PARTS} parts.")
    for name, data in parts.items():
        if name == MANIFEST or not _PART_NAME.match(name):
            raise UserError(f"'{name}' cannot be used as the name of a part of an exchange file.")
        if len(data) > MAX_PART_BYTES:
            raise UserError(f"The part {name} is too large for an exchange file.")
    manifest = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "app_version": app_version(),
        "kind": kind,
        "package_uuid": new_uuid(),
        "author": author,
        "created_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "description": description,
        "scope": scope,
        "parts": {name: {"sha256": sha256_hex(data), "bytes": len(data)} for name, data in sorted(parts.items())},
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(MANIFEST, json.dumps(manifest, ensure_ascii=False, indent=2, sort_keys=True))
        for name, data in sorted(parts.items()):
            archive.writestr(name, data)
    if buffer.tell() > MAX_PACKAGE_BYTES:
        raise UserError("The exchange file would be too large.")
    data = sealing.seal(buffer.getvalue(), kind) if sealing is not None else buffer.getvalue()
    return atomic_write(path, lambda temp: temp.write_bytes(data))


def read_package(path: str | Path, *, kinds: set[str] | None = None, opening: sealed.Opening | None = None) -> Package:
    """Read and validate an exchange file; raises UserError (one sentence) on anything wrong.
    A sealed file is opened with ``opening`` (default: the key unlocked for this sitting, and
    ``$LGF_PASSPHRASE``) and its signature checked."""
    path = Path(path)
    name = path.name
    try:
        size = path.stat().st_size
        if path.is_dir():
            raise UserError(f"{name} is a folder, not an exchange file.")
        if size > MAX_PACKAGE_BYTES:
            raise UserError(f"{name} is too large to be an LGF exchange file ({size // (1024 * 1024)} MB).")
        data = path.read_bytes()
    except FileNotFoundError:
        raise UserError(f"{path} does not exist.") from None
    except OSError as exc:
        raise UserError(f"{path} cannot be read: {exc.strerror or exc}.") from None
    signer = None
    if sealed.is_sealed(data):
        opened = sealed.open_sealed(data, name, opening or sealed.default_opening())
        data, signer = opened.content, opened.signer
    if not data.startswith(b"PK"):
        raise UserError(f"{name} is not an LGF exchange file (it is not a zip archive).")
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, EOFError, ValueError):
        raise UserError(f"{name} is damaged or incomplete (perhaps cut short while copying); ask for it again.") from None
    with archive:
        infos = archive.infolist()
        _check_directory(name, infos)
        manifest = _read_manifest(name, archive)
        parts = _read_parts(name, archive, manifest, {i.filename for i in infos})
    package = Package(manifest=manifest, parts=parts, sha256=sha256_hex(data), signer=signer)
    if kinds is not None and package.kind not in kinds:
        raise UserError(f"{name} holds {KINDS[package.kind]}, which cannot be imported here.")
    return package


def _check_directory(name: str, infos: list[zipfile.ZipInfo]) -> None:
    """Refuse traversal names, duplicates and anything too large, from the directory alone."""
    if len(infos) > MAX_PARTS + 1:
        raise UserError(f"{name} holds too many files to be an LGF exchange file.")
    seen: set[str] = set()
    total = 0
    for info in infos:
        member = info.filename
        if (member.startswith("/") or "\\" in member or ".." in member.split("/") or ":" in member
                or member != MANIFEST and not _PART_NAME.match(member)):
            raise UserError(f"{name} was refused: it holds a file named '{member[:80]}' that tries to leave its folder.")
        if member in seen:
            raise UserError(f"{name} was refused: it holds two files named '{member[:80]}'.")
        seen.add(member)
        limit = MAX_MANIFEST_BYTES if member == MANIFEST else MAX_PART_BYTES
        if info.file_size > limit:
            raise UserError(f"{name} was refused: its part '{member[:80]}' would unpack to {info.file_size:,} bytes, far more than an exchange file holds.")
        total += info.file_size
    if total > MAX_PACKAGE_BYTES:
        raise UserError(f"{name} was refused: it would unpack to {total:,} bytes, far more than an exchange file holds.")
    if MANIFEST not in seen:
        raise UserError(f"{name} is a zip archive but not an LGF exchange file (it has no manifest).")


def _read_member(name: str, archive: zipfile.ZipFile, member: str) -> bytes:
    info = archive.getinfo(member)
    try:
        with archive.open(info) as fh:
            # Read at most one byte past the declared size: a lying directory cannot unpack a bomb.
            content = fh.read(info.file_size + 1)
    except (zipfile.BadZipFile, EOFError, OSError, NotImplementedError, RuntimeError, ValueError):
        raise UserError(f"{name} is damaged or incomplete (its part '{member}' cannot be unpacked); ask for it again.") from None
    if len(content) != info.file_size:
        raise UserError(f"{name} is damaged (its part '{member}' is not the size its directory says).")
    return content


def _read_manifest(name: str, archive: zipfile.ZipFile) -> dict[str, Any]:
    manifest = load_json(_read_member(name, archive, MANIFEST), f"The manifest of {name}")
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise UserError(f"{name} is a zip archive but not an LGF exchange file (its manifest is not an LGF one).")
    version = manifest.get("format_version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise UserError(f"{name} has a damaged manifest (no valid format version).")
    if version > FORMAT_VERSION:
        raise UserError(f"{name} was made by a newer version of LGF Desktop (exchange format {version}); update the app to read it.")
    missing = [key for key in _REQUIRED if key not in manifest]
    if missing:
        raise UserError(f"{name} has a damaged manifest (it lacks {', '.join(missing)}).")
    if manifest["kind"] not in KINDS:
        raise UserError(f"{name} holds an unknown kind of content ('{str(manifest['kind'])[:40]}').")
    strings = ("app_version", "package_uuid", "author", "created_at", "description")
    if not all(isinstance(manifest[key], str) for key in strings) or not isinstance(manifest["scope"], dict):
        raise UserError(f"{name} has a damaged manifest (a field has the wrong type).")
    if any(len(manifest[key]) > 10_000 or _SURROGATE.search(manifest[key]) or "\x00" in manifest[key] for key in strings):
        raise UserError(f"{name} has a damaged manifest (a field holds broken or far too much text).")
    parts = manifest["parts"]
    if not isinstance(parts, dict) or not all(
        isinstance(p, dict) and isinstance(p.get("sha256"), str) and type(p.get("bytes")) is int
        and 0 <= p["bytes"] <= MAX_PART_BYTES for p in parts.values()
    ):
        raise UserError(f"{name} has a damaged manifest (its list of parts is malformed).")
    return manifest


def _read_parts(name: str, archive: zipfile.ZipFile, manifest: dict[str, Any], members: set[str]) -> dict[str, bytes]:
    listed = set(manifest["parts"])
    present = members - {MANIFEST}
    if listed - present:
        raise UserError(f"{name} is incomplete: it lacks the part '{sorted(listed - present)[0]}' its manifest lists.")
    if present - listed:
        raise UserError(f"{name} was refused: it holds '{sorted(present - listed)[0]}', which its manifest does not list.")
    parts: dict[str, bytes] = {}
    for part, expected in sorted(manifest["parts"].items()):
        content = _read_member(name, archive, part)
        if len(content) != expected["bytes"] or sha256_hex(content) != expected["sha256"]:
            raise UserError(f"{name} was changed after it was made (the checksum of '{part}' does not match); it was not imported.")
        parts[part] = content
    return parts


def describe_manifest(manifest: dict[str, Any], sha256: str = "") -> str:
    """The manifest in plain words, one fact per line; every value from the file with its control
    characters made visible (``safe_text``), so a file cannot write escape codes to a terminal."""
    kind = manifest["kind"]
    lines = [
        f"Exchange file: {KINDS.get(kind, visible(kind))} (kind {visible(kind)})",
        f"What it holds: {visible(manifest['description'])}",
        f"Made by: {visible(manifest['author']) or 'unknown'}",
        f"Made at: {visible(manifest['created_at'])}",
        f"App version: {visible(manifest['app_version'])}; exchange format {manifest['format_version']}",
        f"Package: {visible(manifest['package_uuid'])}",
    ]
    if sha256:
        lines.append(f"SHA-256: {sha256}")
    for key, value in sorted(manifest["scope"].items()):
        lines.append(f"Scope {visible(key)}: {visible(value)}")
    lines.append(f"Parts ({len(manifest['parts'])}):")
    for part, info in sorted(manifest["parts"].items()):
        lines.append(f"  {visible(part)}  {info['bytes']:,} bytes  sha256 {visible(info['sha256'])}")
    return "\n".join(lines)
