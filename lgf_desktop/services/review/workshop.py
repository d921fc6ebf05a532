"""The live workshop, without Qt: the clock and theme budgets, attendance, autosaved responses and
recommendations typed inline.

The clock is stored on the review so a restarted app resumes it: ``clock_elapsed_seconds`` is the
time accounted up to ``clock_resumed_at``; while the clock runs, the time since then is added to the
elapsed total and to the current question's theme each time it is accounted (``account``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import Boolean, DateTime, Integer, String, func, select
from sqlalchemy.orm import Session
from sqlalchemy.orm.util import identity_key

from ...dates import long_date
from ...errors import UserError
from ...storage.fixed_statements import FixedStatement
from ...models import (
    REPRESENTATIVE_KINDS, PanelMember, Question, Recommendation, Representative, Response, Review,
    ReviewPanelPresence, Round, SourceKind, ThemeTime, utcnow,
)
from ..region.read_only import refuse_if_read_only
from ..stale import refuse_if_stale, stale_edit
from ..tracker.sources import ensure_source_kinds
from .response_versions import keep_versions
from .responses import set_response

# A line or two typed as someone starts talking is "started"; a paragraph is "answered".
ANSWERED_MIN_WORDS = 15
NEAR_BUDGET = 0.8  # a theme turns amber at 80 % of its budget and red past it
# The minutes of one question: about 3,300 words, five pages of the report's Responses column. The
# Word report renders a response as it was typed, and LibreOffice lays out one long paragraph in time
# that grows much faster than its length: a 100,000-character paragraph took 341 s to convert to PDF,
# 50,000 took 23 s, 20,000 about as long as a report without it (figures in the exchange branch's
# report for issue 10). The exchange files allow no more (``exchange/schemas``).
MAX_RESPONSE_CHARS = 20_000
MAX_DURATION_MINUTES = 8 * 60
# Autosaves of one response by one person within this window are one change in the history,
# from the text before the first save to the text after the last.
HISTORY_COALESCE = timedelta(minutes=10)


def get_review(session: Session, review_id: int) -> Review:
    review = session.get(Review, review_id)
    if review is None:
        raise UserError("That peer review is no longer in the database.")
    return review


# --- the clock -------------------------------------------------------------------------------

def elapsed_seconds(review: Review, now: datetime | None = None) -> float:
    elapsed = review.clock_elapsed_seconds or 0.0
    if review.clock_running and review.clock_resumed_at is not None:
        elapsed += max(0.0, ((now or utcnow()) - review.clock_resumed_at).total_seconds())
    return elapsed


def remaining_seconds(review: Review, now: datetime | None = None) -> float:
    """Time left of the workshop; negative when it has overrun."""
    return review.duration_minutes * 60 - elapsed_seconds(review, now)


def _theme_time(session: Session, review: Review, theme_id: int) -> ThemeTime:
    for row in review.theme_times:
        if row.theme_id == theme_id:
            return row
    row = ThemeTime(review=review, theme_id=theme_id, spent_seconds=0.0)
    session.add(row)
    return row


def current_theme_id(session: Session, review: Review) -> int | None:
    if review.current_question_id is None:
        return None
    question = session.get(Question, review.current_question_id)
    return question.theme_id if question is not None else None


def account(session: Session, review: Review, now: datetime | None = None) -> None:
    """Add the running clock's time since it was last accounted to the total and the current theme."""
    if not review.clock_running or review.clock_resumed_at is None:
        return
    now = now or utcnow()
    delta = max(0.0, (now - review.clock_resumed_at).total_seconds())
    review.clock_elapsed_seconds = (review.clock_elapsed_seconds or 0.0) + delta
    review.clock_resumed_at = now
    theme_id = current_theme_id(session, review)
    if theme_id is not None:
        row = _theme_time(session, review, theme_id)
        row.spent_seconds = (row.spent_seconds or 0.0) + delta


def start_clock(session: Session, review: Review, now: datetime | None = None) -> None:
    if review.clock_running:
        return
    now = now or utcnow()
    review.clock_running = True
    review.clock_resumed_at = now
    if review.actual_start is None:
        review.actual_start = now
    if review.status == "planned":
        review.status = "held"
    if review.review_date is None:
        review.review_date = now.date()


def round_is_past(round_: Round, today: date) -> bool:
    """A round whose year is over: its report month has gone, or (for a label such as "2021-22")
    the financial year ended on 31 March 2022."""
    if round_.report_month is not None and round_.report_month.replace(day=1) < today.replace(day=1):
        return True
    match = re.fullmatch(r"\s*(\d{4})\s*[-/–]\s*(\d{2}|\d{4})\s*", round_.label or "")
    if match:
        end = int(match.group(2)) if len(match.group(2)) == 4 else int(match.group(1)[:2] + match.group(2))
        return today > date(end, 3, 31)
    return False


def clock_start_question(review: Review, today: date | None = None) -> str | None:
    """What to ask before the clock's first start would mark a review of a past round held today
    (None: nothing to ask)."""
    today = today or date.today()
    changes = []
    if review.status == "planned":
        changes.append("marks the review held")
    if review.review_date is None:
        changes.append(f"records {long_date(today)} as its date")
    if not changes or not round_is_past(review.round, today):
        return None
    return (f"This review belongs to round {review.round.label}, which is over. Starting the clock "
            f"{' and '.join(changes)}. Start it?")


def pause_clock(session: Session, review: Review, now: datetime | None = None) -> None:
    if not review.clock_running:
        return
    now = now or utcnow()
    account(session, review, now)
    review.clock_running = False
    review.clock_resumed_at = None
    review.actual_end = now  # the last pause is when the workshop ended, until it resumes


def set_duration(session: Session, review: Review, minutes: int) -> None:
    if not 1 <= minutes <= MAX_DURATION_MINUTES:
        raise UserError(f"A workshop lasts between 1 and {MAX_DURATION_MINUTES} minutes.")
    review.duration_minutes = minutes


def set_current_question(session: Session, review: Review, question_id: int | None,
                         now: datetime | None = None) -> None:
    """Open a question: time so far goes to the theme being left."""
    if question_id == review.current_question_id:
        return
    account(session, review, now)
    review.current_question_id = question_id


# --- theme budgets ---------------------------------------------------------------------------

@dataclass
class ThemeBudget:
    theme_id: int
    title: str
    questions: int
    budget_seconds: float
    spent_seconds: float
    explicit: bool  # set by the chair, not split by question count

    @property
    def remaining_seconds(self) -> float:
        return self.budget_seconds - self.spent_seconds

    @property
    def state(self) -> str:
        return budget_state(self.spent_seconds, self.budget_seconds)


def budget_state(spent: float, budget: float) -> str:
    """'ok', 'near' (amber, from 80 %) or 'over' (red, past the budget)."""
    if budget <= 0:
        return "over" if spent > 0 else "ok"
    if spent > budget:
        return "over"
    return "near" if spent >= NEAR_BUDGET * budget else "ok"


def shares(total: int, weights: list[int]) -> list[int]:
    """``total`` split in whole parts in proportion to ``weights``, adding up to ``total`` exactly
    (largest remainder: the parts rounded down, then one more to those that lost the most)."""
    if not weights or sum(weights) <= 0:
        return [0] * len(weights)
    exact = [total * w / sum(weights) for w in weights]
    parts = [int(x) for x in exact]
    by_remainder = sorted(range(len(weights)), key=lambda i: (-(exact[i] - parts[i]), i))
    for i in by_remainder[:total - sum(parts)]:
        parts[i] += 1
    return parts


def theme_budgets(session: Session, review: Review, now: datetime | None = None) -> list[ThemeBudget]:
    """Each theme's budget: set by the chair, or a share by question count of the whole minutes the
    set ones leave (largest remainder, so the budgets add up to the workshop's length)."""
    themes = review.round.themes
    rows = {row.theme_id: row for row in review.theme_times}
    explicit = {t.id: rows[t.id].budget_seconds for t in themes if t.id in rows and rows[t.id].budget_seconds is not None}
    left = max(0, review.duration_minutes * 60 - sum(explicit.values()))
    shared = [t for t in themes if t.id not in explicit]
    minutes = dict(zip((t.id for t in shared), shares(int(left // 60), [len(t.questions) for t in shared])))
    live_theme = current_theme_id(session, review)
    live = elapsed_seconds(review, now) - (review.clock_elapsed_seconds or 0.0)
    budgets = []
    for theme in themes:
        spent = rows[theme.id].spent_seconds if theme.id in rows else 0.0
        if theme.id == live_theme:
            spent += live
        if theme.id in explicit:
            budget = float(explicit[theme.id])
        else:
            budget = minutes[theme.id] * 60.0
        budgets.append(ThemeBudget(theme.id, theme.title, len(theme.questions), budget, spent or 0.0,
                                   theme.id in explicit))
    return budgets


def set_theme_budget(session: Session, review: Review, theme_id: int, minutes: float | None) -> None:
    """Set a theme's budget in minutes, or None to go back to its share by question count."""
    if theme_id not in {t.id for t in review.round.themes}:
        raise UserError("That theme is not part of this review's template.")
    if minutes is not None and not 0 <= minutes <= review.duration_minutes:
        raise UserError(f"A theme's time must be between 0 and {review.duration_minutes} minutes.")
    row = _theme_time(session, review, theme_id)
    row.budget_seconds = None if minutes is None else round(minutes * 60)


# --- responses -------------------------------------------------------------------------------

def question_state(text: str | None) -> str:
    """'empty', 'started' or 'answered' (see ANSWERED_MIN_WORDS)."""
    words = len((text or "").split())
    if words == 0:
        return "empty"
    return "answered" if words >= ANSWERED_MIN_WORDS else "started"


# The autosave's statements, written once as plain SQL (the same text runs on SQLite and PostgreSQL)
# and run on the session's connection as fixed statements (``storage.fixed_statements``: on a file,
# on the driver's cursor, as SQLAlchemy's per-execution cost is several times theirs). A save within
# a sitting is three: read the response with its newest kept version and whether its round is
# read-only, carry the sitting's history entry on to the new text, and update the response.
_responses = Response.__table__
_RESPONSE_FOR = FixedStatement("""
    SELECT response.id, response.uuid, response.text, response.version,
           kept.saved_at AS kept_at, kept.text = response.text AS kept_holds_text, round.read_only
    FROM response
    JOIN review ON review.id = response.review_id
    JOIN round ON round.id = review.round_id
    LEFT JOIN response_version AS kept ON kept.id = (
        SELECT newest.id FROM response_version AS newest WHERE newest.response_id = response.id
        ORDER BY newest.saved_at DESC, newest.id DESC LIMIT 1)
    WHERE response.review_id = :review_id AND response.question_id = :question_id
""", columns=(("id", Integer), ("uuid", String), ("text", String), ("version", Integer), ("kept_at", DateTime),
              ("kept_holds_text", Boolean), ("read_only", Boolean)))
# The sitting's entry: the newest change of the response's text, if the same person (name and
# login) made it since ``since``. It touches no row when a new sitting begins, and the ORM then
# records a new entry through the history listener.
_CARRY_SITTING_ON = FixedStatement("""
    UPDATE change_log SET new_value = :new_text, at = :now
    WHERE id = (SELECT entry.id FROM change_log AS entry
                WHERE entry.record_uuid = :response_uuid AND entry.field = 'text'
                ORDER BY entry.id DESC LIMIT 1)
      AND who = :sitting_who AND login = :sitting_login AND at > :since
""", types={"now": DateTime, "since": DateTime})
# Only over the version the save was based on: a change committed in between makes it touch no row.
_UPDATE_RESPONSE_TEXT = FixedStatement("""
    UPDATE response SET text = :new_text, updated_at = :now, version = version + 1
    WHERE id = :response_id AND version = :base
""", types={"now": DateTime})


def response_states(session: Session, review_id: int) -> dict[int, tuple[str, int]]:
    """Each answered question's response text and version (what a screen compares after a change
    elsewhere); a question without a response is absent (its version counts as 0)."""
    rows = session.execute(select(_responses.c.question_id, _responses.c.text, _responses.c.version)
                           .where(_responses.c.review_id == review_id))
    return {row.question_id: (row.text, row.version) for row in rows if row.question_id is not None}


def response_id(session: Session, review_id: int, question_id: int) -> int | None:
    return session.scalar(select(_responses.c.id).where(_responses.c.review_id == review_id,
                                                        _responses.c.question_id == question_id))


def save_response(session: Session, review_id: int, question_id: int, text: str,
                  expected_version: int | None = None) -> int | None:
    """The autosave: store a response's text (nothing when unchanged), one history entry per sitting.
    Returns the response's version after the save, or None when an empty question was left empty.

    ``expected_version`` is the version the screen loaded (0: there was no response yet); if the
    response has changed since, nothing is written and ``StaleEdit`` says so (None: no check).
    The first save of a sitting goes through the ORM, so the change history records it; later saves
    within ``HISTORY_COALESCE`` by the same person carry that entry's new value on and update the
    response (two small UPDATEs after one read), so a save stays a tiny commit and the history ends
    on the final text.
    Earlier texts are kept by ``response_versions.keep_versions``.
    """
    if len(text) > MAX_RESPONSE_CHARS:
        raise UserError(f"A response can hold at most {MAX_RESPONSE_CHARS:,} characters (this one has {len(text):,}); "
                        "it was not saved: split it over questions or shorten it.")
    connection = session.connection()
    where = {"review_id": review_id, "question_id": question_id}
    row = _RESPONSE_FOR.run(connection, where).first()
    if row is None:
        if not text:
            return None  # opening a question and leaving it empty writes nothing
        question = session.get(Question, question_id)
        if question is None:
            raise UserError("That question is no longer in the template.")
        response = set_response(session, get_review(session, review_id), question, text)
        session.flush()
        return response.version
    response_id, uuid, stored, version, kept_at, kept_holds_text, read_only = row
    if stored == text:
        return version
    if expected_version is not None and version != expected_version:
        raise stale_edit(session, uuid, "answer", version, stored)
    if read_only:
        refuse_if_read_only(session, get_review(session, review_id).round_id)  # says whose round it is
    now = utcnow()
    who = session.info.get("user", "")
    keep_versions(connection, response_id, stored, text, who, kept_at, kept_holds_text, now)
    carried = _CARRY_SITTING_ON.run(connection, {"response_uuid": uuid, "sitting_who": who,
                                                 "sitting_login": session.info.get("login", ""),
                                                 "since": now - HISTORY_COALESCE, "new_text": text, "now": now})
    if carried.rowcount == 1:
        written = _UPDATE_RESPONSE_TEXT.run(connection, {"response_id": response_id, "new_text": text, "now": now,
                                                         "base": version})
        if written.rowcount != 1:  # another connection committed a change since the SELECT above
            _id, _uuid, current_text, current_version, *_ = _RESPONSE_FOR.run(connection, where).first()
            raise stale_edit(session, uuid, "answer", current_version, current_text)
        if len(session.identity_map):  # the autosave's own session holds nothing: no look-up
            loaded = session.identity_map.get(identity_key(Response, response_id))
            if loaded is not None:
                session.expire(loaded)  # a caller holding the response sees the new text
        return version + 1
    response = session.get(Response, response_id)
    response.text = text  # a new sitting: the history listener records the change, the version rises
    session.flush()
    return response.version


# Bullet markers Word and mail programs put in plain text ("•\t", "·\t", "o\t", "§\t", "-\t").
_PASTED_BULLET = re.compile(r"^[ \t]*(?:[•·▪◦‣○●■§]|o(?=\t)|[-*](?=\t))[ \t]+", re.MULTILINE)


def clean_pasted_text(text: str) -> str:
    """Pasted text as plain paragraphs: line breaks of any platform become one, bullets become "• "."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u2029", "\n").replace("\u2028", "\n")
    text = _PASTED_BULLET.sub("• ", text)
    return re.sub(r"\n{3,}", "\n\n", text)


# --- attendance ------------------------------------------------------------------------------

def set_present(session: Session, review: Review, panel_member_id: int, present: bool) -> None:
    member = session.get(PanelMember, panel_member_id)
    if member is None or member.round_id != review.round_id:
        raise UserError("That person is not on this round's panel.")
    existing = next((p for p in review.panel_present if p.panel_member is member), None)
    if present and existing is None:
        review.panel_present.append(ReviewPanelPresence(panel_member=member))
    elif not present and existing is not None:
        review.panel_present.remove(existing)


def add_representative(session: Session, review: Review, name: str, role: str = "",
                       kind: str = "attended", note: str = "") -> Representative:
    """Someone from the organisation who attended or sent apologies; ``note`` is the clause the
    report prints after their name ("although Anne had been part of the preparation for the review")."""
    name, role, note = name.strip(), role.strip(), clean_note(note)
    if not name:
        raise UserError("Type the person's name first.")
    if kind not in REPRESENTATIVE_KINDS:
        raise UserError(f"A representative either attended or sent apologies, not '{kind}'.")
    if len(name) > 200 or len(role) > 200:
        raise UserError("A name or role can be at most 200 characters.")
    position = max((r.position for r in review.representatives), default=-1) + 1
    rep = Representative(name=name, role=role, kind=kind, position=position, note=note)
    review.representatives.append(rep)
    return rep


MAX_NOTE_CHARS = 300


def clean_note(note: str) -> str:
    """A note on an attendee or an apology as the report's sentence takes it: one line, no full stop
    at the end (the sentence ends after it), at most ``MAX_NOTE_CHARS``."""
    note = " ".join((note or "").split()).rstrip(" .;,")
    if len(note) > MAX_NOTE_CHARS:
        raise UserError(f"A note on someone's attendance can be at most {MAX_NOTE_CHARS} characters "
                        f"(this one has {len(note)}); the report prints it after their name.")
    return note


def remove_representative(session: Session, review: Review, representative_id: int) -> None:
    rep = next((r for r in review.representatives if r.id == representative_id), None)
    if rep is not None:
        review.representatives.remove(rep)


# --- recommendations -------------------------------------------------------------------------

def _section_11(session: Session) -> SourceKind | None:
    ensure_source_kinds(session)
    return session.scalar(select(SourceKind).where(SourceKind.name == "Section 11"))


def _clean_recommendation(text: str) -> str:
    text = text.strip()
    if not text:
        raise UserError("A recommendation needs some text.")
    return text


def question_recommendations(session: Session, review_id: int, question_id: int) -> list[Recommendation]:
    return list(session.scalars(
        select(Recommendation).where(Recommendation.review_id == review_id, Recommendation.question_id == question_id)
        .order_by(Recommendation.position, Recommendation.id)
    ))


def add_recommendation(session: Session, review: Review, question_id: int, text: str) -> Recommendation:
    """A recommendation of the review's organisation, agreed on one question (after its others)."""
    text = _clean_recommendation(text)
    position = session.scalar(
        select(func.max(Recommendation.position))
        .where(Recommendation.review_id == review.id, Recommendation.question_id == question_id)
    )
    rec = Recommendation(round_id=review.round_id, review=review, question_id=question_id,
                         organisation_id=review.organisation_id, text=text,
                         position=0 if position is None else position + 1, source_kind=_section_11(session))
    session.add(rec)
    return rec


def partnership_recommendations(session: Session, round_id: int) -> list[Recommendation]:
    """Every recommendation of the round for the partnership, lettered A, B, C… in this order: those
    agreed for the round and those agreed inside a review (on a question, or after a declined
    organisation's section)."""
    return list(session.scalars(
        select(Recommendation).where(Recommendation.round_id == round_id, Recommendation.is_partnership.is_(True))
        .order_by(Recommendation.position, Recommendation.id)
    ))


def _next_partnership_position(session: Session, round_id: int) -> int:
    return max((r.position for r in partnership_recommendations(session, round_id)), default=-1) + 1


def add_partnership_recommendation(session: Session, round_id: int, text: str) -> Recommendation:
    text = _clean_recommendation(text)
    if session.get(Round, round_id) is None:
        raise UserError("That round is no longer in the database.")
    rec = Recommendation(round_id=round_id, is_partnership=True, text=text,
                         position=_next_partnership_position(session, round_id), source_kind=_section_11(session))
    session.add(rec)
    return rec


def add_review_partnership_recommendation(session: Session, review: Review, text: str,
                                          question_id: int | None = None) -> Recommendation:
    """A recommendation for the partnership agreed inside a review: on one of its questions (printed in
    that review's table) or, without a question, after the section (as after a declined organisation's
    contact history). Lettered with the partnership's others in the recommendations table."""
    text = _clean_recommendation(text)
    if question_id is not None:
        question = session.get(Question, question_id)
        if question is None or question.theme.round_id != review.round_id:
            raise UserError("That question is no longer in this round's template.")
    rec = Recommendation(round_id=review.round_id, review=review, question_id=question_id, is_partnership=True,
                         text=text, position=_next_partnership_position(session, review.round_id),
                         source_kind=_section_11(session))
    session.add(rec)
    return rec


def set_for_partnership(session: Session, recommendation_id: int, for_partnership: bool) -> Recommendation:
    """Make a recommendation agreed in a review the partnership's (lettered, in the partnership's group
    of the recommendations table, though still printed where it was agreed) or the organisation's again
    (numbered in the organisation's group)."""
    rec = session.get(Recommendation, recommendation_id)
    if rec is None:
        raise UserError("That recommendation is no longer in the database.")
    if rec.review is None:
        raise UserError("Only a recommendation agreed in a review can be the organisation's or the partnership's; "
                        "this one was agreed for the round, so it stays the partnership's.")
    if rec.is_partnership == for_partnership:
        return rec
    if for_partnership:
        rec.position = _next_partnership_position(session, rec.round_id)
        rec.organisation_id = None
    else:
        last = session.scalar(select(func.max(Recommendation.position)).where(
            Recommendation.review_id == rec.review_id, Recommendation.question_id == rec.question_id,
            Recommendation.is_partnership.is_(False)))
        rec.position = 0 if last is None else last + 1
        rec.organisation_id = rec.review.organisation_id
    rec.is_partnership = for_partnership
    return rec


def set_full_text(session: Session, recommendation_id: int, text: str,
                  expected_version: int | None = None) -> Recommendation:
    """The recommendation's second wording: in full for the recommendations table (the review's table
    keeps the brief wording agreed in the workshop). Empty: the one wording serves both."""
    rec = session.get(Recommendation, recommendation_id)
    if rec is None:
        raise UserError("That recommendation is no longer in the database.")
    text = text.strip()
    if len(text) > MAX_RESPONSE_CHARS:
        raise UserError(f"A recommendation's full wording can be at most {MAX_RESPONSE_CHARS:,} characters.")
    if rec.full_text != text:
        refuse_if_stale(session, rec, expected_version, "recommendation's full wording", rec.full_text)
        rec.full_text = text
    return rec


def update_recommendation(session: Session, recommendation_id: int, text: str,
                          expected_version: int | None = None) -> Recommendation:
    """Change a recommendation's text; with ``expected_version`` (what the screen loaded) a
    recommendation changed since is refused (``StaleEdit``) unless it already says this."""
    rec = session.get(Recommendation, recommendation_id)
    if rec is None:
        raise UserError("That recommendation is no longer in the database.")
    text = _clean_recommendation(text)
    if rec.text != text:
        refuse_if_stale(session, rec, expected_version, "recommendation", rec.text)
    if rec.text != text:
        rec.text = text
    return rec


def delete_recommendation(session: Session, recommendation_id: int) -> None:
    rec = session.get(Recommendation, recommendation_id)
    if rec is not None:
        session.delete(rec)
