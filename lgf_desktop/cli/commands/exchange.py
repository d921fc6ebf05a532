"""``lgf inspect FILE.lgfx`` (the manifest, without importing; of a sealed file it cannot open, the
outer label only) and ``lgf import FILE.lgfx`` (any kind). A sealed file is opened with your key
(``$LGF_KEY_PASSPHRASE``) or, if it was sealed with one, the passphrase (``$LGF_PASSPHRASE``)."""

from __future__ import annotations

import argparse
from pathlib import Path

from ...exchange.sealing import Opening
from ...importing import describe, import_file
from ...keys import this_sitting
from ...safe_text import visible
from ..opening import open_database
from ..options import file_passphrase


def register(commands: argparse._SubParsersAction, exports: argparse._SubParsersAction) -> None:
    inspect = commands.add_parser("inspect", help="print what an exchange file (.lgfx) holds, without importing it")
    inspect.add_argument("file", metavar="FILE.lgfx", type=Path)
    inspect.set_defaults(handler=cmd_inspect)
    imp = commands.add_parser("import", help="import an exchange file (.lgfx) of any kind; importing it twice changes nothing")
    imp.add_argument("file", metavar="FILE.lgfx", type=Path)
    imp.set_defaults(handler=cmd_import)


def _opening(args: argparse.Namespace) -> Opening:
    # The key is unlocked only if the file turns out to need it; a passphrase file needs none.
    return Opening(passphrase=file_passphrase(args), unlock=this_sitting)


def cmd_inspect(args: argparse.Namespace) -> int:
    print(describe(args.file, opening=_opening(args)))  # the values from the file are made visible there
    return 0


def cmd_import(args: argparse.Namespace) -> int:
    db = open_database(args)
    try:
        print(visible(import_file(db, args.file, opening=_opening(args))))
    finally:
        db.close()
    return 0
