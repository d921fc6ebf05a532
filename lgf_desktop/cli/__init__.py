"""``lgf``: the command line for everything that does not need a window.

Each module in ``lgf_desktop.cli.commands`` (named in ``build_parser``) adds its sub-commands through ``register(commands,
exports)``; ``exports`` is the sub-parser group of ``lgf export …``. A handler takes the parsed
arguments and returns the exit status. Errors are one sentence on stderr and a non-zero exit.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .. import __version__
from ..errors import UserError, log_internal_error, new_reference
from ..paths import resolve_db_path
from ..safe_text import visible
from ..storage_faults import describe_fault
from .commands import audits, database, exchange, export_s11, tracker

EXIT_USER_ERROR = 2
EXIT_INTERNAL_ERROR = 70


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="lgf", description="LGF Desktop on the command line.")
    parser.add_argument("--db", metavar="PATH", help="database file (default: $LGF_DB or the user data folder)")
    parser.add_argument("--version", action="version", version=f"lgf {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    export_parser = commands.add_parser("export", help="write a report, template, brief or tracker to a file")
    exports = export_parser.add_subparsers(dest="export_kind", metavar="WHAT", required=True)
    for module in (audits, database, exchange, export_s11, tracker):
        module.register(commands, exports)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.handler(args) or 0)
    except UserError as exc:
        print(f"lgf: {visible(exc)}", file=sys.stderr)  # messages can quote text from a file
        return EXIT_USER_ERROR
    except KeyboardInterrupt:
        print("lgf: interrupted; nothing further was changed.", file=sys.stderr)
        return 130
    except Exception as exc:
        return report_failure(exc, resolve_db_path(args.db))


def report_failure(exc: BaseException, db_path: Path) -> int:
    """Say on stderr what went wrong and return the exit status."""
    # The environment's fault (read-only, full, locked, damaged, vanished): its one sentence.
    sentence = describe_fault(exc, db_path)
    if sentence is not None:
        print(f"lgf: {sentence}", file=sys.stderr)
        return EXIT_USER_ERROR
    # A bug: its type and a reference here, the traceback (never the message: it can hold SQL,
    # parameters or case text) in the log.
    reference = new_reference()
    log = log_internal_error(exc, reference)
    where = f"; details in {log}" if log else ""
    print(f"lgf: internal error {reference} ({type(exc).__name__}){where}.", file=sys.stderr)
    return EXIT_INTERNAL_ERROR

if __name__ == "__main__":
    sys.exit(main())
