"""One UK date style through one helper, and one strict reader of typed dates."""

from __future__ import annotations

import re
from datetime import date, datetime
from pathlib import Path

import pytest
from sqlalchemy import select

from lgf_desktop import dates
from lgf_desktop.dates import long_date, month_year, parse_date, short_date, short_date_time
from lgf_desktop.errors import UserError
from lgf_desktop.models import ContactAttempt, Review

PACKAGE = Path(dates.__file__).parent


def test_table_prose_and_month_styles_have_no_leading_zero():
    assert short_date(date(2022, 2, 3)) == "3 Feb 2022"
    assert long_date(date(2022, 2, 3)) == "3 February 2022"
    assert month_year(date(2022, 2, 3)) == "February 2022"
    assert short_date(date(2021, 11, 23)) == "23 Nov 2021"
    assert short_date_time(datetime(2022, 3, 1, 9, 5)) == "1 Mar 2022 09:05"
    assert short_date(None) == long_date(None) == ""
    assert dates.stored_as_shown("2022-03-01") == "1 Mar 2022"
    assert dates.stored_as_shown("2022-03-01 14:30:00") == "1 Mar 2022 14:30"
    assert dates.stored_as_shown("Head of Service") == "Head of Service"


@pytest.mark.parametrize("typed, expected", [
    ("14/03/25", date(2025, 3, 14)),  # two digits are this century, never the year 25
    ("14/3/2025", date(2025, 3, 14)),
    ("1.2.24", date(2024, 2, 1)),
    ("14-03-2025", date(2025, 3, 14)),
    ("2025-03-14", date(2025, 3, 14)),
    ("14 March 2025", date(2025, 3, 14)),
    ("14 mar 25", date(2025, 3, 14)),
    ("3rd Sept 2024", date(2024, 9, 3)),
    ("  29/02/2024 ", date(2024, 2, 29)),
    ("", None),
])
def test_uk_dates_are_read_day_first(typed, expected):
    assert parse_date(typed) == expected


@pytest.mark.parametrize("typed, says", [
    ("31/02/2025", "February 2025 has no day 31"),
    ("29/02/2025", "February 2025 has no day 29"),
    ("03/14/2025", "there is no month 14"),
    ("14/03/1925", "between 2000 and 2100"),
    ("14/03/0025", "between 2000 and 2100"),
    ("14/03/2101", "between 2000 and 2100"),
    ("14/03/225", "is not a date"),
    ("next Tuesday", "is not a date"),
    ("14 Ma 2025", "is not a month"),
    ("14/03", "is not a date"),
    ("x" * 500, "is not a date"),
])
def test_anything_else_is_refused_with_a_sentence(typed, says):
    with pytest.raises(UserError) as refused:
        parse_date(typed)
    message = str(refused.value)
    assert says in message and message.endswith(".") and "\n" not in message and len(message) < 200


def test_a_typed_contact_date_reaches_the_report_as_this_century(qtbot, demo_db, monkeypatch):
    from PySide6.QtWidgets import QMessageBox

    from lgf_desktop.ui.main_window import MainWindow

    monkeypatch.setattr(QMessageBox, "warning", staticmethod(lambda *a, **k: None))
    window = MainWindow(demo_db)
    qtbot.addWidget(window)
    with demo_db.session() as session:
        review_id = session.scalar(select(Review.id).where(Review.status == "declined"))
    window.navigator.select("review", review_id)
    page = window.stack.currentWidget()
    page.add_contact()
    index = page.contacts.index(page.contacts.rowCount() - 1, 0)
    page.contacts.setData(index, "14/03/25")
    assert page.contacts.data(index) == "14 Mar 2025"
    assert not page.contacts.setData(index, "14/03/1925")
    with demo_db.session() as session:
        stored = session.scalars(select(ContactAttempt.contact_date).where(ContactAttempt.review_id == review_id)).all()
    assert date(2025, 3, 14) in stored and all(d.year >= 2000 for d in stored)


# Date directives (strftime/format codes) may appear only in dates.py; elsewhere only clock times and
# file-name stamps, which are not dates a reader sees.
ALLOWED = {"backups.py"}
DIRECTIVE = re.compile(r"%-?[dbBmyY]\b|%[bB]|\.strftime\(|toString\(\"[dMy]")


def test_every_screen_and_export_formats_dates_through_the_one_helper():
    offenders = []
    for path in PACKAGE.rglob("*.py"):
        if path.name == "dates.py" or path.name in ALLOWED or "migrations" in path.parts:
            continue
        for number, line in enumerate(path.read_text().splitlines(), 1):
            if DIRECTIVE.search(line):
                offenders.append(f"{path.relative_to(PACKAGE)}:{number}: {line.strip()}")
    assert offenders == []


def test_date_pickers_show_the_same_style():
    offenders = [f"{p.relative_to(PACKAGE)}" for p in (PACKAGE / "ui").rglob("*.py")
                 if re.search(r'setDisplayFormat\("[^"]*d', p.read_text())]
    assert offenders == []
