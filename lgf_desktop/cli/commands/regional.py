"""``lgf export regional-report`` (the regional Section 11 report from a database holding several
partnerships' rounds of one label) and ``lgf export template-package`` (a round's question template
as an exchange file for the region's partnerships to import)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ...errors import UserError
from ...safe_text import visible
from ...services.partnership import word_template_source
from ...services.review.rounds import find_round, the_partnership
from ..opening import open_database
from ..options import add_override_identifying, add_sealing_options, add_word_template, sealing_choice
from .export_s11 import check_docx_target


def register(commands: argparse._SubParsersAction, exports: argparse._SubParsersAction) -> None:
    report = exports.add_parser("regional-report", help="the regional Section 11 report of every partnership's round "
                                                        "with this label in the database (Word)")
    report.add_argument("--round", required=True, metavar="LABEL", help="the round, e.g. 2021-22")
    report.add_argument("--out", required=True, metavar="FILE.docx", type=Path, help="the Word file to write")
    add_word_template(report)
    add_override_identifying(report)
    report.set_defaults(handler=cmd_regional_report)
    package = exports.add_parser("template-package", help="a round's question template as an exchange file (.lgfx) "
                                                          "for the region's partnerships to import")
    package.add_argument("--round", required=True, metavar="LABEL", help="the round, e.g. 2021-22")
    package.add_argument("--out", required=True, metavar="FILE.lgfx", type=Path, help="the exchange file to write")
    add_sealing_options(package)
    package.set_defaults(handler=cmd_template_package)


def cmd_regional_report(args: argparse.Namespace) -> int:
    # Imported here: every `lgf` command would otherwise pay for python-docx.
    from ...exports.regional_data import read_regional
    from ...exports.regional_docx import export_regional_report

    target = check_docx_target(args.out.expanduser())
    db = open_database(args)
    try:
        with db.session() as session:
            data = read_regional(session, args.round)
            own = the_partnership(session)
            warnings = export_regional_report(session, data, target, author=db.author,
                                              override_identifying=args.override_identifying,
                                              template=args.template,
                                              stored_template=word_template_source(own))
            if not args.override_identifying:
                session.rollback()  # an export changes nothing (an override is recorded in the history)
    finally:
        db.close()
    for warning in warnings:
        print(f"warning: {visible(warning)}", file=sys.stderr)
    organisations = len({o for p in data.parts for o in p.report.included})
    print(f"Wrote {visible(target)}: the regional report of round {visible(args.round)}, "
          f"{len(data.parts)} partnership(s), {organisations} review(s).")
    return 0


def cmd_template_package(args: argparse.Namespace) -> int:
    from ...services.review.template_package import export_template_package

    if args.out.suffix.lower() != ".lgfx":
        raise UserError(f"The output file must end in .lgfx (got {args.out.name}).")
    db = open_database(args)
    try:
        with db.session() as session:
            round_ = find_round(session, args.round)
            written = export_template_package(session, round_, args.out.expanduser(), author=db.author,
                                              passphrase=sealing_choice(args))
            themes = len(round_.themes)
    finally:
        db.close()
    print(f"Wrote the question template of round {visible(args.round)} ({themes} themes) to {visible(written)}; "
          "each partnership imports it with lgf import.")
    return 0
