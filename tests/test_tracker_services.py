"""The recommendation tracker's domain: references, filters and search, overdue logic on a fixed
today, the completion rule, reopening, bulk changes, progress notes, carry forward, history."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from lgf_desktop.errors import UserError
from lgf_desktop.models import Audit, Organisation, Recommendation, Review, Round, SourceKind
from lgf_desktop.services.audit.cases import create_audit
from lgf_desktop.services.audit.findings import add_audit_recommendation
from lgf_desktop.services.review.numbering import report_numbers
from lgf_desktop.services.review.rounds import create_round
from lgf_desktop.services.tracker.actions import (
    add_progress_note, add_recommendation, set_details, set_status,
)
from lgf_desktop.services.tracker.history import recommendation_history
from lgf_desktop.services.tracker.rows import (
    TrackerFilter, carry_forward, choices, find_organisation, summary, tracker_rows,
)

TODAY = date(2024, 6, 15)
ICB = "Northvale and Westmoor Integrated Care Board"
YOUTH = "Pathways Youth Service, Riverside Learning Trust"


def org_id(session, name: str) -> int:
    return session.scalar(select(Organisation.id).where(Organisation.name == name))


def kind_id(session, name: str) -> int:
    return session.scalar(select(SourceKind.id).where(SourceKind.name == name))


def add_audit(session, org: str, *, texts=("Audit recommendation one", "Audit recommendation two"),
              start=date(2023, 4, 1)) -> Audit:
    """An audit made through the audit services, with recommendations for ``org``."""
    audit = create_audit(session, "Neglect", "2023-24 Q1", start_date=start, case_count=2)
    organisation = session.get(Organisation, org_id(session, org))
    for text in texts:
        add_audit_recommendation(session, audit, text, organisation=organisation)
    return audit


def by_text(rows, fragment: str):
    return next(row for row in rows if fragment in row.text)


def test_review_and_audit_recommendations_carry_their_references(demo_db) -> None:
    with demo_db.session() as session:
        before = len(tracker_rows(session, today=TODAY))
        audit = add_audit(session, ICB)
        rows = tracker_rows(session, today=TODAY)
        round_ = session.scalar(select(Round).order_by(Round.id))
        numbers = report_numbers(session, round_)
        refs = {row.id: row.reference for row in rows}
        # the bulk numbering gives exactly the report's numbers
        for rec_id, number in numbers.items():
            assert refs[rec_id] == f"Section 11 2021-22, recommendation {number}"
        assert sorted(numbers.values()) == sorted([str(n) for n in range(1, 11)] + ["A", "B", "C"])
        audit_rows = [row for row in rows if row.audit_id == audit.id]
        assert [row.reference for row in audit_rows] == [
            "Multi-agency audit Neglect 2023-24 Q1, recommendation 1",
            "Multi-agency audit Neglect 2023-24 Q1, recommendation 2",
        ]
        assert {row.organisation_full for row in audit_rows} == {ICB}
        partnership = [row for row in rows if row.reference.endswith("recommendation B")][0]
        assert partnership.organisation == "Partnership" and partnership.source == "Section 11"
        assert len(rows) == before + 2


def test_filters_and_search(demo_db) -> None:
    with demo_db.session() as session:
        icb = org_id(session, ICB)
        audit_kind = kind_id(session, "Multi-agency audit")
        base = {key: len(tracker_rows(session, TrackerFilter(**kw), today=TODAY)) for key, kw in (
            ("audit", {"source_kind_id": audit_kind}), ("icb", {"organisation_id": icb}),
            ("all", {}), ("partnership", {"partnership_only": True}))}
        add_audit(session, ICB)
        rows = tracker_rows(session, today=TODAY)
        first_icb = next(row for row in rows if row.organisation_id == icb and row.round_id)
        set_status(session, first_icb.id, "in progress")

        def count(**kw) -> int:
            return len(tracker_rows(session, TrackerFilter(**kw), today=TODAY))

        assert count(source_kind_id=audit_kind) == base["audit"] + 2
        assert count(organisation_id=icb) == base["icb"] + 2 == 5 + 2
        assert count(partnership_only=True) == base["partnership"] >= 3
        assert count(status="in progress") == 1 and count(status="complete") == 0
        assert count(status="open") == base["all"] + 2
        round_id = session.scalar(select(Round.id))
        assert count(round_id=round_id) == 13
        assert count(organisation_id=icb, source_kind_id=audit_kind) == 2
        # search: every word, any case, anywhere in reference, organisation or text
        assert count(search="NEWSLETTER") == 2
        assert count(search="newsletter editable") == 1
        assert count(search="recommendation 4 2021-22") == 1
        assert count(search="neglect icb") == 2
        assert count(search="no such words anywhere") == 0


def test_overdue_and_due_soon_on_a_fixed_today(demo_db) -> None:
    with demo_db.session() as session:
        rows = tracker_rows(session, today=TODAY)
        late, soon, later, done = rows[0].id, rows[1].id, rows[2].id, rows[3].id
        set_details(session, late, due_date=TODAY - timedelta(days=1))
        set_details(session, soon, due_date=TODAY + timedelta(days=28))
        set_details(session, later, due_date=TODAY + timedelta(days=29))
        set_details(session, done, due_date=TODAY - timedelta(days=100), evidence_of_impact="Audit shows it.")
        set_status(session, done, "complete", today=TODAY - timedelta(days=10))
        rows = {row.id: row for row in tracker_rows(session, today=TODAY)}
        assert rows[late].is_overdue(TODAY) and rows[late].urgency(TODAY) == "Overdue by 1 day"
        assert not rows[late].is_overdue(TODAY - timedelta(days=1))  # due today is not overdue
        assert rows[soon].is_due_soon(TODAY) and rows[soon].urgency(TODAY) == "Due in 28 days"
        assert not rows[later].is_due_soon(TODAY) and rows[later].urgency(TODAY) == ""
        assert not rows[done].is_overdue(TODAY)  # complete is never overdue
        assert len(tracker_rows(session, TrackerFilter(overdue_only=True), today=TODAY)) == 1
        counts = summary(list(rows.values()), TODAY)
        assert counts.overdue == 1 and counts.due_soon == 1 and counts.closed_last_quarter == 1
        assert counts.by_status["complete"] == 1 and counts.by_status["not started"] == len(rows) - 1
        # four months on, that closure is no longer "in the last quarter"
        assert summary(list(rows.values()), TODAY + timedelta(days=120)).closed_last_quarter == 0


def test_completion_needs_evidence_or_a_reason_and_reopening_keeps_history(demo_db) -> None:
    with demo_db.session() as session:
        rec = tracker_rows(session, today=TODAY)[0]
        with pytest.raises(UserError, match="evidence of impact or a reason"):
            set_status(session, rec.id, "complete", today=TODAY)
        assert session.get(Recommendation, rec.id).status == "not started"
        set_status(session, rec.id, "complete", today=TODAY, no_evidence_reason="Too early to measure.")
        saved = session.get(Recommendation, rec.id)
        assert saved.status == "complete" and saved.closed_on == TODAY
        with pytest.raises(UserError, match="reopen it first"):
            set_details(session, rec.id, no_evidence_reason="")
        add_progress_note(session, rec.id, "Training delivered to 40 staff.", today=TODAY)
        set_status(session, rec.id, "in progress", today=TODAY)
        assert saved.closed_on is None and saved.no_evidence_reason == "Too early to measure."
        assert len(saved.progress_notes) == 1
        texts = [entry.text for entry in recommendation_history(session, rec.id)]
        assert "Status changed from complete to in progress" in texts
        assert "Closed on cleared (was 15 Jun 2024)" in texts
        assert "Status changed from not started to complete" in texts
        assert "Training delivered to 40 staff." in texts
        changes = [entry.text for entry in recommendation_history(session, rec.id) if entry.kind == "change"]
        assert changes[-1] == "Recommendation recorded"


def test_bulk_status_change_is_all_or_nothing(demo_db) -> None:
    with demo_db.session() as session:
        ids = [row.id for row in tracker_rows(session, today=TODAY)[:4]]
        set_details(session, ids[0], evidence_of_impact="Re-audit: 9 of 10 cases good.")
        with pytest.raises(UserError, match="recommendation 2.*have neither"):
            set_status(session, ids, "complete", today=TODAY)
        assert {session.get(Recommendation, i).status for i in ids} == {"not started"}
        assert set_status(session, ids, "in progress", today=TODAY) == 4
        assert set_status(session, ids, "complete", today=TODAY, evidence="Re-audit in March.") == 4
        recs = [session.get(Recommendation, i) for i in ids]
        assert recs[0].evidence_of_impact == "Re-audit: 9 of 10 cases good."  # kept its own
        assert {r.evidence_of_impact for r in recs[1:]} == {"Re-audit in March."}
        with pytest.raises(UserError, match="not a status"):
            set_status(session, ids, "finished")
        with pytest.raises(UserError, match="Select at least one"):
            set_status(session, [], "complete")


def test_progress_notes_carry_the_user_and_refuse_bad_input(demo_db) -> None:
    demo_db.set_user("Alex Chair")
    with demo_db.session() as session:
        rec_id = tracker_rows(session, today=TODAY)[0].id
        note = add_progress_note(session, rec_id, "  Policy updated.  ", today=TODAY)
        assert note.author == "Alex Chair" and note.text == "Policy updated." and note.note_date == TODAY
        with pytest.raises(UserError, match="Write the progress"):
            add_progress_note(session, rec_id, "   ", today=TODAY)
        with pytest.raises(UserError, match="future"):
            add_progress_note(session, rec_id, "Tomorrow", note_date=TODAY + timedelta(days=1), today=TODAY)
    with demo_db.session() as session:
        row = tracker_rows(session, ids=[rec_id])[0]
        assert row.note_count == 1 and row.last_note == "Policy updated."


def test_manual_recommendation_from_another_source(demo_db) -> None:
    with demo_db.session() as session:
        cspr = kind_id(session, "Child safeguarding practice review")
        rec = add_recommendation(session, source_kind_id=cspr, reference="CSPR Child Q, action 3",
                                 text="Escalation training for school staff.", organisation_id=org_id(session, YOUTH),
                                 due_date=date(2024, 9, 1))
        row = tracker_rows(session, ids=[rec.id])[0]
        assert row.reference == "CSPR Child Q, action 3" and row.source == "Child safeguarding practice review"
        before = session.scalar(select(Recommendation.id).order_by(Recommendation.id.desc()))
        with pytest.raises(UserError, match="organisation responsible"):
            add_recommendation(session, source_kind_id=cspr, text="Something")
        with pytest.raises(UserError, match="Write the recommendation"):
            add_recommendation(session, source_kind_id=cspr, text=" ", is_partnership=True)
        with pytest.raises(UserError, match="added in their review"):
            add_recommendation(session, source_kind_id=kind_id(session, "Section 11"), text="x", is_partnership=True)
        assert session.scalar(select(Recommendation.id).order_by(Recommendation.id.desc())) == before


def test_carry_forward_into_a_later_round(demo_db) -> None:
    with demo_db.session() as session:
        icb = org_id(session, ICB)
        add_audit(session, ICB, start=date(2022, 10, 1))
        add_audit(session, ICB, texts=("From an audit after the review",), start=date(2025, 1, 1))
        old = tracker_rows(session, TrackerFilter(organisation_id=icb, round_id=session.scalar(select(Round.id))))
        set_details(session, old[0].id, evidence_of_impact="Done")
        set_status(session, old[0].id, "complete", today=TODAY)
        later = create_round(session, "2024-25", copy_from=session.scalar(select(Round).order_by(Round.id)))
        review = Review(round=later, organisation_id=icb, status="held", review_date=date(2024, 11, 5))
        session.add(review)
        session.flush()
        session.add(Recommendation(round=later, review=review, organisation_id=icb, text="This year's own",
                                   source_kind_id=kind_id(session, "Section 11")))
        rows = carry_forward(session, review.id, today=TODAY)
        refs = [row.reference for row in rows]
        # four still-open ones from 2021-22 (one completed), two from the earlier audit; not this
        # round's own, not the audit that began after the review, not other organisations'
        assert len(refs) == 6
        assert sum(ref.startswith("Section 11 2021-22") for ref in refs) == 4
        assert sum(ref.startswith("Multi-agency audit") for ref in refs) == 2
        assert old[0].reference not in refs
        assert {row.organisation_id for row in rows} == {icb}
        with pytest.raises(UserError):
            carry_forward(session, 999999)


def test_choices_and_find_organisation(demo_db) -> None:
    with demo_db.session() as session:
        c = choices(session)
        assert [name for _, name in c.sources][:2] == ["Section 11", "Multi-agency audit"]
        assert find_organisation(session, ICB.upper()) == org_id(session, ICB)
        assert find_organisation(session, "partnership") is None
        with pytest.raises(UserError, match="no organisation called"):
            find_organisation(session, "Nowhere Trust")
