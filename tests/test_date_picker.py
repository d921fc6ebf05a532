"""Date pickers say a date as the tables and exports do ("26 Sep 2025"), in the UK English locale the
app sets: Qt's UK month abbreviation for September is "Sept", so the audit's end date once read
"26 Sept 2025" beside "26 Sep 2025" in the tracker (seen at 1366×768 under X)."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import QDate, QLocale
from PySide6.QtWidgets import QCheckBox, QDateEdit

from lgf_desktop.dates import short_date
from lgf_desktop.ui.audit.details import date_edit
from lgf_desktop.ui.tracker.dialogs import optional_date


@pytest.fixture
def uk_locale(qapp):
    before = QLocale()
    QLocale.setDefault(QLocale(QLocale.Language.English, QLocale.Country.UnitedKingdom))  # as app.main does
    yield
    QLocale.setDefault(before)


@pytest.mark.parametrize("day", [date(2025, 9, 26), date(2022, 2, 3), date(2021, 6, 1)])
def test_a_date_picker_shows_the_date_as_the_tables_do(qtbot, uk_locale, day: date) -> None:
    audit_end = date_edit("End date")
    qtbot.addWidget(audit_end)
    audit_end.setDate(QDate(day))
    due, ticked = QDateEdit(), QCheckBox()
    qtbot.addWidget(due)
    qtbot.addWidget(ticked)
    optional_date(ticked, due, lambda: day)
    ticked.setChecked(True)
    assert audit_end.text() == due.text() == short_date(day)


def test_the_picker_week_starts_on_monday(qtbot, uk_locale) -> None:
    edit = date_edit("Start date")
    qtbot.addWidget(edit)
    assert edit.locale().firstDayOfWeek().name == "Monday"
