"""Every free text on the one autosave journals under a record name that recovery knows: a journal
left by a crash in a recommendation, tracker evidence, a round's text or a review's comment is saved
back once, and said where."""

from __future__ import annotations

from sqlalchemy import select

from lgf_desktop.models import Recommendation, Review, Round
from lgf_desktop.services.recovery import recover, recovery_sentence


def test_each_kind_of_text_is_recovered_once(demo_db) -> None:
    db = demo_db
    with db.read() as s:
        rec_id = s.scalar(select(Recommendation.id).order_by(Recommendation.id))
        round_id = s.scalar(select(Round.id))
        review_id = s.scalar(select(Review.id))
    typed = {
        ("recommendation/%d" % rec_id, "text"): "Audit supervision every quarter, typed before the crash",
        ("recommendation/%d" % rec_id, "evidence_of_impact"): "Attendance rose from 12 to 31",
        ("round/%d" % round_id, "conclusion_text"): "The round found steady progress",
        ("review/%d" % review_id, "overall_comment"): "A thorough and open review",
    }
    for (record, field), text in typed.items():
        db.journal.note(record, field, text, f"the {field} of {record}")
    recovered = recover(db)
    assert sorted((r.record, r.field) for r in recovered) == sorted(typed)
    assert recovery_sentence(recovered).startswith("Recovered ")
    with db.read() as s:
        rec = s.get(Recommendation, rec_id)
        assert rec.text == typed[("recommendation/%d" % rec_id, "text")]
        assert rec.evidence_of_impact == typed[("recommendation/%d" % rec_id, "evidence_of_impact")]
        assert s.get(Round, round_id).conclusion_text == typed[("round/%d" % round_id, "conclusion_text")]
        assert s.get(Review, review_id).overall_comment == typed[("review/%d" % review_id, "overall_comment")]
    assert db.journal.entries() == [] and recover(db) == []  # nothing recovered twice


def test_audit_findings_are_recovered_too(db) -> None:
    from audit_helpers import make_audit

    from lgf_desktop.models import Audit

    make_audit(db)
    with db.read() as s:
        audit_id = s.scalar(select(Audit.id))
    db.journal.note(f"audit/{audit_id}", "key_learning", "Chronologies were missing", "the learning points of the audit")
    [recovered] = recover(db)
    assert recovered.sentence().endswith("in the learning points of the audit.")
    with db.read() as s:
        assert s.get(Audit, audit_id).key_learning == "Chronologies were missing"
    assert recover(db) == []


def test_drafts_a_question_and_the_audit_details_are_recovered_once(demo_db) -> None:
    """A journal left by a crash in a new recommendation's line, a progress note, a question's text
    and sub-prompts, and an audit's theme: each saved back once, and no recommendation or note made."""
    from audit_helpers import make_audit

    from lgf_desktop.models import Audit, Draft, ProgressNote, Question
    from lgf_desktop.services.drafts import draft_text, new_recommendation_place, progress_note_place

    db = demo_db
    make_audit(db)
    with db.read() as s:
        rec_id = s.scalar(select(Recommendation.id).order_by(Recommendation.id))
        review_id = s.scalar(select(Review.id))
        question, other = s.scalars(select(Question).order_by(Question.id).limit(2)).all()
        question_id, other_id, other_prompts = question.id, other.id, other.sub_prompts
        audit_id = s.scalar(select(Audit.id))
        recs, notes = s.query(Recommendation).count(), s.query(ProgressNote).count()
    new_rec, note = new_recommendation_place(review_id, question_id), progress_note_place(rec_id)
    typed = {
        (f"draft/{new_rec}", "text"): "Share the induction audit with the board, typed before Enter",
        (f"draft/{note}", "text"): "Training offer circulated, typed before Add",
        (f"question/{question_id}", "text"): "How do you know induction works?",
        (f"question/{question_id}", "sub_prompts"): "Audit\nSupervision",
        (f"audit/{audit_id}", "theme"): "Neglect and home conditions",
    }
    for (record, field), text in typed.items():
        db.journal.note(record, field, text, f"the {field} of {record}")
    # A sub-prompts text that differs from what is stored only in its blank lines is no loss.
    db.journal.note(f"question/{other_id}", "sub_prompts", "\n".join(other_prompts) + "\n\n", "blank lines")
    recovered = recover(db)
    assert sorted((r.record, r.field) for r in recovered) == sorted(typed)
    with db.read() as s:
        assert draft_text(s, new_rec) == typed[(f"draft/{new_rec}", "text")]
        assert draft_text(s, note) == typed[(f"draft/{note}", "text")]
        assert s.get(Question, question_id).text == typed[(f"question/{question_id}", "text")]
        assert s.get(Question, question_id).sub_prompts == ["Audit", "Supervision"]
        assert s.get(Audit, audit_id).theme == typed[(f"audit/{audit_id}", "theme")]
        assert (s.query(Recommendation).count(), s.query(ProgressNote).count()) == (recs, notes)
        assert s.query(Draft).count() == 2
    assert db.journal.entries() == [] and recover(db) == []  # nothing recovered twice
