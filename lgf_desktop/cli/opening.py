"""The database a command works on: ``--db PATH``, else ``$LGF_DB``, else the user data folder."""

from __future__ import annotations

import argparse

from ..db import Database
from ..paths import resolve_db_path


def open_database(args: argparse.Namespace) -> Database:
    return Database.open(resolve_db_path(args.db))
