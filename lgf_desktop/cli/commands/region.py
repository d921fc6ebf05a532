"""Regional collation on the command line: ``lgf export round-return`` (a partnership's round for the
regional lead, sealed for the lead's key or with a passphrase) and ``lgf partnerships`` (in a regional
database: each partnership with its rounds and their counts). Importing a round is ``lgf import``."""

from __future__ import annotations

import argparse
from pathlib import Path

from ...dates import short_date_time
from ...errors import UserError
from ...safe_text import visible
from ..opening import open_database
from ..options import add_override_identifying, add_sealing_options, sealing_choice


def register(commands: argparse._SubParsersAction, exports: argparse._SubParsersAction) -> None:
    ret = exports.add_parser("round-return", help="this partnership's round for the regional report (.lgfx)")
    ret.add_argument("--round", required=True, metavar="LABEL")
    ret.add_argument("--out", required=True, metavar="FILE.lgfx", type=Path)
    ret.add_argument("--to", metavar="NAME", help="the regional lead, whose public key is in your key book")
    add_sealing_options(ret)
    add_override_identifying(ret)
    ret.set_defaults(handler=cmd_round_return)
    listing = commands.add_parser("partnerships", help="the partnerships in this database with their rounds "
                                                       "and counts (a regional database)")
    listing.set_defaults(handler=cmd_partnerships)


def cmd_round_return(args: argparse.Namespace) -> int:
    if args.out.suffix.lower() != ".lgfx":
        raise UserError("The round for the regional report is written as an exchange file: give --out a name ending .lgfx.")
    from ...exchange.senders import known_keys
    from ...services.region.round_file import export_round

    passphrase = sealing_choice(args)
    db = open_database(args)
    with db.session() as session:
        to = None
        if args.to and not passphrase:
            wanted = args.to.strip().casefold()
            matches = [key for person, key in known_keys(session) if person.name.casefold() == wanted]
            if not matches:
                raise UserError(f"No public key is known here for {args.to}: import theirs first (lgf keys import).")
            to = matches[0]
        path, what = export_round(session, args.round, args.out, author=db.user, passphrase=passphrase, to=to,
                                  override_identifying=args.override_identifying)
    print(f"Wrote {visible(what)} to {visible(path)}; send it to the regional lead.")
    return 0


def cmd_partnerships(args: argparse.Namespace) -> int:
    from ...services.region.partnerships import partnership_rounds

    db = open_database(args)
    with db.session() as session:
        rows = partnership_rounds(session)
    if not rows:
        print("No partnership yet.")
        return 0
    for row in rows:
        source = "imported, read-only" if row.imported else "this database's own"
        print(f"{visible(row.name)} ({source})")
        for r in row.rounds:
            made = f"; exported {short_date_time(r.exported_at)}" if r.exported_at else ""
            print(f"  {visible(r.label)}: {r.reviews} review(s) ({r.held} held, {r.declined} declined), "
                  f"{r.organisations} organisation(s), {r.recommendations} recommendation(s){made}")
    return 0
