"""The options several commands share: passphrases (your key's, a one-off file's), sealing with a
passphrase, and overriding the identifying-data check."""

from __future__ import annotations

import argparse
import os
from pathlib import Path

from ..errors import UserError

# Named here rather than imported from keys/sealing, which load cryptography on import.
ENV_KEY_PASSPHRASE = "LGF_KEY_PASSPHRASE"
ENV_PASSPHRASE = "LGF_PASSPHRASE"
ENV_DB_PASSPHRASE = "LGF_DB_PASSPHRASE"


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


def db_passphrase(args: argparse.Namespace) -> str | None:
    """An encrypted database's passphrase: ``--db-passphrase-file`` or ``$LGF_DB_PASSPHRASE`` (never
    asked at a prompt: the command may run where nobody can answer)."""
    return _read_passphrase(getattr(args, "db_passphrase_file", None), ENV_DB_PASSPHRASE)


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
