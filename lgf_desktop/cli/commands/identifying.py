"""``lgf child-names --audit ID`` (the children's real names, for checking only) and ``lgf
remove-everywhere`` (a flagged value out of every text and the change history).

Both read what they need from standard input, one item a line, never from an option: a child's
name or NHS number given as an argument would stay in the shell's history and the process list.
"""

from __future__ import annotations

import argparse
import sys

from ...errors import UserError
from ...services.audit.cases import find_audit
from ...services.privacy.child_names import set_child_names
from ...services.privacy.removal import remove_everywhere, scrub_backups
from ..opening import open_database


def register(commands: argparse._SubParsersAction, exports: argparse._SubParsersAction) -> None:
    names = commands.add_parser("child-names", help="give an audit's children's real names (from standard input, "
                                                    "one a line) so they are flagged; only keyed hashes are kept")
    names.add_argument("--audit", required=True, metavar="ID")
    names.set_defaults(handler=cmd_child_names)
    remove = commands.add_parser("remove-everywhere", help="replace a value (read from standard input) with "
                                                           "[removed] in every text and in the change history")
    remove.add_argument("--clean-backups", action="store_true", help="also remove it from the backups that hold it")
    remove.set_defaults(handler=cmd_remove_everywhere)


def _lines() -> list[str]:
    if sys.stdin is None or sys.stdin.isatty():
        raise UserError("Give the text on standard input (e.g. from a file: < names.txt), not as an argument.")
    return [line.strip() for line in sys.stdin.read().splitlines() if line.strip()]


def cmd_child_names(args: argparse.Namespace) -> int:
    names = _lines()
    db = open_database(args)
    with db.session() as session:
        audit = find_audit(session, args.audit)
        kept = set_child_names(session, audit, names)
    print(f"{kept} name(s) will be flagged wherever they are typed or sent; only keyed hashes were kept.")
    return 0


def cmd_remove_everywhere(args: argparse.Namespace) -> int:
    lines = _lines()
    if len(lines) != 1:
        raise UserError("Give exactly one line of text to remove.")
    db = open_database(args)
    try:
        removal = remove_everywhere(db, lines[0])
        print(removal.sentence())
        if args.clean_backups and removal.backups_holding:
            print(f"Cleaned {scrub_backups(db, removal.backups_holding, lines[0])} backup(s).")
    finally:
        db.close()
    return 0
