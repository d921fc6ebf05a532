"""Bringing back text from the recovery journal after the app ended without saving it.

``recover(db)`` compares each journal entry (text typed, not known to be saved) with what the
database holds, saves what the database lacks through the same service functions the screens use
(queued for the one writer), and forgets each entry once its save committed, so nothing is
recovered twice. It returns one ``Recovery`` per text brought back, for the sentence the screen says.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy.orm import Session

from ..journal import Entry
from ..models import Assignment, Audit, Grade, Question, Recommendation, ReportAppendix, Review, Round
from .audit.details import set_audit_details
from .audit.findings import set_findings
from .drafts import draft_text, save_draft
from .audit.grading import set_case_summary, set_grade
from .editing import prompt_lines, set_sub_prompts, update
from .review.workshop import save_response, set_full_text, update_recommendation
from .tracker.actions import set_details

if TYPE_CHECKING:
    from ..db import Database

log = logging.getLogger("lgf_desktop")


@dataclass(frozen=True)
class Recovery:
    record: str
    field: str
    label: str
    characters: int  # how many characters the database lacked
    at: datetime

    @property
    def kind(self) -> str:
        """What was brought back: "response", "draft" (a text typed before its record is made), ..."""
        return self.record.split("/", 1)[0]

    @property
    def draft_place(self) -> str | None:
        """A draft's place (``services.drafts``), for the screen to put the cursor there."""
        return self.record.removeprefix("draft/") if self.kind == "draft" else None

    def sentence(self) -> str:
        where = f" in {self.label}" if self.label else ""
        return f"Recovered {self.characters} characters typed at {self.at:%H:%M}{where}."

    def advice(self) -> str:
        """What the person should do about it, in their words for what came back."""
        if self.kind == "response":
            return "Please check the end of that answer."
        if self.kind == "draft":
            return "It is still a draft, not added yet: check it, then add it."
        return "Please check it reads as you meant."


def _response_text(session: Session, review_id: int, question_id: int) -> str | None:
    review = session.get(Review, review_id)
    question = session.get(Question, question_id)
    if review is None or question is None:
        return None
    response = review.response_for(question)
    return response.text if response is not None else ""


_REPORT_TEXTS = {"round": ("background_text", "methodology_intro", "conclusion_text", "template_cover_text"),
                 "review": ("overall_comment",), "report_appendix": ("text",)}


def _stored(session: Session, entry: Entry) -> tuple[str, Callable[[Session], Any]] | None:
    """What the database holds for an entry, and how to save the entry's text (None: record gone)."""
    kind, *ids = entry.record.split("/")
    if kind == "draft" and entry.field == "text":  # a text typed before its record is made
        place = entry.record.removeprefix("draft/")
        return draft_text(session, place), lambda s: save_draft(s, place, entry.text)
    try:
        numbers = [int(n) for n in ids]
    except ValueError:
        return None
    if kind == "response" and len(numbers) == 2 and entry.field == "text":
        text = _response_text(session, *numbers)
        if text is None:
            return None
        return text, lambda s: save_response(s, numbers[0], numbers[1], entry.text)
    if kind == "grade" and len(numbers) == 1 and entry.field == "evidence":
        grade = session.get(Grade, numbers[0])
        if grade is None:
            return None
        return grade.evidence, lambda s: set_grade(s.get(Grade, numbers[0]), evidence=entry.text)
    if kind == "assignment" and len(numbers) == 1 and entry.field in ("working_well", "needs_improve", "concern_text"):
        assignment = session.get(Assignment, numbers[0])
        if assignment is None:
            return None
        return (getattr(assignment, entry.field),
                lambda s: set_case_summary(s.get(Assignment, numbers[0]), **{entry.field: entry.text}))
    # The report's texts (forms' AutoSaveText): a round's texts, a review's overall comment.
    model = {"round": Round, "review": Review, "report_appendix": ReportAppendix}.get(kind)
    if model is not None and len(numbers) == 1 and entry.field in _REPORT_TEXTS.get(kind, ()):
        record = session.get(model, numbers[0])
        if record is None:
            return None
        return getattr(record, entry.field), lambda s: update(s, model, numbers[0], **{entry.field: entry.text})
    if kind == "audit" and len(numbers) == 1 and entry.field in ("key_learning", "working_well", "needs_improve"):
        audit = session.get(Audit, numbers[0])
        if audit is None:
            return None
        return (getattr(audit, entry.field),
                lambda s: set_findings(s.get(Audit, numbers[0]), **{entry.field: entry.text}))
    if kind == "audit" and len(numbers) == 1 and entry.field in ("theme", "quarter"):
        audit = session.get(Audit, numbers[0])
        if audit is None:
            return None
        return (getattr(audit, entry.field),
                lambda s: set_audit_details(s.get(Audit, numbers[0]), **{entry.field: entry.text}))
    if kind == "question" and len(numbers) == 1 and entry.field in ("text", "sub_prompts"):
        question = session.get(Question, numbers[0])
        if question is None:
            return None
        if entry.field == "text":
            return question.text, lambda s: update(s, Question, numbers[0], text=entry.text)
        # Stored as its non-empty lines: a text differing only in blank lines is the same.
        stored = entry.text if prompt_lines(entry.text) == question.sub_prompts else "\n".join(question.sub_prompts)
        return stored, lambda s: set_sub_prompts(s, numbers[0], entry.text.splitlines())
    if kind == "recommendation" and len(numbers) == 1 and entry.field in ("text", "full_text", "evidence_of_impact",
                                                                          "no_evidence_reason"):
        rec = session.get(Recommendation, numbers[0])
        if rec is None:
            return None
        if entry.field == "text":
            return rec.text, lambda s: update_recommendation(s, numbers[0], entry.text)
        if entry.field == "full_text":
            return rec.full_text, lambda s: set_full_text(s, numbers[0], entry.text)
        return getattr(rec, entry.field), lambda s: set_details(s, numbers[0], **{entry.field: entry.text})
    return None


def _lacking(stored: str, typed: str) -> int:
    """Characters of ``typed`` the database does not have (past their common beginning)."""
    common = os.path.commonprefix([stored, typed])
    return len(typed) - len(common)


def recover(db: Database) -> list[Recovery]:
    """Save every journal text the database lacks; forget the rest. Run once at start-up."""
    journal = db.journal
    recovered: list[Recovery] = []
    for entry in journal.entries():
        try:
            with db.session() as session:
                found = _stored(session, entry)
            if found is None:
                log.warning("A recovered text for %s was dropped: the record is gone.", entry.record)
                journal.saved(entry.record, entry.field, entry.text)
                continue
            stored, save = found
            if stored != entry.text:
                db.write(save).result()
                recovered.append(Recovery(entry.record, entry.field, entry.label, _lacking(stored, entry.text), entry.at))
            journal.saved(entry.record, entry.field, entry.text)
        except Exception:  # noqa: BLE001 — it stays in the journal and is tried at the next start
            log.warning("A recovered text for %s could not be saved yet.", entry.record, exc_info=True)
    return recovered


def recovery_sentence(recovered: list[Recovery]) -> str:
    """What the screen says: the first recovery, how many more, and what to check."""
    if not recovered:
        return ""
    first = recovered[0].sentence()
    if len(recovered) > 1:
        first = first[:-1] + f", and text in {len(recovered) - 1} more place(s)."
    return f"{first} {recovered[0].advice()}"
