"""The database a command works on: ``--db PATH|URL``, else ``$LGF_DB``, else the user data folder; an
encrypted one with ``--db-passphrase-file`` or ``$LGF_DB_PASSPHRASE``."""

from __future__ import annotations

import argparse

from ..db import Database
from ..storage import resolve_location
from .options import db_passphrase


def open_database(args: argparse.Namespace) -> Database:
    return Database.open(resolve_location(args.db), passphrase=db_passphrase(args))
