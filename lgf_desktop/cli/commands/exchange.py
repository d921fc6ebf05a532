"""``lgf inspect FILE.lgfx`` (the manifest, without importing) and ``lgf import FILE.lgfx`` (any kind)."""

from __future__ import annotations

import argparse
from pathlib import Path

from ...importing import describe, import_file
from ...safe_text import visible
from ..opening import open_database


def register(commands: argparse._SubParsersAction, exports: argparse._SubParsersAction) -> None:
    inspect = commands.add_parser("inspect", help="print what an exchange file (.lgfx) holds, without importing it")
    inspect.add_argument("file", metavar="FILE.lgfx", type=Path)
    inspect.set_defaults(handler=cmd_inspect)
    imp = commands.add_parser("import", help="import an exchange file (.lgfx) of any kind; importing it twice changes nothing")
    imp.add_argument("file", metavar="FILE.lgfx", type=Path)
    imp.set_defaults(handler=cmd_import)


def cmd_inspect(args: argparse.Namespace) -> int:
    print(describe(args.file))  # the values from the file are made visible there
    return 0


def cmd_import(args: argparse.Namespace) -> int:
    db = open_database(args)
    try:
        print(visible(import_file(db, args.file)))
    finally:
        db.close()
    return 0
