"""``lgf``: the command line for everything that does not need a window.

Each module in ``lgf_desktop.cli.commands`` adds its sub-commands through ``register(commands,
exports)``; ``exports`` is the sub-parser group of ``lgf export …``. A handler takes the parsed
arguments and returns the exit status. Errors are one sentence on stderr and a non-zero exit.
"""

from __future__ import annotations

import argparse
import os
import pkgutil
import sys
from importlib import import_module
from pathlib import Path

from .. import __version__
from ..db import Database
from ..error_log import install_logging, log_internal_error
from ..errors import UserError, new_reference
from ..paths import resolve_db_path
from ..private_files import keep_new_files_private
from ..storage_faults import describe_fault

# Named here rather than imported from keys/sealing, which load cryptography on import.
ENV_KEY_PASSPHRASE = "LGF_KEY_PASSPHRASE"
ENV_PASSPHRASE = "LGF_PASSPHRASE"
EXIT_USER_ERROR = 2
EXIT_INTERNAL_ERROR = 70


def open_database(args: argparse.Namespace) -> Database:
    return Database.open(resolve_db_path(args.db))


def _read_passphrase(path: Path | None, env: str) -> str | None:
    if path is None:
        return os.environ.get(env) or None
    try:
        return path.read_text(encoding="utf-8").splitlines()[0].strip() or None
    except (OSError, UnicodeDecodeError, IndexError):
        raise UserError(f"The passphrase file {path} cannot be read (it should hold the passphrase on its first line).") from None


def key_passphrase(args: argparse.Namespace) -> str | None:
    """Your key's passphrase: ``--key-passphrase-file`` or ``$LGF_KEY_PASSPHRASE``."""
    return _read_passphrase(getattr(args, "key_passphrase_file", None), ENV_KEY_PASSPHRASE)


def file_passphrase(args: argparse.Namespace) -> str | None:
    """A one-off file passphrase: ``--passphrase-file`` or ``$LGF_PASSPHRASE``."""
    return _read_passphrase(getattr(args, "passphrase_file", None), ENV_PASSPHRASE)


def sealing_choice(args: argparse.Namespace) -> str | None:
    """The passphrase to seal with when ``--with-passphrase`` was given (refused if none was set)."""
    if not getattr(args, "with_passphrase", False):
        return None
    passphrase = file_passphrase(args)
    if not passphrase or len(passphrase) < 8:
        raise UserError(f"--with-passphrase needs a passphrase of at least 8 characters in ${ENV_PASSPHRASE} "
                        "or a --passphrase-file.")
    return passphrase


def add_sealing_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--with-passphrase", action="store_true",
                        help=f"seal with a one-off passphrase (from ${ENV_PASSPHRASE} or --passphrase-file) "
                             "instead of the recipient's key")


def add_override_identifying(parser: argparse.ArgumentParser) -> None:
    """The flag every leaving file takes: send although the identifying-data check found something
    (after reading each finding it printed); the override is recorded in the change history."""
    parser.add_argument("--override-identifying", action="store_true",
                        help="write the file although the identifying-data check found something "
                             "(run without it first to see each finding); recorded in the change history")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="lgf", description="LGF Desktop on the command line.")
    parser.add_argument("--db", metavar="PATH", help="database file (default: $LGF_DB or the user data folder)")
    parser.add_argument("--version", action="version", version=f"lgf {__version__}")
    parser.add_argument("--key-passphrase-file", type=Path, metavar="FILE",
                        help=f"your key's passphrase, on the first line of FILE (default: ${ENV_KEY_PASSPHRASE})")
    parser.add_argument("--passphrase-file", type=Path, metavar="FILE",
                        help=f"a one-off exchange file's passphrase (default: ${ENV_PASSPHRASE})")
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
        if args.key_passphrase_file is not None:
            from ..keys import unlock_with

            unlock_with(key_passphrase(args) or "")
        return int(args.handler(args) or 0)
    except UserError as exc:
        for line in getattr(exc, "details", ()):
            print(f"  {line}", file=sys.stderr)
        print(f"lgf: {exc}", file=sys.stderr)
        return EXIT_USER_ERROR
    except KeyboardInterrupt:
        print("lgf: interrupted; nothing further was changed.", file=sys.stderr)
        return 130
    except Exception as exc:
        # The environment's fault (read-only, full, locked, damaged, vanished): its one sentence.
        sentence = describe_fault(exc, resolve_db_path(args.db))
        if sentence is not None:
            print(f"lgf: {sentence}", file=sys.stderr)
            return EXIT_USER_ERROR
        # A bug: its type and a reference here, the traceback (never the message: it can hold SQL,
        # parameters or case text) in the owner-only log.
        reference = new_reference()
        log = log_internal_error(exc, reference)
        where = f"; details in {log}" if log else ""
        print(f"lgf: internal error {reference} ({type(exc).__name__}){where}.", file=sys.stderr)
        return EXIT_INTERNAL_ERROR


if __name__ == "__main__":
    sys.exit(main())
