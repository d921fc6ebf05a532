"""``lgf``: the command line for everything that does not need a window.

Each module in ``lgf_desktop.cli.commands`` (named in ``build_parser``) adds its sub-commands through ``register(commands,
exports)``; ``exports`` is the sub-parser group of ``lgf export …``. A handler takes the parsed
arguments and returns the exit status. Errors are one sentence on stderr and a non-zero exit.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .. import app_version
from ..error_log import install_logging, log_internal_error
from ..storage.sqlite.connections import PassphraseNeeded
from ..errors import UserError, new_reference
from ..storage import resolve_location
from ..private_files import keep_new_files_private
from ..safe_text import visible
from ..storage.faults import describe_fault
from .commands import (
    audits, database, encryption, exchange, export_s11, identifying, keys, region, regional, self_assessment,
    tracker, you,
)
from .options import ENV_DB_PASSPHRASE, ENV_KEY_PASSPHRASE, ENV_PASSPHRASE, key_passphrase

EXIT_USER_ERROR = 2
EXIT_INTERNAL_ERROR = 70


class PrintVersion(argparse.Action):
    """``--version``, reading the version only when asked (the metadata search is slow to import)."""

    def __call__(self, parser, namespace, values, option_string=None) -> None:
        print(f"lgf {app_version()}")
        parser.exit()


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="lgf", description="LGF Desktop on the command line.")
    parser.add_argument("--db", metavar="PATH|URL", help="database file or postgresql:// URL (default: $LGF_DB or the user data folder)")
    parser.add_argument("--version", action=PrintVersion, nargs=0, help="print the version number and exit")
    parser.add_argument("--key-passphrase-file", type=Path, metavar="FILE",
                        help=f"your key's passphrase, on the first line of FILE (default: ${ENV_KEY_PASSPHRASE})")
    parser.add_argument("--passphrase-file", type=Path, metavar="FILE",
                        help=f"a one-off exchange file's passphrase (default: ${ENV_PASSPHRASE})")
    parser.add_argument("--db-passphrase-file", type=Path, metavar="FILE",
                        help=f"an encrypted database's passphrase, on the first line of FILE (default: ${ENV_DB_PASSPHRASE})")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    export_parser = commands.add_parser("export", help="write a report, template, brief or tracker to a file")
    exports = export_parser.add_subparsers(dest="export_kind", metavar="WHAT", required=True)
    for module in (audits, database, encryption, exchange, export_s11, identifying, keys, region, regional,
                   self_assessment, tracker, you):
        module.register(commands, exports)
    return parser


def main(argv: list[str] | None = None) -> int:
    keep_new_files_private()
    install_logging()
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        if args.key_passphrase_file is not None:
            from ..keys import unlock_with

            unlock_with(key_passphrase(args) or "")
        return int(args.handler(args) or 0)
    except UserError as exc:
        for line in getattr(exc, "details", ()):
            print(f"  {visible(line)}", file=sys.stderr)
        hint = ""
        if isinstance(exc, PassphraseNeeded):
            hint = f" Give it in ${ENV_DB_PASSPHRASE} or with --db-passphrase-file FILE."
        print(f"lgf: {visible(exc)}{hint}", file=sys.stderr)  # messages can quote text from a file
        return EXIT_USER_ERROR
    except KeyboardInterrupt:
        print("lgf: interrupted; nothing further was changed.", file=sys.stderr)
        return 130
    except Exception as exc:
        return report_failure(exc, resolve_location(args.db))


def report_failure(exc: BaseException, db_path) -> int:
    """Say on stderr what went wrong and return the exit status."""
    # The environment's fault (read-only, full, locked, damaged, vanished): its one sentence.
    sentence = describe_fault(exc, db_path)
    if sentence is not None:
        print(f"lgf: {sentence}", file=sys.stderr)
        return EXIT_USER_ERROR
    # A bug: its type and a reference here, the traceback (never the message: it can hold SQL,
    # parameters or case text) in the owner-only log.
    reference = new_reference()
    log = log_internal_error(exc, f"internal error {reference}")
    where = f"; details in {log}" if log else ""
    print(f"lgf: internal error {reference} ({type(exc).__name__}){where}.", file=sys.stderr)
    return EXIT_INTERNAL_ERROR


if __name__ == "__main__":
    sys.exit(main())
