"""The tracker's summary line counts with the rows' own rules: "due today" is not overdue, and on
any day the overdue and due-soon counts are exactly the rows the table marks so."""

from __future__ import annotations

from datetime import date, timedelta

from lgf_desktop.services.tracker.actions import set_details, set_status
from lgf_desktop.services.tracker.rows import DUE_SOON_DAYS, summary, tracker_rows

TODAY = date(2024, 6, 15)


def test_due_today_is_due_soon_in_the_summary_not_overdue(demo_db) -> None:
    with demo_db.session() as session:
        first = tracker_rows(session, today=TODAY)[0].id
        for row in tracker_rows(session, today=TODAY):
            set_details(session, row.id, due_date=TODAY + timedelta(days=365))
        set_details(session, first, due_date=TODAY)
        rows = tracker_rows(session, today=TODAY)
    assert next(row for row in rows if row.id == first).urgency(TODAY) == "Due today"
    counts = summary(rows, TODAY)
    assert counts.overdue == 0
    assert counts.due_soon == 1
    assert summary(rows, TODAY + timedelta(days=1)).overdue == 1  # the next day it is


def test_on_every_day_the_summary_counts_the_rows_the_table_marks(demo_db) -> None:
    with demo_db.session() as session:
        rows = tracker_rows(session, today=TODAY)
        offsets = [-1, 0, 1, DUE_SOON_DAYS, DUE_SOON_DAYS + 1, None]
        for number, row in enumerate(rows):
            offset = offsets[number % len(offsets)]
            set_details(session, row.id, due_date=None if offset is None else TODAY + timedelta(days=offset))
        set_details(session, rows[1].id, evidence_of_impact="Audit shows it.")
        set_status(session, rows[1].id, "complete", today=TODAY - timedelta(days=3))  # due today, but done
        rows = tracker_rows(session, today=TODAY)
    for shift in range(-2, DUE_SOON_DAYS + 3):
        day = TODAY + timedelta(days=shift)
        counts = summary(rows, day)
        assert counts.overdue == sum(row.is_overdue(day) for row in rows), day
        assert counts.due_soon == sum(row.is_due_soon(day) for row in rows), day
    assert summary(rows, TODAY).overdue == sum(1 for n in range(len(rows)) if n % len(offsets) == 0)
