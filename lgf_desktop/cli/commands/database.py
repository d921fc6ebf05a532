"""``lgf demo``, ``lgf rounds``, ``lgf check``, ``lgf restore`` and ``lgf copy``."""

from __future__ import annotations

import argparse
from pathlib import Path

from ...storage.sqlite.backups import restore_backup
from ...errors import UserError
from ...integrity import check_database
from ...storage import resolve_location
from ...storage.postgresql.backend import BACKUPS_ARE_THE_SERVERS
from ...services.demo import load_demo
from ...services.review.rounds import round_counts
from ..opening import open_database
from ..options import db_passphrase


def register(commands: argparse._SubParsersAction, exports: argparse._SubParsersAction) -> None:
    demo = commands.add_parser("demo", help="add the fictional demo round (and audit) to the database")
    demo.set_defaults(handler=cmd_demo)
    rounds = commands.add_parser("rounds", help="list rounds with their numbers of reviews and recommendations")
    rounds.set_defaults(handler=cmd_rounds)
    check = commands.add_parser("check", help="integrity check, schema version and counts, without changing the file "
                                "(exit 0 only when all is well, 1 when problems are found)")
    check.set_defaults(handler=cmd_check)
    restore = commands.add_parser("restore", help="bring back a backup, keeping a copy of the current file")
    restore.add_argument("backup", metavar="BACKUP", type=Path)
    restore.set_defaults(handler=cmd_restore)
    copy = commands.add_parser(
        "copy", help="copy a database into an empty one: a file to a server (postgresql://…) or a server to a file "
        "(a snapshot), checking every table's count; an encrypted source file opens with the database passphrase")
    copy.add_argument("--from", dest="source", metavar="PATH|URL", required=True)
    copy.add_argument("--to", dest="target", metavar="PATH|URL", required=True)
    copy.set_defaults(handler=cmd_copy)


def cmd_demo(args: argparse.Namespace) -> int:
    db = open_database(args)
    with db.session() as session:
        added = load_demo(session)
    if added:
        print(f"Added to {db.location}: " + "; ".join(added) + ".")
    else:
        print(f"The demo is already in {db.location}; nothing was added.")
    return 0


def cmd_rounds(args: argparse.Namespace) -> int:
    db = open_database(args)
    with db.session() as session:
        rows = round_counts(session)
        if not rows:
            print("No rounds yet.")
            return 0
        width = max(len(r.label) for r, _, _ in rows)
        print(f"{'Round':<{width}}  Kind             Reviews  Recommendations")
        for round_, reviews, recs in rows:
            print(f"{round_.label:<{width}}  {round_.kind:<15}  {reviews:>7}  {recs:>15}")
    return 0


def cmd_check(args: argparse.Namespace) -> int:
    report = check_database(resolve_location(args.db), db_passphrase(args))
    for line in report.lines():
        print(line)
    return 0 if report.ok else 1


def cmd_restore(args: argparse.Namespace) -> int:
    location = resolve_location(args.db)
    if location.is_server:
        raise UserError(BACKUPS_ARE_THE_SERVERS.replace("you can take a snapshot of it to a file at any time",
                        "restoring one is too; `lgf copy --from FILE --to URL` brings a snapshot into an empty "
                        "database"))
    db_path = location.path
    if db_path.resolve() == args.backup.resolve():
        raise UserError("The backup and the database are the same file.")
    kept = restore_backup(db_path, args.backup, db_passphrase(args))
    print(f"Restored {args.backup} into {db_path}; the file it replaced was kept as {kept}.")
    return 0


def cmd_copy(args: argparse.Namespace) -> int:
    from ...copying import copy_database

    print(copy_database(args.source, args.target, source_passphrase=db_passphrase(args)).sentence())
    return 0
