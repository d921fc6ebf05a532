"""``lgf keys``: your key pair (create, show, export) and the public keys of the people you exchange
files with (import, list).

Passphrases never come from a prompt: your key's from ``$LGF_KEY_PASSPHRASE`` or
``--key-passphrase-file``, a one-off file passphrase from ``$LGF_PASSPHRASE`` or ``--passphrase-file``
(options on ``lgf`` itself). A passphrase typed on the command line would sit in the shell's history
and the process list, so there is no option that takes one as its value.
"""

from __future__ import annotations

import argparse
import getpass
from pathlib import Path

from sqlalchemy import select

from ...atomic import atomic_write
from ...errors import UserError
from ...exchange.senders import known_keys, set_person_key
from ...keys import ENV_KEY_PASSPHRASE, PublicKey, create_my_key, has_my_key, my_public_key
from ...models import Person
from ..opening import open_database
from ..options import key_passphrase


def register(commands: argparse._SubParsersAction, exports: argparse._SubParsersAction) -> None:
    keys = commands.add_parser("keys", help="your key pair and the public keys of the people you exchange files with")
    actions = keys.add_subparsers(dest="keys_action", metavar="ACTION", required=True)
    create = actions.add_parser("create", help=f"make your key pair, protected by ${ENV_KEY_PASSPHRASE}")
    create.add_argument("--name", help="your name, shown to the people you send your public key to")
    create.set_defaults(handler=cmd_create)
    show = actions.add_parser("show", help="your public key and its fingerprint (to read out over the phone)")
    show.set_defaults(handler=cmd_show)
    export = actions.add_parser("export", help="write your public key to a file to send to others")
    export.add_argument("--out", required=True, type=Path, metavar="FILE.lgfkey")
    export.set_defaults(handler=cmd_export)
    imp = actions.add_parser("import", help="record someone's public key (compare its fingerprint with them first)")
    imp.add_argument("file", type=Path, metavar="FILE.lgfkey")
    imp.add_argument("--person", required=True, metavar="NAME", help="whose key it is (a person in this database)")
    imp.set_defaults(handler=cmd_import)
    listed = actions.add_parser("list", help="the public keys this database knows")
    listed.set_defaults(handler=cmd_list)


def _mine() -> PublicKey:
    public = my_public_key()
    if public is None:
        raise UserError(f"You have no key yet: make one with lgf keys create (protected by ${ENV_KEY_PASSPHRASE}).")
    return public


def cmd_create(args: argparse.Namespace) -> int:
    if has_my_key():
        raise UserError("You already have a key; lgf keys show prints it.")
    key = create_my_key(args.name or getpass.getuser(), key_passphrase(args) or "")
    print(f"Made your key pair. Fingerprint: {key.public.fingerprint}")
    return 0


def cmd_show(args: argparse.Namespace) -> int:
    public = _mine()
    print(f"Name: {public.name}\nFingerprint: {public.fingerprint}\nPublic key: {public.text()}")
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    public = _mine()
    atomic_write(args.out, lambda temp: temp.write_text(public.text() + "\n", encoding="utf-8"))
    print(f"Wrote your public key to {args.out}; its fingerprint is {public.fingerprint}.")
    return 0


def _person(session, name: str) -> Person:
    wanted = name.strip().casefold()
    matches = [p for p in session.scalars(select(Person)) if p.name.casefold().startswith(wanted)]
    exact = [p for p in matches if p.name.casefold() == wanted]
    matches = exact or matches
    if len(matches) != 1:
        problem = "No one" if not matches else "More than one person"
        raise UserError(f"{problem} in this database is called {name!r}.")
    return matches[0]


def cmd_import(args: argparse.Namespace) -> int:
    try:
        text = args.file.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        raise UserError(f"{args.file} cannot be read as a public key file.") from None
    public = PublicKey.parse(text)
    db = open_database(args)
    with db.session() as session:
        person = _person(session, args.person)
        set_person_key(session, person, public)
        name = person.name
    print(f"Recorded {name}'s public key. Fingerprint: {public.fingerprint} — check it with {name} "
          "(over the phone, not by e-mail) before sending them anything.")
    return 0


def cmd_list(args: argparse.Namespace) -> int:
    db = open_database(args)
    with db.session() as session:
        rows = [(person.name, public.fingerprint) for person, public in known_keys(session)]
    if not rows:
        print("No public keys are recorded in this database.")
    for name, fingerprint in rows:
        print(f"{fingerprint}  {name}")
    return 0
