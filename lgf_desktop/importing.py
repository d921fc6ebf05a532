"""Importing an exchange file of any kind: validate, refuse a second import, dispatch, record; and
``import_any``, which sends a returned self-assessment workbook (``.xlsx``) to its own import.

``importers()`` maps each kind of exchange file to the service that imports it. This module sits
above the services and the exchange container, so the import graph shows every dependency: the
container knows nothing of the services. An importer takes a session and the validated
``Package``, adds what the file holds and returns a sentence saying what it brought in, or raises
``UserError`` to refuse it. Everything happens in ONE transaction: a refusal leaves the
database exactly as it was. The ``ExchangeImport`` row of the file is added (and flushed) before the
importer runs, so an importer can link its rows to it with ``services.imported_files.current_import``.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Callable

from sqlalchemy.orm import Session

from .dates import long_date_time
from .errors import UserError
from .exchange.container import KINDS, Package, describe_manifest, read_package
from .exchange.sealing import Opening, default_opening, describe_label, sealed_label
from .exchange.senders import check_sender
from .models import ExchangeImport
from .safe_text import visible
from .services.imported_files import already_imported

if TYPE_CHECKING:
    from .db import Database

Importer = Callable[[Session, Package], str]


def importers() -> dict[str, Importer]:
    """The kinds of exchange file this database can import, each with its importer."""
    # Imported when a file is imported: the audit and notes services are not needed before then.
    from .services.audit.exchange import import_audit_package
    from .services.audit.merge import import_audit_return
    from .services.region.round_import import import_round
    from .services.review.notes_exchange import import_review_notes
    from .services.review.template_package import import_template_package

    return {
        "audit-package": import_audit_package,
        "audit-return": import_audit_return,
        "review-notes": import_review_notes,
        "round": import_round,
        "template": import_template_package,
    }


def importer_for(kind: str) -> Importer:
    found = importers().get(kind)
    if found is None:
        raise UserError(f"This version of LGF Desktop cannot import {KINDS.get(kind, kind)}.")
    return found


def import_package(session: Session, package: Package) -> str:
    """Import a validated package within the caller's transaction; returns what it brought in."""
    earlier = already_imported(session, package)
    if earlier is not None:
        return f"This file was already imported on {long_date_time(earlier.imported_at)}; nothing changed."
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


def import_file(db: Database, path: str | Path, *, opening: Opening | None = None) -> str:
    """Read, validate and import an exchange file in one transaction (``db`` is a ``Database``).
    A sealed file is opened with ``opening`` (default: the key unlocked for this sitting).

    The file is read and checked on the caller's thread; only the import itself is sent to the
    writer, so autosaves queued meanwhile wait at most for one file's transaction."""
    return import_read(db, read_package(path, opening=opening or default_opening()))


def import_read(db: Database, package: Package) -> str:
    """Import a package already read and validated (after ``changes_to_confirm`` was shown)."""
    importer_for(package.kind)  # refuse a kind this database cannot import before opening a session
    return db.write(lambda session: import_package(session, package)).result()


def changes_to_confirm(db: Database, package: Package) -> str | None:
    """What importing ``package`` would change that the person should see and accept first (a shared
    template replacing a round's own), in words; None when there is nothing to ask. Reads only."""
    if package.kind != "template":
        return None
    from .services.review.template_package import template_changes

    with db.read() as session:
        if already_imported(session, package) is not None:
            return None
        changes = template_changes(session, package)
    return changes.text() if changes.lines else None


WORKBOOK_SUFFIXES = (".xlsx", ".xlsm")


def is_workbook_name(path: str | Path) -> bool:
    return Path(path).suffix.lower() in WORKBOOK_SUFFIXES


def import_any(db: Any, path: str | Path, *, opening: Opening | None = None) -> str:
    """Import a file by its type: a returned self-assessment form (``.xlsx``) or an exchange file."""
    if is_workbook_name(path):
        # Imported when a form is imported: openpyxl is not needed before then.
        from .services.self_assessment.returns import import_form_file

        return import_form_file(db, path)
    return import_file(db, path, opening=opening)


def describe(path: str | Path, *, opening: Opening | None = None) -> str:
    """The manifest of an exchange file in plain text, after validating the whole file; for a sealed
    file that cannot be opened here, what its outer label says and that the rest needs the key."""
    outside = sealed_label(path)
    if outside is None:
        package = read_package(path)
        return describe_manifest(package.manifest, package.sha256) + "\nNot sealed: anyone holding this file can read it."
    label_lines = [visible(line) for line in describe_label(outside)]
    try:
        package = read_package(path, opening=opening or default_opening())
    except UserError as exc:
        kind = str(outside["kind"])
        return "\n".join([f"Exchange file: {KINDS.get(kind, visible(kind))} (kind {visible(kind)})",
                          *label_lines, f"The rest cannot be read without the key: {visible(exc)}"])
    signer = visible(package.signer.name) or "unnamed key"
    lines = [describe_manifest(package.manifest, package.sha256), *label_lines[:1],
             f"Signed by: {signer} (fingerprint {visible(package.signer.fingerprint)}; signature checked)"]
    return "\n".join(lines)
