"""Importing an exchange file of any kind: validate, refuse a second import, dispatch, record.

Each kind's importer is named in ``IMPORTERS`` as ``"module:function"``; the function takes a session
and the validated ``Package``, adds what the file holds and returns a sentence saying what it brought
in, or raises ``UserError`` to refuse it. Everything happens in ONE transaction: a refusal leaves the
database exactly as it was. The ``ExchangeImport`` row of the file is added (and flushed) before the
importer runs, so an importer can link its rows to it with ``current_import(session, package)``.
"""

from __future__ import annotations

from importlib import import_module
from pathlib import Path
from typing import Any, Callable

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..errors import UserError
from ..models import ExchangeImport
from .container import KINDS, Package, describe_manifest, read_package
from .sealing import Opening, default_opening, describe_label, sealed_label
from .senders import check_sender

IMPORTERS: dict[str, str] = {
    "audit-package": "lgf_desktop.services.audit_exchange:import_audit_package",
    "audit-return": "lgf_desktop.services.audit_merge:import_audit_return",
    "review-notes": "lgf_desktop.services.notes_exchange:import_review_notes",
}


def importer_for(kind: str) -> Callable[[Session, Package], str]:
    if kind not in IMPORTERS:
        raise UserError(f"This version of LGF Desktop cannot import {KINDS.get(kind, kind)}.")
    module, function = IMPORTERS[kind].split(":")
    return getattr(import_module(module), function)


def current_import(session: Session, package: Package) -> ExchangeImport:
    """The ExchangeImport row of the file being imported (for importers that link rows to it)."""
    return session.scalars(select(ExchangeImport).where(ExchangeImport.sha256 == package.sha256)).one()


def already_imported(session: Session, package: Package) -> ExchangeImport | None:
    return session.scalar(select(ExchangeImport).where(ExchangeImport.sha256 == package.sha256))


def import_package(session: Session, package: Package) -> str:
    """Import a validated package within the caller's transaction; returns what it brought in."""
    earlier = already_imported(session, package)
    if earlier is not None:
        return f"This file was already imported on {earlier.imported_at:%d %B %Y at %H:%M}; nothing changed."
    importer = importer_for(package.kind)
    signed_by = check_sender(session, package)
    record = ExchangeImport(sha256=package.sha256, kind=package.kind,
                            package_uuid=str(package.manifest.get("package_uuid", ""))[:36],
                            author=package.author[:200])
    session.add(record)
    session.flush()
    summary = importer(session, package)
    record.summary = summary
    return f"{summary} {signed_by}".strip()


def import_file(db: Any, path: str | Path, *, opening: Opening | None = None) -> str:
    """Read, validate and import an exchange file in one transaction (``db`` is a ``Database``).
    A sealed file is opened with ``opening`` (default: the key unlocked for this sitting)."""
    package = read_package(path, opening=opening or default_opening())
    importer_for(package.kind)  # refuse a kind this database cannot import before opening a session
    with db.session() as session:
        return import_package(session, package)


def describe(path: str | Path, *, opening: Opening | None = None) -> str:
    """The manifest of an exchange file in plain text, after validating the whole file; for a sealed
    file that cannot be opened here, what its outer label says and that the rest needs the key."""
    outside = sealed_label(path)
    if outside is None:
        package = read_package(path)
        return describe_manifest(package.manifest, package.sha256) + "\nNot sealed: anyone holding this file can read it."
    label_lines = describe_label(outside)
    try:
        package = read_package(path, opening=opening or default_opening())
    except UserError as exc:
        return "\n".join([f"Exchange file: {KINDS.get(outside['kind'], outside['kind'])} (kind {outside['kind']})",
                          *label_lines, f"The rest cannot be read without the key: {exc}"])
    lines = [describe_manifest(package.manifest, package.sha256), *label_lines[:1],
             f"Signed by: {package.signer.name or 'unnamed key'} (fingerprint {package.signer.fingerprint}; signature checked)"]
    return "\n".join(lines)
