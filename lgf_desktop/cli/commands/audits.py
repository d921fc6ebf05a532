"""``lgf audits`` and the audit exports: ``lgf export brief``, ``lgf export package`` (an auditor's
cases, for the coordinator) and ``lgf export return`` (the auditor's work, from their own database).
Packages and returns are brought in with ``lgf import FILE.lgfx``."""

from __future__ import annotations

import argparse
from pathlib import Path

from sqlalchemy.orm import Session

from ...errors import UserError
from ...models import Audit, Auditor
from ...safe_text import visible
from ...services.audit.cases import audit_summaries, find_audit
from ...services.audit.exchange import export_return, issue_package
from ...services.audit.merge import unresolved_conflicts
from ..opening import open_database
from ..options import add_override_identifying, add_sealing_options, sealing_choice


def register(commands: argparse._SubParsersAction, exports: argparse._SubParsersAction) -> None:
    audits = commands.add_parser("audits", help="list multi-agency audits with their ids, themes and progress")
    audits.set_defaults(handler=cmd_audits)
    brief = exports.add_parser("brief", help="the one-page learning brief of an audit (PDF)")
    brief.add_argument("--audit", required=True, metavar="ID", help="the audit's id (see lgf audits)")
    brief.add_argument("--out", required=True, type=Path, metavar="FILE.pdf")
    add_override_identifying(brief)
    brief.set_defaults(handler=cmd_brief)
    package = exports.add_parser("package", help="an auditor's package: the audit tool and their assigned cases (.lgfx)")
    package.add_argument("--audit", required=True, metavar="ID")
    package.add_argument("--auditor", required=True, metavar="NAME", help="the auditor's name (or the start of it)")
    package.add_argument("--out", required=True, type=Path, metavar="FILE.lgfx")
    add_override_identifying(package)
    add_sealing_options(package)
    package.set_defaults(handler=cmd_package)
    ret = exports.add_parser("return", help="an auditor's return: their grades and case summaries (.lgfx)")
    ret.add_argument("--audit", required=True, metavar="ID")
    ret.add_argument("--out", required=True, type=Path, metavar="FILE.lgfx")
    add_override_identifying(ret)
    add_sealing_options(ret)
    ret.set_defaults(handler=cmd_return)


def _require_suffix(path: Path, suffix: str) -> None:
    if path.suffix.lower() != suffix:
        raise UserError(f"The output file should end in {suffix} (got {path.name}).")


def cmd_audits(args: argparse.Namespace) -> int:
    db = open_database(args)
    with db.session() as session:
        rows = audit_summaries(session)
        if not rows:
            print("No audits yet.")
            return 0
        print(f"{'Id':>3}  {'Quarter':<11}  {'Cases':>5}  {'Auditors':>8}  {'Graded':>12}  Theme")
        for row in rows:
            audit = row.audit
            graded = f"{row.graded}/{row.expected} {row.percent:>3}%"
            flags = []
            if row.open_concerns:
                flags.append(f"IMMEDIATE CONCERN: {row.open_concerns} open")
            conflicts = len(unresolved_conflicts(session, audit))
            if conflicts:
                flags.append(f"{conflicts} conflict(s) to resolve")
            if audit.is_auditor_copy:
                flags.append("auditor's copy")
            extra = f"  [{'; '.join(flags)}]" if flags else ""
            print(f"{audit.id:>3}  {visible(audit.quarter):<11}  {len(audit.cases):>5}  {len(audit.auditors):>8}  "
                  f"{graded:>12}  {visible(audit.theme)}{extra}")
    return 0


def cmd_brief(args: argparse.Namespace) -> int:
    # Imported here, not at the top: every `lgf` command (check, rounds…) would pay for Word/PDF.
    from ...exports.brief_pdf import write_brief

    _require_suffix(args.out, ".pdf")
    db = open_database(args)
    with db.session() as session:
        audit = find_audit(session, args.audit)
        write_brief(session, audit, args.out, override_identifying=args.override_identifying)
    print(f"Wrote the learning brief of '{visible(audit.theme)}' to {visible(args.out)}.")
    return 0


def _auditor(session: Session, audit: Audit, name: str) -> Auditor:
    wanted = name.strip().casefold()
    matches = [a for a in audit.auditors if a.person.name.casefold().startswith(wanted)]
    if len(matches) != 1:
        names = ", ".join(visible(a.person.name) for a in audit.auditors) or "none yet"
        problem = "No auditor" if not matches else "More than one auditor"
        raise UserError(f"{problem} of this audit is called {name!r} (auditors: {names}).")
    return matches[0]


def cmd_package(args: argparse.Namespace) -> int:
    _require_suffix(args.out, ".lgfx")
    db = open_database(args)
    with db.session() as session:
        audit = find_audit(session, args.audit)
        auditor = _auditor(session, audit, args.auditor)
        issue_package(session, auditor, args.out, author=db.user, override_identifying=args.override_identifying,
                      passphrase=sealing_choice(args))
        cases = ", ".join(a.case.pseudonym for a in sorted(auditor.assignments, key=lambda a: a.case.position))
    print(f"Wrote {visible(auditor.person.name)}'s package ({visible(cases)}) to {visible(args.out)}.")
    return 0


def cmd_return(args: argparse.Namespace) -> int:
    _require_suffix(args.out, ".lgfx")
    db = open_database(args)
    with db.session() as session:
        audit = find_audit(session, args.audit)
        export_return(session, audit, args.out, override_identifying=args.override_identifying,
                      passphrase=sealing_choice(args))
    print(f"Wrote your return for '{visible(audit.theme)}' to {visible(args.out)}; send it to the audit coordinator.")
    return 0
