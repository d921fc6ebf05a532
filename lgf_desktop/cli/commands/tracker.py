"""``lgf export tracker`` (Word or CSV, optionally one organisation / one status) and
``lgf export update-request`` (one organisation's open recommendations, with space for progress)."""

from __future__ import annotations

import argparse
from datetime import date
from pathlib import Path

from ...dates import parse_date
from ...errors import UserError
from ...models import RECOMMENDATION_STATUSES
from ...safe_text import visible
from ...services.tracker.rows import TrackerFilter, find_organisation, tracker_rows
from ..opening import open_database
from ..options import add_override_identifying, add_word_template

STATUS_WORDS = ("open",) + RECOMMENDATION_STATUSES


def register(commands: argparse._SubParsersAction, exports: argparse._SubParsersAction) -> None:
    tracker = exports.add_parser("tracker", help="the recommendation tracker to Word (.docx) or Excel (.csv)")
    tracker.add_argument("--out", required=True, type=Path, metavar="FILE", help="FILE.docx or FILE.csv")
    tracker.add_argument("--organisation", metavar="NAME", help="only this organisation ('partnership' for its own)")
    tracker.add_argument("--status", metavar="S", help=f"only this status: {', '.join(STATUS_WORDS)}")
    tracker.add_argument("--overdue", action="store_true", help="only overdue recommendations")
    add_word_template(tracker)
    add_override_identifying(tracker)
    tracker.set_defaults(handler=cmd_tracker)
    request = exports.add_parser("update-request",
                                 help="one organisation's open recommendations with space for progress (.docx)")
    request.add_argument("--organisation", required=True, metavar="NAME", help="the organisation ('partnership' for its own)")
    request.add_argument("--out", required=True, type=Path, metavar="FILE", help="FILE.docx")
    request.add_argument("--return-by", metavar="DATE", help="the date to return it by, e.g. 14/03/2025 or 2025-03-14")
    add_word_template(request)
    add_override_identifying(request)
    request.set_defaults(handler=cmd_update_request)


def _suffix(path: Path, allowed: tuple[str, ...]) -> str:
    suffix = path.suffix.lower()
    if suffix not in allowed:
        raise UserError(f"The output file must end in {' or '.join(allowed)}, not {path.name}.")
    return suffix


def cmd_tracker(args: argparse.Namespace) -> int:
    # Imported here, not at the top: every `lgf` command (check, rounds…) would pay for Word/PDF.
    from ...exports.tracker_csv import write_tracker_csv
    from ...exports.tracker_docx import write_tracker_docx

    suffix = _suffix(args.out, (".docx", ".csv"))
    status = (args.status or "").strip().lower().replace("–", "-")
    if status and status not in STATUS_WORDS:
        raise UserError(f"{args.status!r} is not a status; use one of: {', '.join(STATUS_WORDS)}.")
    db = open_database(args)
    author = db.author
    today = date.today()
    with db.session() as session:
        flt = TrackerFilter(status=status, overdue_only=args.overdue)
        shown = [f"status {status}"] if status else []
        if args.organisation:
            org_id = find_organisation(session, args.organisation)
            flt.organisation_id, flt.partnership_only = org_id, org_id is None
            shown.insert(0, args.organisation.strip())
        if args.overdue:
            shown.append("overdue only")
        rows = tracker_rows(session, flt, today=today)
        if suffix == ".csv":
            written = write_tracker_csv(session, rows, args.out, today=today,
                                        override_identifying=args.override_identifying)
        else:
            written = write_tracker_docx(session, rows, args.out, today=today, selection="; ".join(shown),
                                         author=author, override_identifying=args.override_identifying,
                                         template=args.template)
    print(f"Wrote {len(rows)} recommendation{'s' if len(rows) != 1 else ''} to {visible(written)}.")
    return 0


def cmd_update_request(args: argparse.Namespace) -> int:
    from ...exports.tracker_docx import write_update_request

    _suffix(args.out, (".docx",))
    return_by = parse_date(args.return_by or "")
    db = open_database(args)
    author = db.author
    with db.session() as session:
        org_id = find_organisation(session, args.organisation)
        written = write_update_request(session, org_id, args.out, return_by=return_by, author=author,
                                       override_identifying=args.override_identifying, template=args.template)
    print(f"Wrote the update request for {visible(args.organisation.strip())} to {visible(written)}.")
    return 0
