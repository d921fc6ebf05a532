"""The directory and review forms: adding, editing in place, and bad input told in one sentence
with the database left as it was."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from sqlalchemy import func, select

from lgf_desktop.db import Database
from lgf_desktop.models import ContactAttempt, Organisation, Person, Representative, Review
from lgf_desktop.ui import deleting
from lgf_desktop.ui.main_window import MainWindow


@pytest.fixture
def window(qtbot, demo_db: Database, monkeypatch: pytest.MonkeyPatch) -> MainWindow:
    monkeypatch.setattr(deleting, "confirm", lambda parent, title, question: True)
    win = MainWindow(demo_db)
    qtbot.addWidget(win)
    win.resize(1366, 768)
    win.show()
    return win


def _count(db: Database, model: type) -> int:
    with db.session() as session:
        return session.scalar(select(func.count()).select_from(model))


def test_organisations_add_rename_and_refuse_a_blank_name(window: MainWindow) -> None:
    window.navigator.select("organisations", None)
    page = window.stack.currentWidget()
    before = _count(window.db, Organisation)
    page.new_name.setText("   ")
    page.add()
    assert "needs a name" in page.error.text() and page.error.isVisible()
    assert _count(window.db, Organisation) == before
    page.new_name.setText("Quarrybank Academy Trust")
    page.new_short.setText("RAT")
    assert page.new_sector.currentText() == "Other"
    page.new_sector.setCurrentText("Education")
    page.add()
    assert not page.error.isVisible()
    assert _count(window.db, Organisation) == before + 1
    page.filter.setText("quarrybank")
    assert page.proxy.rowCount() == 1
    index = page.proxy.index(0, 0)
    assert page.proxy.setData(index, "Quarrybank Academies Trust")
    assert not page.proxy.setData(index, "")
    with window.db.session() as session:
        assert session.scalar(select(Organisation.name).where(Organisation.short_name == "RAT")) == "Quarrybank Academies Trust"


def test_an_organisation_with_reviews_is_not_deleted(window: MainWindow, shown_errors) -> None:
    window.navigator.select("organisations", None)
    page = window.stack.currentWidget()
    with window.db.session() as session:
        name = session.scalar(select(Organisation.name).join(Review, Review.organisation_id == Organisation.id))
    page.filter.setText(name)
    page.view.selectRow(0)
    before = _count(window.db, Organisation)
    page.remove()
    assert shown_errors and "cannot be deleted while" in shown_errors[0].text
    assert _count(window.db, Organisation) == before and window.undo_stack == []


def test_people_get_an_organisation_from_the_drop_down(window: MainWindow) -> None:
    window.navigator.select("people", None)
    page = window.stack.currentWidget()
    page.new_name.setText("Nadia Okoro")
    page.new_org.setCurrentIndex(2)
    org_id = page.new_org.currentData()
    page.add()
    with window.db.session() as session:
        assert session.scalar(select(Person.organisation_id).where(Person.name == "Nadia Okoro")) == org_id


def test_representatives_and_contact_attempts(window: MainWindow) -> None:
    with window.db.session() as session:
        review_id = session.scalar(select(Review.id).where(Review.status == "declined"))
    window.navigator.select("review", review_id)
    page = window.stack.currentWidget()
    assert page.tabs.currentIndex() == 2  # a declined review opens on its contacts
    page.rep_name.setText("Morgan Ashby")
    page.rep_role.setText("Head of Safeguarding")
    page.add_rep("apologies")
    with window.db.session() as session:
        rep = session.scalar(select(Representative).where(Representative.name == "Morgan Ashby"))
        assert rep.kind == "apologies" and rep.review_id == review_id
    contacts = _count(window.db, ContactAttempt)
    page.add_contact()
    assert _count(window.db, ContactAttempt) == contacts + 1
    row = page.contacts.rowCount() - 1
    date_index = page.contacts.index(row, 0)
    assert not page.contacts.setData(date_index, "next Tuesday")
    assert "is not a date" in page.error.text()
    page.contacts.setData(date_index, "14/03/2022")
    assert page.contacts.data(date_index, Qt.ItemDataRole.DisplayRole) == "2022-03-14"
    assert not page.error.isVisible()
