"""``lgf inspect FILE.lgfx`` (the manifest, without importing; of a sealed file it cannot open, the
outer label only) and ``lgf import FILE…`` (exchange files of any kind, returned self-assessment forms). A sealed file is opened with your key
(``$LGF_KEY_PASSPHRASE``) or, if it was sealed with one, the passphrase (``$LGF_PASSPHRASE``)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ...exchange.sealing import Opening
from ...errors import UserError
from ...exchange.container import read_package
from ...importing import changes_to_confirm, describe, import_read, is_workbook_name
from ...keys import this_sitting
from ...safe_text import visible
from ..opening import open_database
from ..options import file_passphrase


def register(commands: argparse._SubParsersAction, exports: argparse._SubParsersAction) -> None:
    inspect = commands.add_parser("inspect", help="print what an exchange file (.lgfx) holds, without importing it")
    inspect.add_argument("file", metavar="FILE.lgfx", type=Path)
    inspect.set_defaults(handler=cmd_inspect)
    imp = commands.add_parser("import", help="import exchange files (.lgfx) of any kind or returned self-assessment "
                                             "forms (.xlsx); importing one twice changes nothing")
    imp.add_argument("files", nargs="+", metavar="FILE.lgfx|FILE.xlsx", type=Path)
    imp.add_argument("--apply", action="store_true",
                     help="apply a shared question template that changes a round's own (run without it first "
                          "to see what would change)")
    imp.set_defaults(handler=cmd_import)


def _opening(args: argparse.Namespace) -> Opening:
    # The key is unlocked only if the file turns out to need it; a passphrase file needs none.
    return Opening(passphrase=file_passphrase(args), unlock=this_sitting)


def cmd_inspect(args: argparse.Namespace) -> int:
    print(describe(args.file, opening=_opening(args)))  # the values from the file are made visible there
    return 0


def _import_exchange_file(db, path: Path, args: argparse.Namespace) -> str:
    """One exchange file; a shared template that would change a round's own is shown first and
    applied only with --apply (or a 'y' typed at a terminal)."""
    package = read_package(path, opening=_opening(args))
    changes = changes_to_confirm(db, package)
    if changes and not args.apply:
        print(visible(changes))
        if not (sys.stdin.isatty() and input("Apply these changes? [y/N] ").strip().lower() in ("y", "yes")):
            raise UserError(f"{path.name} was not imported: run again with --apply to apply these changes.")
    return import_read(db, package)


def cmd_import(args: argparse.Namespace) -> int:
    """Returned self-assessment forms together (one transaction, each form in its own savepoint);
    each exchange file in its own transaction. A refused file leaves the database as it was and the
    others are still imported; the refusals are listed at the end (exit 2)."""
    db = open_database(args)
    refused: list[str] = []
    workbooks = [p for p in args.files if is_workbook_name(p)]
    try:
        if workbooks:
            from ...services.self_assessment.returns import import_form_files

            done, failed = import_form_files(db, workbooks)
            for line in done:
                print(visible(line))
            refused.extend(failed)
        for path in (p for p in args.files if not is_workbook_name(p)):
            try:
                print(visible(_import_exchange_file(db, path, args)))
            except UserError as exc:
                refused.append(f"{path.name}: {exc}" if path.name not in str(exc) else str(exc))
    finally:
        db.close()
    if len(refused) == 1 and len(args.files) == 1:
        raise UserError(refused[0])
    if refused:
        error = UserError(f"{len(refused)} of {len(args.files)} files were refused; nothing was written from them.")
        error.details = refused
        raise error
    return 0
