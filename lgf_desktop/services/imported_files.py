"""The record of exchange files imported into this database: one row per file, keyed by its SHA-256,
so a second import of the same file changes nothing and an importer can link its rows to the file."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..exchange.container import Package
from ..models import ExchangeImport


def current_import(session: Session, package: Package) -> ExchangeImport:
    """The ExchangeImport row of the file being imported (for importers that link rows to it)."""
    return session.scalars(select(ExchangeImport).where(ExchangeImport.sha256 == package.sha256)).one()


def already_imported(session: Session, package: Package) -> ExchangeImport | None:
    return session.scalar(select(ExchangeImport).where(ExchangeImport.sha256 == package.sha256))
