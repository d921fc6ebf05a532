"""The report's numbered appendices (no Qt): texts of the round's own — a title and a body, with the
round's placeholders — and the place of the question template among them, so the Methodology can say
"A copy of the question template can be found at Appendix 2", as the seed report does.

A round with no appendix rows has the question template alone, as Appendix 1; the first appendix
added places the template first, and Up/Down reorders them. The template is always one of them.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from ...errors import UserError
from ...models import ReportAppendix, Round
from .report_texts import check_placeholders
from .rounds import move

MAX_TITLE_CHARS = 200
TEMPLATE = "question template"
TEMPLATE_TITLE = "Question Template"


def appendices(round_: Round) -> list[ReportAppendix]:
    return sorted(round_.appendices, key=lambda a: (a.position, a.id or 0))


def placed(round_: Round) -> list[ReportAppendix]:
    """The round's appendices, the question template made a row of its own when it was only implied."""
    items = appendices(round_)
    if not any(a.kind == TEMPLATE for a in items):
        round_.appendices.append(ReportAppendix(kind=TEMPLATE, title="", text="", position=len(items)))
        items = appendices(round_)
    return items


def _round(session: Session, round_id: int) -> Round:
    round_ = session.get(Round, round_id)
    if round_ is None:
        raise UserError("That round is no longer in the database.")
    return round_


def clean_title(title: str) -> str:
    title = " ".join((title or "").split())
    if not title:
        raise UserError("An appendix needs a title, such as “Section 11 standards”.")
    if len(title) > MAX_TITLE_CHARS:
        raise UserError(f"An appendix title can be at most {MAX_TITLE_CHARS} characters.")
    return title


def add_appendix(session: Session, round_id: int, title: str, text: str = "") -> ReportAppendix:
    """A text appendix after the others (Up/Down moves it before the question template)."""
    round_ = _round(session, round_id)
    check_placeholders("appendix", text)
    items = placed(round_)
    appendix = ReportAppendix(kind="text", title=clean_title(title), text=text, position=len(items))
    round_.appendices.append(appendix)
    session.flush()
    return appendix


def move_appendix(session: Session, appendix_id: int, delta: int) -> bool:
    appendix = session.get(ReportAppendix, appendix_id)
    if appendix is None:
        raise UserError("That appendix is no longer in the database.")
    return move(placed(appendix.round), appendix, delta)


def check_removable(session: Session, appendix_id: int) -> ReportAppendix:
    """Refuse removing the question template's place: the report always has it as an appendix."""
    appendix = session.get(ReportAppendix, appendix_id)
    if appendix is None:
        raise UserError("That appendix is no longer in the database.")
    if appendix.kind == TEMPLATE:
        raise UserError("The question template is always one of the report's appendices; move it instead.")
    return appendix


def in_report_order(round_: Round) -> list[tuple[str, str, str, int | None]]:
    """(kind, title, text, id or None for the implied template) in report order: the template at the
    end when the round has not placed it. The report and the Appendices tab both number these."""
    rows = [(a.kind, TEMPLATE_TITLE if a.kind == TEMPLATE else a.title, a.text if a.kind != TEMPLATE else "", a.id)
            for a in appendices(round_)]
    if not any(kind == TEMPLATE for kind, *_rest in rows):
        rows.append((TEMPLATE, TEMPLATE_TITLE, "", None))
    return rows


def numbered(round_: Round) -> list[tuple[int, str, int | None]]:
    """(number, title as listed, id or None for the implied template) in report order."""
    return [(n, title, rid) for n, (_kind, title, _text, rid) in enumerate(in_report_order(round_), start=1)]
