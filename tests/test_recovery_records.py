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
