"""The written Section 11 self-assessment (year one) on the command line:
``lgf self-assessments --round LABEL`` (each organisation's state and its counts by rating),
``lgf export self-assessment-form --round LABEL (--organisation NAME | --all) --out FILE.xlsx|FOLDER``
and ``lgf export self-assessment-report --round LABEL --out FILE.docx``. Returned forms come back in
with ``lgf import FILE.xlsx…`` (``commands.exchange``)."""

from __future__ import annotations

import argparse
from pathlib import Path

from ...dates import short_date
from ...errors import UserError
from ...safe_text import visible
from ...services.review.rounds import find_round
from ..opening import open_database
from ..options import add_override_identifying
from .export_s11 import check_docx_target


def register(commands: argparse._SubParsersAction, exports: argparse._SubParsersAction) -> None:
    listing = commands.add_parser("self-assessments", help="a self-assessment round's organisations, their state "
                                                           "and counts by rating")
    listing.add_argument("--round", required=True, metavar="LABEL", help="the self-assessment round, e.g. 2020-21")
    listing.set_defaults(handler=cmd_list)
    form = exports.add_parser("self-assessment-form", help="the self-assessment form (.xlsx) of one organisation, "
                                                           "or of all of them into a folder with covering e-mails")
    form.add_argument("--round", required=True, metavar="LABEL")
    who = form.add_mutually_exclusive_group(required=True)
    who.add_argument("--organisation", metavar="NAME", help="one organisation (full or short name)")
    who.add_argument("--all", action="store_true", help="every organisation asked, into the folder --out")
    form.add_argument("--out", required=True, type=Path, metavar="FILE.xlsx|FOLDER")
    add_override_identifying(form)
    form.set_defaults(handler=cmd_export_form)
    report = exports.add_parser("self-assessment-report", help="the year-one self-assessment report (Word)")
    report.add_argument("--round", required=True, metavar="LABEL")
    report.add_argument("--out", required=True, type=Path, metavar="FILE.docx")
    add_override_identifying(report)
    report.set_defaults(handler=cmd_export_report)


def cmd_list(args: argparse.Namespace) -> int:
    from ...services.self_assessment.collation import collate

    db = open_database(args)
    try:
        with db.session() as session:
            collation = collate(session, find_round(session, args.round))
    finally:
        db.close()
    labels = collation.scale.labels
    print(f"Self-assessment {visible(collation.round_label)}: {len(collation.rows)} organisations, "
          f"{len(collation.standards)} standards")
    print("\t".join(["Organisation", "State", "Returned", "Chased", *labels, "Not rated"]))
    for row in collation.rows:
        counts = [str(row.count(label)) for label in labels]
        unrated = len(collation.standards) - sum(1 for c in row.cells.values() if c.agreed)
        print("\t".join([visible(row.organisation), row.state, short_date(row.returned_on) if row.returned_on else "",
                         ", ".join(short_date(d) for d in row.chased), *counts, str(unrated)]))
    states = collation.states()
    print(f"Returned {states.get('returned', 0)}, partly {states.get('partly', 0)}, not yet {states.get('not yet', 0)}.")
    return 0


def cmd_export_form(args: argparse.Namespace) -> int:
    from ...exports.self_assessment_form import export_all_forms, export_form
    from ...services.self_assessment.moderation import find_return

    out = args.out.expanduser()
    if not args.all and out.suffix.lower() != ".xlsx":
        raise UserError(f"The form must be written to a file ending in .xlsx (got {out.name}).")
    if args.all and out.suffix.lower() == ".xlsx":
        raise UserError(f"With --all, --out names a folder for the forms (got {out.name}).")
    db = open_database(args)
    try:
        with db.session() as session:
            round_ = find_round(session, args.round)
            if args.all:
                written = export_all_forms(session, round_, out, override_identifying=args.override_identifying)
                message = (f"Wrote {len(written)} self-assessment forms for {round_.label} into {out}, each with "
                           "its covering e-mail text.")
            else:
                organisation = find_return(session, round_, args.organisation).organisation
                message = export_form(session, round_, organisation, out,
                                      override_identifying=args.override_identifying)
            if args.override_identifying:
                session.commit()  # the override is recorded in the change history
            else:
                session.rollback()
    finally:
        db.close()
    print(visible(message))
    return 0


def cmd_export_report(args: argparse.Namespace) -> int:
    from ...exports.self_assessment_docx import export_self_assessment_report

    target = check_docx_target(args.out.expanduser())
    db = open_database(args)
    try:
        with db.session() as session:
            message = export_self_assessment_report(session, find_round(session, args.round), target, author=db.user,
                                                    override_identifying=args.override_identifying)
            if args.override_identifying:
                session.commit()
            else:
                session.rollback()
    finally:
        db.close()
    print(visible(message))
    return 0
