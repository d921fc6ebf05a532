"""``lgf encrypt`` and ``lgf decrypt``: converting the database between plain SQLite and SQLCipher.

The passphrase comes from ``--db-passphrase-file`` or ``$LGF_DB_PASSPHRASE``, as for every command
on an encrypted database; it is never asked at a prompt and never written anywhere.
"""

from __future__ import annotations

import argparse

from ...storage.sqlite.connections import is_encrypted
from ...storage.sqlite.encrypting import (
    Conversion, check_openable, decrypt_database, encrypt_backups, encrypt_database, plain_backups, remove_backups,
)
from ...errors import UserError
from ...paths import resolve_db_path
from ..options import ENV_DB_PASSPHRASE, db_passphrase


def register(commands: argparse._SubParsersAction, exports: argparse._SubParsersAction) -> None:
    encrypt = commands.add_parser(
        "encrypt", help=f"encrypt the database with the passphrase in ${ENV_DB_PASSPHRASE} (or --db-passphrase-file); "
                        "the plain file is overwritten and removed")
    what = encrypt.add_mutually_exclusive_group()
    what.add_argument("--encrypt-backups", action="store_true",
                      help="also encrypt the earlier backups, which are plain")
    what.add_argument("--remove-plain-backups", action="store_true",
                      help="overwrite and remove the earlier backups, which are plain")
    encrypt.set_defaults(handler=cmd_encrypt)
    decrypt = commands.add_parser("decrypt", help="make the encrypted database a plain SQLite file again")
    decrypt.set_defaults(handler=cmd_decrypt)


def _passphrase(args: argparse.Namespace) -> str:
    passphrase = db_passphrase(args)
    if not passphrase:
        raise UserError(f"Give the database's passphrase in ${ENV_DB_PASSPHRASE} or with --db-passphrase-file FILE; "
                        "nothing was changed.")
    return passphrase


def cmd_encrypt(args: argparse.Namespace) -> int:
    passphrase = _passphrase(args)
    path = resolve_db_path(args.db)
    if is_encrypted(path) and (args.encrypt_backups or args.remove_plain_backups):
        check_openable(path, passphrase)  # the right passphrase for this database, or refused
        done = Conversion(path, True, plain_backups(path))
        print(f"{path.name} is already encrypted; {len(done.plain_backups)} earlier backup(s) are plain.")
    else:
        done = encrypt_database(path, passphrase)
        print(done.sentence())
    if done.plain_backups and args.encrypt_backups:
        print(f"Encrypted {encrypt_backups(done.path, passphrase, done.plain_backups)} earlier backup(s).")
    elif done.plain_backups and args.remove_plain_backups:
        print(f"Removed {remove_backups(done.plain_backups)} plain backup(s).")
    elif done.plain_backups:
        print("Run `lgf encrypt --encrypt-backups` or `lgf encrypt --remove-plain-backups` (with the same passphrase) "
              "to deal with them.")
    return 0


def cmd_decrypt(args: argparse.Namespace) -> int:
    print(decrypt_database(resolve_db_path(args.db), _passphrase(args)).sentence())
    return 0
