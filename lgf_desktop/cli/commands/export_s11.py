"""``lgf export report`` and ``lgf export template``: a round's Section 11 report or its question
template as a Word document. Warnings (what is missing) go to stderr; the exit status is 0."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ...errors import UserError
from ...safe_text import visible
from ...services.review.rounds import find_round
from ..opening import open_database
from ..options import add_override_identifying, add_word_template


def register(commands: argparse._SubParsersAction, exports: argparse._SubParsersAction) -> None:
    for kind, help_text in (
        ("report", "a round's Section 11 report (Word)"),
        ("template", "a round's question template for organisations (Word)"),
    ):
        parser = exports.add_parser(kind, help=help_text)
        parser.add_argument("--round", required=True, metavar="LABEL", help="the round, e.g. 2021-22")
        parser.add_argument("--out", required=True, metavar="FILE.docx", type=Path, help="the Word file to write")
        add_word_template(parser)
        if kind == "report":
            add_override_identifying(parser)
        parser.set_defaults(handler=cmd_export_s11, what=kind)


def check_docx_target(path: Path) -> Path:
    if path.suffix.lower() != ".docx":
        raise UserError(f"The output file must end in .docx (got {path.name}).")
    if path.is_dir():
        raise UserError(f"{path} is a folder; give the name of a .docx file to write.")
    return path


def cmd_export_s11(args: argparse.Namespace) -> int:
    # Imported here, not at the top: every `lgf` command (check, rounds…) would pay for Word/PDF.
    from ...exports.report_docx import export_report
    from ...exports.template_docx import export_template

    target = check_docx_target(args.out.expanduser())
    db = open_database(args)
    author = db.author
    with db.session() as session:
        round_ = find_round(session, args.round)
        if args.what == "report":
            override = args.override_identifying
            preview = export_report(session, round_, target, author=author, override_identifying=override,
                                    template=args.template)
        else:
            override = False
            preview = export_template(session, round_, target, author=author, template=args.template)
        if not override:
            session.rollback()  # an export changes nothing (an override is kept: it is recorded in the history)
    for warning in preview.warnings:
        print(f"warning: {visible(warning)}", file=sys.stderr)
    print(f"Wrote {visible(target)}: {visible(preview.summary())}")
    return 0
