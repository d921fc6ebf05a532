"""The workshop without Qt: clock, theme budgets, attendance, autosave history, recommendations."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from sqlalchemy import select

from lgf_desktop.errors import UserError
from lgf_desktop.history import history_of
from lgf_desktop.models import Recommendation, Response, Review
from lgf_desktop.services.review import numbering
from lgf_desktop.services.review import workshop as ws

from workshop_support import _demo_template, workshop_db  # noqa: F401

T0 = datetime(2025, 3, 4, 10, 0, 0)


def planned_review(session) -> Review:
    """The planned review (WYT) that workshop_db adds to the demo round."""
    return session.scalars(select(Review).where(Review.status == "planned", Review.position == 9)).one()


def test_clock_start_pause_resume_and_theme_time(workshop_db):
    with workshop_db.session() as s:
        review = planned_review(s)
        q1 = review.round.themes[0].questions[0]
        q2 = review.round.themes[1].questions[0]
        ws.set_current_question(s, review, q1.id, T0)
        ws.start_clock(s, review, T0)
        assert review.actual_start == T0 and review.status == "held" and review.review_date == T0.date()
        assert ws.elapsed_seconds(review, T0 + timedelta(minutes=5)) == 300
        ws.set_current_question(s, review, q2.id, T0 + timedelta(minutes=5))
        ws.pause_clock(s, review, T0 + timedelta(minutes=7))
        assert review.actual_end == T0 + timedelta(minutes=7)
        # Paused: time does not move.
        assert ws.elapsed_seconds(review, T0 + timedelta(hours=3)) == 420
        ws.start_clock(s, review, T0 + timedelta(minutes=30))
        review_id = review.id
    with workshop_db.session() as s:  # a restarted app: the clock state comes back from the database
        review = s.get(Review, review_id)
        assert review.clock_running
        assert ws.elapsed_seconds(review, T0 + timedelta(minutes=31)) == 480
        assert ws.remaining_seconds(review, T0 + timedelta(minutes=31)) == 90 * 60 - 480
        budgets = {b.theme_id: b for b in ws.theme_budgets(s, review, T0 + timedelta(minutes=31))}
        themes = review.round.themes
        assert budgets[themes[0].id].spent_seconds == 300
        assert budgets[themes[1].id].spent_seconds == 120 + 60  # 2 min before the pause, 1 min live
        assert review.actual_start == T0


def test_budgets_split_by_question_count_and_states(workshop_db):
    with workshop_db.session() as s:
        review = planned_review(s)
        themes = review.round.themes
        total_q = len(review.round.questions)
        budgets = ws.theme_budgets(s, review, T0)
        assert sum(b.budget_seconds for b in budgets) == pytest.approx(90 * 60)
        # shares in whole minutes (largest remainder), each within a minute of the exact share
        assert budgets[0].budget_seconds % 60 == 0
        assert abs(budgets[0].budget_seconds - 90 * 60 * len(themes[0].questions) / total_q) < 60
        ws.set_theme_budget(s, review, themes[0].id, 30)
        budgets = ws.theme_budgets(s, review, T0)
        assert budgets[0].budget_seconds == 1800 and budgets[0].explicit
        rest_q = total_q - len(themes[0].questions)
        assert abs(budgets[1].budget_seconds - 3600 * len(themes[1].questions) / rest_q) < 60
        assert sum(b.budget_seconds for b in budgets) == 90 * 60
        ws.set_theme_budget(s, review, themes[0].id, None)
        assert not ws.theme_budgets(s, review, T0)[0].explicit
        with pytest.raises(UserError):
            ws.set_theme_budget(s, review, themes[0].id, 500)
    assert ws.budget_state(0, 600) == "ok"
    assert ws.budget_state(479, 600) == "ok"
    assert ws.budget_state(480, 600) == "near"
    assert ws.budget_state(601, 600) == "over"


def test_duration_validation(workshop_db):
    with workshop_db.session() as s:
        review = planned_review(s)
        ws.set_duration(s, review, 120)
        assert review.duration_minutes == 120
        for bad in (0, -5, 100000):
            with pytest.raises(UserError):
                ws.set_duration(s, review, bad)
        assert review.duration_minutes == 120


def test_attendance(workshop_db):
    with workshop_db.session() as s:
        review = planned_review(s)
        member = review.round.panel[1]
        ws.set_present(s, review, member.id, True)
        ws.set_present(s, review, member.id, True)
        assert [p.panel_member for p in review.panel_present] == [member]
        ws.set_present(s, review, member.id, False)
        assert review.panel_present == []
        ws.add_representative(s, review, "  Ada Jones ", "Head of Service")
        ws.add_representative(s, review, "Bo Lee", "Nurse", kind="apologies")
        assert [(r.name, r.kind) for r in review.representatives] == [("Ada Jones", "attended"), ("Bo Lee", "apologies")]
        with pytest.raises(UserError, match="name"):
            ws.add_representative(s, review, "   ", "role")
        s.flush()
        ws.remove_representative(s, review, review.representatives[0].id)
        assert [r.name for r in review.representatives] == ["Bo Lee"]


def test_autosave_coalesces_history_but_keeps_the_final_text(workshop_db):
    with workshop_db.session() as s:
        review_id = planned_review(s).id
        question_id = s.get(Review, review_id).round.questions[0].id
    assert ws.save_response  # one short session per save, as the window does
    for text in ["T", "Th", "The panel", "The panel heard about induction."]:
        with workshop_db.session() as s:
            ws.save_response(s, review_id, question_id, text)
    with workshop_db.session() as s:
        response = s.scalar(select(Response).where(Response.review_id == review_id))
        assert response.text == "The panel heard about induction."
        assert response.question_text and response.theme_title  # the question was copied
        updates = [h for h in history_of(s, response) if h.field == "text"]
        assert len(updates) == 1
        assert (updates[0].old_value, updates[0].new_value) == ("T", "The panel heard about induction.")
        # Saving the same text again is not a change.
        ws.save_response(s, review_id, question_id, "The panel heard about induction.")
        assert not s.dirty
    # Opening a question and leaving it empty writes nothing.
    with workshop_db.session() as s:
        other = s.get(Review, review_id).round.questions[1].id
        assert ws.save_response(s, review_id, other, "") is None


def _text_entries(session, response):
    return [(h.action, h.table_name, h.record_label, h.who, h.old_value, h.new_value)
            for h in sorted(history_of(session, response), key=lambda h: h.id) if h.field == "text"]


def test_a_sitting_of_autosaves_leaves_the_history_the_listener_alone_would_write(workshop_db):
    """The autosave carries its sitting's entry on in place; the result must be the entry the one
    history path (the flush listener) writes for the same change made in one go, and a new sitting
    (someone else, or after HISTORY_COALESCE) must get an entry of its own."""
    with workshop_db.session() as s:
        review = planned_review(s)
        review_id, question_id = review.id, review.round.questions[0].id
        ws.save_response(s, review_id, question_id, "First words")
    for text in ["First words and", "First words and more", "First words and more of them."]:
        with workshop_db.session() as s:
            ws.save_response(s, review_id, question_id, text)
    with workshop_db.session() as s:
        autosaved = s.scalar(select(Response).where(Response.review_id == review_id))
        by_autosave = _text_entries(s, autosaved)
        # The same change made once through the ORM, on another question, as the listener records it.
        other = s.get(Review, review_id).round.questions[1].id
        ws.save_response(s, review_id, other, "First words")
    with workshop_db.session() as s:
        response = s.scalar(select(Response).where(Response.review_id == review_id, Response.question_id == other))
        response.text = "First words and more of them."
    with workshop_db.session() as s:
        response = s.scalar(select(Response).where(Response.review_id == review_id, Response.question_id == other))
        by_listener = _text_entries(s, response)
        assert [entry[:1] + entry[3:] for entry in by_autosave] == [entry[:1] + entry[3:] for entry in by_listener]
        assert by_autosave == [("update", "response", by_autosave[0][2], workshop_db.user,
                                "First words", "First words and more of them.")]
        assert autosaved.version == 4

    # Someone else's save is a new sitting, and so is mine after theirs.
    me = workshop_db.user
    workshop_db.set_user("Another Chair")
    with workshop_db.session() as s:
        ws.save_response(s, review_id, question_id, "Another chair's words.", expected_version=4)
    workshop_db.set_user(me)
    with workshop_db.session() as s:
        ws.save_response(s, review_id, question_id, "My words.", expected_version=5)
    # So is a save after HISTORY_COALESCE: my entry made long enough ago.
    with workshop_db.session() as s:
        entries = [h for h in history_of(s, autosaved) if h.field == "text"]
        entries[-1].at -= ws.HISTORY_COALESCE + timedelta(seconds=1)
    with workshop_db.session() as s:
        ws.save_response(s, review_id, question_id, "Later words.", expected_version=6)
        ws.save_response(s, review_id, question_id, "Later words, typed on.", expected_version=7)
    with workshop_db.session() as s:
        response = s.scalar(select(Response).where(Response.review_id == review_id,
                                                   Response.question_id == question_id))
        assert [(who, old, new) for _, _, _, who, old, new in _text_entries(s, response)] == [
            (me, "First words", "First words and more of them."),
            ("Another Chair", "First words and more of them.", "Another chair's words."),
            (me, "Another chair's words.", "My words."),
            (me, "My words.", "Later words, typed on."),
        ]
        assert response.version == 8


def test_the_same_name_on_another_login_starts_a_sitting_of_its_own(workshop_db):
    """Two people who set the same name (or share one on a team database) are told apart by their
    login: the second one's typing is not folded into the first one's history entry."""
    with workshop_db.session() as s:
        review = planned_review(s)
        review_id, question_id = review.id, review.round.questions[0].id
        version = ws.save_response(s, review_id, question_id, "Kim's")
    with workshop_db.session() as s:
        version = ws.save_response(s, review_id, question_id, "Kim's words", version)
    first_login = workshop_db.login
    workshop_db.login = "kim@another-laptop"
    try:
        with workshop_db.session() as s:
            version = ws.save_response(s, review_id, question_id, "The other Kim's words", version)
        with workshop_db.session() as s:
            ws.save_response(s, review_id, question_id, "The other Kim's words, typed on", version)
    finally:
        workshop_db.login = first_login
    with workshop_db.session() as s:
        response = s.scalar(select(Response).where(Response.review_id == review_id,
                                                   Response.question_id == question_id))
        entries = [h for h in sorted(history_of(s, response), key=lambda h: h.id) if h.field == "text"]
        assert [(h.login, h.new_value) for h in entries] == [
            (first_login, "Kim's words"),
            ("kim@another-laptop", "The other Kim's words, typed on"),
        ]


def test_awkward_text_is_stored_intact(workshop_db):
    text = ("Ctrl\x01chars\x07 and a tab\t, emoji 👩‍👧‍👦🙂, right-to-left: مرحبا بالعالم שלום, nbsp\u00a0here\n"
            + "x" * (ws.MAX_RESPONSE_CHARS - 200))
    with workshop_db.session() as s:
        review_id = planned_review(s).id
        question_id = s.get(Review, review_id).round.questions[0].id
        ws.save_response(s, review_id, question_id, text)
    with workshop_db.session() as s:
        assert s.scalar(select(Response.text).where(Response.review_id == review_id)) == text
    with workshop_db.session() as s, pytest.raises(UserError, match="at most"):
        ws.save_response(s, review_id, question_id, "y" * (ws.MAX_RESPONSE_CHARS + 1))


def test_question_state():
    assert ws.question_state("") == "empty"
    assert ws.question_state("  \n ") == "empty"
    assert ws.question_state("They said induction is") == "started"
    assert ws.question_state(" ".join(["word"] * ws.ANSWERED_MIN_WORDS)) == "answered"


def test_clean_pasted_text():
    word = "First para\r\n\r\n\r\n\u2022\tBullet one\r\n·\tBullet two\r\no\tBullet three\rLast\u2029End"
    assert ws.clean_pasted_text(word) == "First para\n\n• Bullet one\n• Bullet two\n• Bullet three\nLast\nEnd"
    assert ws.clean_pasted_text("- already a bullet") == "- already a bullet"
    assert ws.clean_pasted_text("on the other hand") == "on the other hand"


def test_inline_recommendations_keep_template_order(workshop_db):
    with workshop_db.session() as s:
        review = planned_review(s)
        questions = review.round.questions
        later = ws.add_recommendation(s, review, questions[5].id, "Second question's one")
        first = ws.add_recommendation(s, review, questions[0].id, "  First question's one ")
        first_b = ws.add_recommendation(s, review, questions[0].id, "First question's other")
        s.flush()
        assert first.text == "First question's one" and first.organisation_id == review.organisation_id
        assert first.source_kind is not None and first.source_kind.name == "Section 11"
        assert [r.id for r in numbering.review_recommendations(s, review)] == [first.id, first_b.id, later.id]
        assert [r.text for r in ws.question_recommendations(s, review.id, questions[0].id)] == [
            "First question's one", "First question's other"]
        with pytest.raises(UserError):
            ws.add_recommendation(s, review, questions[0].id, "   ")
        with pytest.raises(UserError):
            ws.update_recommendation(s, first.id, "")
        ws.update_recommendation(s, first.id, "Edited")
        ws.delete_recommendation(s, later.id)
        s.flush()
        assert [r.text for r in numbering.review_recommendations(s, review)] == ["Edited", "First question's other"]
        p = ws.add_partnership_recommendation(s, review.round_id, "Partnership to refresh training")
        s.flush()
        assert p.is_partnership and p.review_id is None
        assert ws.partnership_recommendations(s, review.round_id)[-1].id == p.id
        assert s.get(Recommendation, p.id).position == max(r.position for r in ws.partnership_recommendations(s, review.round_id))
