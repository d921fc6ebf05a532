"""``lgf``: the command line for everything that does not need a window.

Each module in ``lgf_desktop.cli.commands`` adds its sub-commands through ``register(commands,
exports)``; ``exports`` is the sub-parser group of ``lgf export …``. A handler takes the parsed
arguments and returns the exit status. Errors are one sentence on stderr and a non-zero exit.
"""

from __future__ import annotations

import argparse
import pkgutil
import sys
from importlib import import_module

from .. import __version__
from ..db import Database
from ..error_log import describe_safely, install_logging, log_internal_error
from ..errors import UserError
from ..paths import resolve_db_path
from ..private_files import keep_new_files_private

EXIT_USER_ERROR = 2
EXIT_INTERNAL_ERROR = 70


def open_database(args: argparse.Namespace) -> Database:
    return Database.open(resolve_db_path(args.db))


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="lgf", description="LGF Desktop on the command line.")
    parser.add_argument("--db", metavar="PATH", help="database file (default: $LGF_DB or the user data folder)")
    parser.add_argument("--version", action="version", version=f"lgf {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    export_parser = commands.add_parser("export", help="write a report, template, brief or tracker to a file")
    exports = export_parser.add_subparsers(dest="export_kind", metavar="WHAT", required=True)
    from . import commands as package

    for info in sorted(pkgutil.iter_modules(package.__path__), key=lambda m: m.name):
        import_module(f"{package.__name__}.{info.name}").register(commands, exports)
    return parser


def main(argv: list[str] | None = None) -> int:
    keep_new_files_private()
    install_logging()
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.handler(args) or 0)
    except UserError as exc:
        print(f"lgf: {exc}", file=sys.stderr)
        return EXIT_USER_ERROR
    except KeyboardInterrupt:
        print("lgf: interrupted; nothing further was changed.", file=sys.stderr)
        return 130
    except Exception as exc:  # a bug: one sentence here, the traceback in the log (never its message)
        log = log_internal_error(exc, "lgf " + str(getattr(args, "command", "")))
        where = f" (details in {log})" if log else ""
        print(f"lgf: internal error: {describe_safely(exc)}{where}", file=sys.stderr)
        return EXIT_INTERNAL_ERROR


if __name__ == "__main__":
    sys.exit(main())
