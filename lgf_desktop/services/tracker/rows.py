"""The recommendation tracker, read side: one row per recommendation with its derived reference,
responsible organisation and urgency; filters and search; the summary counts; the carry-forward
list for a later review of the same organisation; the choices the tracker's filters offer.

Rows are plain frozen dataclasses loaded with a handful of queries (never one per row), so the
tracker screen and the exports share them and no ORM object outlives its session.

Section 11 references follow the report's numbering (``services.review.numbering``): organisations in report
order, each one's recommendations in template order, numbered 1…n; the partnership's own A, B, ….
They are computed here in bulk with the same ordering; a test holds the two to the same answer.
"""

from __future__ import annotations

import gc
from collections import defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy import Connection, String, case, func, select, type_coerce
from sqlalchemy.orm import Session, aliased

from ...collation import by_name
from ...errors import UserError
from ...models import (
    OPEN_STATUSES, Audit, Organisation, Person, ProgressNote, Question, Recommendation, Review, Round,
    SourceKind, Theme,
)
from ..review.numbering import letter

SELF_ASSESSMENT = "self-assessment"  # the round kind whose recommendations are referenced, not numbered

DUE_SOON_DAYS = 28  # "due soon" = due within four weeks (one partnership executive cycle)
PARTNERSHIP = "Partnership"  # how the partnership's own recommendations show as "organisation"
CLOSED_STATUSES = ("complete", "closed - not achieved")


@dataclass(slots=True)  # not frozen: a frozen dataclass is several times slower to build
class TrackerRow:
    id: int
    reference: str
    short_reference: str  # for a narrow table column: "S11 2021-22 · 4", "Audit 2025-26 Q2 · 1"
    source: str
    source_kind_id: int | None
    round_id: int | None
    round_label: str
    audit_id: int | None
    review_id: int | None
    organisation_id: int | None
    organisation: str  # display name, or "Partnership"
    organisation_full: str  # full name (for the exports' group headings)
    text: str
    lead: str
    lead_person_id: int | None
    due_date: date | None
    status: str
    evidence_of_impact: str
    no_evidence_reason: str
    closed_on: date | None
    note_count: int
    last_note: str
    last_note_date: date | None
    version: int = 0  # the recommendation's record version, which a save from the tracker names
    # Worked out on the first search, not at loading: most openings of the tracker never search.
    _search_text: str | None = field(default=None, init=False, repr=False, compare=False)

    @property
    def search_text(self) -> str:
        """Lower-cased reference, organisation, lead and texts, for the search box."""
        if self._search_text is None:
            self._search_text = " ".join((self.reference, self.organisation_full, self.organisation, self.lead,
                                          self.text, self.evidence_of_impact, self.last_note)).lower()
        return self._search_text

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    def is_overdue(self, today: date) -> bool:
        return self.is_open and self.due_date is not None and self.due_date < today

    def is_due_soon(self, today: date) -> bool:
        return (self.is_open and self.due_date is not None
                and today <= self.due_date <= today + timedelta(days=DUE_SOON_DAYS))

    def urgency(self, today: date) -> str:
        """'Overdue by 12 days', 'Due in 5 days', 'Due today' or '' — said in words, not only colour."""
        if not self.is_open or self.due_date is None:
            return ""
        days = (self.due_date - today).days
        if days < 0:
            return f"Overdue by {-days} day{'s' if days != -1 else ''}"
        if days == 0:
            return "Due today"
        if days <= DUE_SOON_DAYS:
            return f"Due in {days} day{'s' if days != 1 else ''}"
        return ""


@dataclass
class TrackerFilter:
    """What the tracker shows; None / "" / False means 'any'."""

    source_kind_id: int | None = None
    organisation_id: int | None = None
    partnership_only: bool = False
    status: str = ""  # a status, or "open" for not started + in progress
    round_id: int | None = None
    audit_id: int | None = None
    overdue_only: bool = False
    search: str = ""

    def accepts(self, row: TrackerRow, today: date) -> bool:
        return self.predicate(today)(row)

    def predicate(self, today: date) -> Callable[[TrackerRow], bool]:
        """``accepts`` with everything worked out once, for filtering thousands of rows."""
        words = self.search.lower().split()
        tests: list[Callable[[TrackerRow], bool]] = []
        if self.source_kind_id is not None:
            tests.append(lambda row: row.source_kind_id == self.source_kind_id)
        if self.partnership_only:
            tests.append(lambda row: row.organisation_id is None)
        if self.organisation_id is not None:
            tests.append(lambda row: row.organisation_id == self.organisation_id)
        if self.status == "open":
            tests.append(lambda row: row.status in OPEN_STATUSES)
        elif self.status:
            tests.append(lambda row: row.status == self.status)
        if self.round_id is not None:
            tests.append(lambda row: row.round_id == self.round_id)
        if self.audit_id is not None:
            tests.append(lambda row: row.audit_id == self.audit_id)
        if self.overdue_only:
            tests.append(lambda row: row.is_overdue(today))
        if words:
            tests.append(lambda row: all(word in row.search_text for word in words))
        if not tests:
            return lambda row: True
        if len(tests) == 1:
            return tests[0]
        return lambda row: all(test(row) for test in tests)


def audit_title(theme: str, quarter: str) -> str:
    return " ".join(part for part in ("Multi-agency audit", theme, quarter) if part)


def _section11_numbers(connection: Connection) -> dict[int, str]:
    """Recommendation id → report number or letter, for every round at once (see module docstring).

    SQLite sorts them in report order: per round, the reviews' recommendations (the review's report
    order, then ``numbering.template_order_key``) before the partnership's own, wherever agreed (position, id); a
    recommendation's question only counts when it belongs to a review, as in ``numbering``.
    """
    in_review = Recommendation.review_id.is_not(None) & Recommendation.is_partnership.is_(False)
    query = (
        select(Recommendation.id, Recommendation.round_id, Recommendation.is_partnership)
        .join(Review, Recommendation.review_id == Review.id, isouter=True)
        .join(Question, (Recommendation.question_id == Question.id) & in_review, isouter=True)
        .join(Theme, Question.theme_id == Theme.id, isouter=True)
        # A self-assessment round's recommendations carry their own reference (no report numbers).
        .join(Round, Recommendation.round_id == Round.id)
        .where(Recommendation.round_id.is_not(None), in_review | Recommendation.is_partnership.is_(True),
               Round.kind != SELF_ASSESSMENT)
        # The partnership's own (wherever agreed: for the round, in a review) by position alone.
        .order_by(Recommendation.round_id, Recommendation.is_partnership,
                  case((Recommendation.is_partnership.is_(True), 0), else_=Review.position),
                  case((Recommendation.is_partnership.is_(True), 0), else_=Recommendation.review_id),
                  Question.id.is_(None), Theme.position, Question.position,
                  Recommendation.position, Recommendation.id)
    )
    numbers: dict[int, str] = {}
    group, count = None, 0
    for rec_id, round_id, is_partnership in connection.execute(query).all():
        if (round_id, bool(is_partnership)) != group:  # numbers start again per round, letters after them
            group, count = (round_id, bool(is_partnership)), 0
        numbers[rec_id] = letter(count) if is_partnership else str(count + 1)
        count += 1
    return numbers


def _audit_numbers(connection: Connection) -> dict[int, int]:
    rows = connection.execute(
        select(Recommendation.id, Recommendation.audit_id)
        .where(Recommendation.audit_id.is_not(None))
        .order_by(Recommendation.audit_id, Recommendation.position, Recommendation.id)
    )
    numbers: dict[int, int] = {}
    counts: dict[int, int] = defaultdict(int)
    for rec_id, audit_id in rows:
        counts[audit_id] += 1
        numbers[rec_id] = counts[audit_id]
    return numbers


def _notes_summary(connection: Connection, ids: list[int] | None) -> dict[int, tuple[int, str, date | None]]:
    """Recommendation id → (number of progress notes, latest note's text, its date): the latest date
    and, among notes of one date, the one added last.

    On SQLite, one grouped pass: SQLite takes the bare columns (text, date) from the row holding the
    MAX. Several times faster than a window function over 20,000 notes. PostgreSQL has no bare columns
    in a grouped query: there a window function picks the same note (the tests run both).
    """
    if connection.dialect.name != "sqlite":
        return _notes_summary_ranked(connection, ids)
    latest = func.max(type_coerce(ProgressNote.note_date, String) + func.printf("%012d", ProgressNote.id), type_=String)
    query = (select(ProgressNote.recommendation_id, func.count(ProgressNote.id), ProgressNote.text,
                    ProgressNote.note_date, latest)
             .group_by(ProgressNote.recommendation_id))
    if ids is not None:
        query = query.where(ProgressNote.recommendation_id.in_(ids))
    return {rec_id: (n, text, when) for rec_id, n, text, when, _ in connection.execute(query).all()}


def _notes_summary_ranked(connection: Connection, ids: list[int] | None) -> dict[int, tuple[int, str, date | None]]:
    """The same summary with a window function: each recommendation's notes numbered newest first."""
    rank = func.row_number().over(partition_by=ProgressNote.recommendation_id,
                                  order_by=(ProgressNote.note_date.desc(), ProgressNote.id.desc()))
    count = func.count().over(partition_by=ProgressNote.recommendation_id)
    ranked = select(ProgressNote.recommendation_id, ProgressNote.text, ProgressNote.note_date,
                    rank.label("rank"), count.label("notes"))
    if ids is not None:
        ranked = ranked.where(ProgressNote.recommendation_id.in_(ids))
    ranked = ranked.subquery()
    query = select(ranked.c.recommendation_id, ranked.c.notes, ranked.c.text, ranked.c.note_date).where(ranked.c.rank == 1)
    return {rec_id: (n, text, when) for rec_id, n, text, when in connection.execute(query).all()}


@contextmanager
def _without_cycle_collection() -> Iterator[None]:
    """Python's cycle collector paused while thousands of rows (which hold no cycles) are built: it
    would otherwise run dozens of times over them and the whole heap, about a third of the time taken
    to load a large tracker. Reference counting still frees everything as usual."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def tracker_rows(session: Session, flt: TrackerFilter | None = None, today: date | None = None,
                 ids: list[int] | None = None) -> list[TrackerRow]:
    """Every recommendation (or those with ``ids``) as tracker rows, in a stable order: by source,
    then round or audit, then reference number."""
    today = today or date.today()
    with _without_cycle_collection():
        rows = _load_rows(session, ids)
    return list(filter(flt.predicate(today), rows)) if flt is not None else rows


def _load_rows(session: Session, ids: list[int] | None) -> list[TrackerRow]:
    lead = aliased(Person)
    query = (
        select(Recommendation.id, Recommendation.reference, Recommendation.source_kind_id, SourceKind.name,
               SourceKind.position, Recommendation.round_id, Round.label, Recommendation.audit_id, Audit.theme,
               Audit.quarter, Recommendation.review_id, Recommendation.organisation_id, Organisation.name,
               Organisation.short_name, Recommendation.is_partnership, Recommendation.text, lead.name, lead.id,
               Recommendation.due_date, Recommendation.status, Recommendation.evidence_of_impact,
               Recommendation.no_evidence_reason, Recommendation.closed_on, Recommendation.version,
               Recommendation.full_text)
        .join(SourceKind, Recommendation.source_kind_id == SourceKind.id, isouter=True)
        .join(Round, Recommendation.round_id == Round.id, isouter=True)
        .join(Audit, Recommendation.audit_id == Audit.id, isouter=True)
        .join(Organisation, Recommendation.organisation_id == Organisation.id, isouter=True)
        .join(lead, Recommendation.lead_person_id == lead.id, isouter=True)
        # Rounds imported from other partnerships for the regional report are theirs to follow up.
        .where(Round.read_only.is_not(True))
    )
    if ids is not None:
        query = query.where(Recommendation.id.in_(ids))
    connection = session.connection()
    s11, audits, notes = _section11_numbers(connection), _audit_numbers(connection), _notes_summary(connection, ids)
    found = connection.execute(query).all()
    no_notes = (0, "", None)
    keyed: list[tuple] = []
    for (rec_id, reference, kind_id, kind, kind_pos, round_id, round_label, audit_id, audit_theme, quarter,
         review_id, org_id, org_name, org_short, is_partnership, text, lead_name, lead_id, due, status, evidence,
         no_evidence, closed_on, version, full_text) in found:
        # Followed up in the words of the report's recommendations table: the full wording when given.
        text = (full_text or "").strip() or text
        number = s11.get(rec_id) if round_id is not None else None
        if number is not None:
            ref = f"Section 11 {round_label}, recommendation {number}"
            short = f"S11 {round_label} · {number}"
        elif audit_id is not None:
            number = str(audits[rec_id])
            ref = f"{audit_title(audit_theme, quarter)}, recommendation {number}"
            short = f"Audit {quarter or audit_theme} · {number}"
        else:
            ref = short = reference or (f"{kind}" if kind else "No reference")
            if round_label and reference.startswith(f"Section 11 self-assessment {round_label}, recommendation "):
                # Year one's references ("…, recommendation 3") in the narrow column as "SA 2020-21 · 3".
                short = f"SA {round_label} · {reference.rsplit(' ', 1)[-1]}"
            number = ""
        if org_id is not None:
            organisation, organisation_full = org_short or org_name, org_name
        else:
            organisation = organisation_full = PARTNERSHIP if is_partnership else "Not assigned"
        count, last_note, last_date = notes.get(rec_id, no_notes)
        row = TrackerRow(rec_id, ref, short, kind or "", kind_id, round_id, round_label or "", audit_id, review_id,
                         org_id, organisation, organisation_full, text, lead_name or "", lead_id, due, status,
                         evidence, no_evidence, closed_on, count, last_note, last_date, version)
        # Sorted by source, round, audit, then number: numbers as numbers ("10" after "9"), letters
        # after them. The id is unique, so two rows never get as far as comparing the rows themselves.
        if number.isdigit():
            keyed.append((kind_pos if kind_pos is not None else 99, round_label or "", audit_id or 0, 0, int(number),
                          "", rec_id, row))
        else:
            keyed.append((kind_pos if kind_pos is not None else 99, round_label or "", audit_id or 0, 1, 0, number,
                          rec_id, row))
    keyed.sort()
    return [key[-1] for key in keyed]


@dataclass(frozen=True)
class Summary:
    by_status: dict[str, int]
    overdue: int
    due_soon: int
    closed_last_quarter: int
    total: int


def quarter_start(today: date) -> date:
    """The same day three months before ``today`` (the last day of a shorter month when needed)."""
    year, month = (today.year, today.month - 3) if today.month > 3 else (today.year - 1, today.month + 9)
    day = today.day
    while True:
        try:
            return date(year, month, day)
        except ValueError:
            day -= 1


def summary(rows: list[TrackerRow], today: date) -> Summary:
    """Counts by status, overdue, due soon, and closed in the last quarter (the last three months)."""
    from ...models import RECOMMENDATION_STATUSES

    by_status = {status: 0 for status in RECOMMENDATION_STATUSES}
    since = quarter_start(today)
    overdue = due_soon = closed = 0
    # The row's own rules, never a copy of them: the summary must agree with the rows it counts.
    for row in rows:
        by_status[row.status] = by_status.get(row.status, 0) + 1
        if row.is_overdue(today):
            overdue += 1
        elif row.is_due_soon(today):
            due_soon += 1
        elif row.status in CLOSED_STATUSES and row.closed_on is not None and since <= row.closed_on <= today:
            closed += 1
    return Summary(by_status=by_status, overdue=overdue, due_soon=due_soon, closed_last_quarter=closed,
                   total=len(rows))


def carry_forward(session: Session, review_id: int, today: date | None = None) -> list[TrackerRow]:
    """The reviewed organisation's still-open recommendations from earlier rounds and from audits
    (those that began on or before the review), for the panel to ask about in the workshop."""
    review = session.get(Review, review_id)
    if review is None:
        raise UserError("That review no longer exists.")
    label = review.round.label
    when = review.review_date or today or date.today()
    ids = session.scalars(
        select(Recommendation.id)
        .join(Round, Recommendation.round_id == Round.id, isouter=True)
        .join(Audit, Recommendation.audit_id == Audit.id, isouter=True)
        .where(
            Recommendation.organisation_id == review.organisation_id,
            Recommendation.status.in_(OPEN_STATUSES),
            ((Recommendation.round_id.is_not(None)) & (Round.label < label))
            | ((Recommendation.audit_id.is_not(None)) & ((Audit.start_date.is_(None)) | (Audit.start_date <= when))),
        )
    ).all()
    return tracker_rows(session, today=today, ids=list(ids)) if ids else []


@dataclass(frozen=True)
class Choices:
    """(id, name) pairs for the tracker's filters and forms."""

    sources: list[tuple[int, str]]
    organisations: list[tuple[int, str]]
    rounds: list[tuple[int, str]]
    audits: list[tuple[int, str]]
    people: list[tuple[int, str]]


def choices(session: Session) -> Choices:
    return Choices(
        sources=list(session.execute(select(SourceKind.id, SourceKind.name).order_by(SourceKind.position, SourceKind.id))),
        organisations=by_name(session.execute(select(Organisation.id, Organisation.name)), lambda row: row[1]),
        rounds=list(session.execute(select(Round.id, Round.label).where(Round.read_only.is_(False)).order_by(Round.label))),
        audits=[(a_id, audit_title(theme, quarter)) for a_id, theme, quarter in
                session.execute(select(Audit.id, Audit.theme, Audit.quarter).order_by(Audit.start_date, Audit.id))],
        people=by_name(session.execute(select(Person.id, Person.name)), lambda row: row[1]),
    )


def find_organisation(session: Session, name: str) -> int | None:
    """The organisation called ``name`` (full or short name, any case); None for the partnership's
    own recommendations ("partnership" or the partnership's name)."""
    wanted = name.strip().casefold()
    from ..review.rounds import the_partnership

    partnership = the_partnership(session)
    if wanted == PARTNERSHIP.casefold() or (partnership is not None and wanted == partnership.name.casefold()):
        return None
    orgs = session.execute(select(Organisation.id, Organisation.name, Organisation.short_name)).all()
    for org_id, full, short in orgs:
        if wanted in (full.casefold(), (short or "").casefold()):
            return org_id
    known = "; ".join(sorted(full for _, full, _ in orgs)) or "none yet"
    raise UserError(f"There is no organisation called {name!r} (organisations: {known}).")
