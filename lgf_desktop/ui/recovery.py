"""After a crash: reopen the workshop or the audit answer that was open, bring back unsaved text
from the recovery journal (``services/recovery.py``), and say so in one sentence."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from PySide6.QtWidgets import QMainWindow

from ..services.recovery import recover, recovery_sentence

if TYPE_CHECKING:
    from ..db import Database

log = logging.getLogger("lgf_desktop")


def recover_after_crash(window: QMainWindow) -> QMainWindow | None:
    """Run once the main window has its database; returns the reopened workshop window, if any."""
    db: Database = window.db
    journal = db.journal
    workshop = journal.open_window("workshop")
    audit = journal.open_window("audit")
    recovered = recover(db) if journal.entries() else []
    sentence = recovery_sentence(recovered)
    reopened = None
    open_workshop = getattr(window, "open_workshop", None)
    if workshop is not None and open_workshop is not None:
        try:
            reopened = _reopen(db, open_workshop, workshop)
        except Exception:  # noqa: BLE001 — the review may be gone; the text is saved all the same
            log.warning("The workshop open before the crash could not be reopened.", exc_info=True)
            journal.window_closed("workshop")
    if sentence and reopened is not None:
        reopened.show_recovery(sentence, recovered[0].draft_place)
    elif audit is not None:
        try:
            _reopen_audit(window, audit, sentence)
        except Exception:  # noqa: BLE001 — the audit may be gone; the text is saved all the same
            log.warning("The audit answer open before the crash could not be reopened.", exc_info=True)
            journal.window_closed("audit")
    if sentence:
        window.statusBar().showMessage(sentence, 60000)
    return reopened


def _reopen(db: Database, open_workshop: Any, where: dict[str, Any]) -> QMainWindow:
    from ..services.review import workshop as ws

    review_id, question_id = int(where["review_id"]), where.get("question_id")
    if isinstance(question_id, int):
        with db.session() as session:  # reopens on the question the chair was on
            review = ws.get_review(session, review_id)
            if any(q.id == question_id for q in review.round.questions):
                review.current_question_id = question_id
    return open_workshop(review_id)


def _reopen_audit(window: Any, where: dict[str, Any], sentence: str) -> None:
    """The Audits page on the audit, case and answer the auditor was typing in, the cursor in that box."""
    if not window.navigator.select("audits", None):
        return
    page = window.page("audits")
    index = page.chooser.findData(where.get("audit_id"))
    if index < 0:
        return
    page.chooser.setCurrentIndex(index)
    page.tabs.setCurrentWidget(page.scoring)
    grade_id, assignment_id = where.get("grade_id"), where.get("assignment_id")
    if not page.scoring.show_answer(grade_id if isinstance(grade_id, int) else None,
                                    assignment_id if isinstance(assignment_id, int) else None):
        return
    panel = page.scoring.panel
    box = panel.texts.get(str(where.get("field")), panel.evidence)
    box.setFocus()
    if sentence:
        panel.show_recovery(sentence)
