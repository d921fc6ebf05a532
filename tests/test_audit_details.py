"""An audit's details and its training links (issue 5): the Qt-free service, then the Audit details
tab driven like a coordinator would."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import QDate, QItemSelectionModel, Qt
from PySide6.QtWidgets import QDialog, QMessageBox
from sqlalchemy import select

from lgf_desktop.errors import UserError
from lgf_desktop.models import Audit, AuditLink
from lgf_desktop.services.audit.cases import create_audit
from lgf_desktop.services.audit.details import add_link, clean_link, edit_link, move_link, set_audit_details
from lgf_desktop.ui.audit import page as page_module
from lgf_desktop.ui.audit.details import DetailsView
from lgf_desktop.ui.audit.page import AuditsPage

from audit_helpers import make_audit, open_audits_page, the_audit



def details_of(db) -> tuple:
    with db.session() as session:
        a = the_audit(session)
        return a.theme, a.quarter, a.start_date, a.end_date, [(link.title, link.url) for link in a.links]


# ----- the service ---------------------------------------------------------------------------------

def test_details_change_and_bad_input_leaves_the_audit_as_it_was(db) -> None:
    make_audit(db)
    with db.session() as session:
        audit = the_audit(session)
        set_audit_details(audit, theme="  Neglect and home conditions ", quarter="2025-26 Q3",
                          start_date=date(2025, 10, 1), end_date=date(2025, 12, 19))
    assert details_of(db)[:4] == ("Neglect and home conditions", "2025-26 Q3", date(2025, 10, 1), date(2025, 12, 19))
    before = details_of(db)
    bad = [({"end_date": date(2025, 9, 30)}, "The end date is before the start date."),
           ({"start_date": date(2026, 1, 5)}, "The end date is before the start date."),
           ({"theme": "   "}, "An audit needs a theme"),
           ({"quarter": "Q" * 41}, "Keep the quarter short"),
           ({"theme": "Changed", "end_date": date(2025, 1, 1)}, "The end date is before")]  # nothing half-done
    for values, sentence in bad:
        with pytest.raises(UserError, match=sentence):
            with db.session() as session:
                set_audit_details(the_audit(session), **values)
        assert details_of(db) == before
    with db.session() as session:  # a date can be cleared; the others are left alone
        set_audit_details(the_audit(session), start_date=None)
    assert details_of(db)[:4] == ("Neglect and home conditions", "2025-26 Q3", None, date(2025, 12, 19))


def test_creating_an_audit_checks_its_dates(db) -> None:
    with pytest.raises(UserError, match="The end date is before the start date."), db.session() as session:
        create_audit(session, "Neglect", "Q1", start_date=date(2025, 6, 1), end_date=date(2025, 5, 1))
    with db.session() as session:
        assert session.scalars(select(Audit)).all() == []
        audit = create_audit(session, "Neglect", "Q1", start_date=date(2025, 4, 1), end_date=date(2025, 6, 30))
        assert (audit.start_date, audit.end_date) == (date(2025, 4, 1), date(2025, 6, 30))


@pytest.mark.parametrize("url", ["https://www.gov.uk/guidance/neglect", "http://intranet/safeguarding",
                                 "HTTPS://Example.org", "mailto:training@westmoor.gov.uk"])
def test_good_links(url) -> None:
    assert clean_link(" Neglect toolkit ", f" {url} ") == ("Neglect toolkit", url)


@pytest.mark.parametrize("title, url, sentence", [
    ("Toolkit", "www.gov.uk/neglect", "A link must be a web address"),
    ("Toolkit", "ftp://files.example.org/a.pdf", "A link must be a web address"),
    ("Toolkit", "javascript:alert(1)", "A link must be a web address"),
    ("Toolkit", "https://", "A link must be a web address"),
    ("Toolkit", "mailto:nobody", "A link must be a web address"),
    ("Toolkit", "https://www.gov.uk/a page", "A link must be a web address"),
    ("  ", "https://www.gov.uk", "A link needs a title"),
])
def test_bad_links_are_refused(title, url, sentence) -> None:
    with pytest.raises(UserError, match=sentence):
        clean_link(title, url)


def test_links_are_added_edited_and_moved(db) -> None:
    make_audit(db)
    with db.session() as session:
        audit = the_audit(session)
        first = add_link(audit, "Neglect toolkit", "https://example.org/toolkit")
        add_link(audit, "Graded care profile", "https://example.org/gcp2")
        session.flush()
        first_id = first.id
    with db.session() as session:
        edit_link(session, first_id, title="Neglect toolkit (2025)")
        move_link(session, first_id, 1)
    assert details_of(db)[4] == [("Graded care profile", "https://example.org/gcp2"),
                                 ("Neglect toolkit (2025)", "https://example.org/toolkit")]
    with pytest.raises(UserError, match="A link must be"), db.session() as session:
        edit_link(session, first_id, url="example.org")
    assert details_of(db)[4][1] == ("Neglect toolkit (2025)", "https://example.org/toolkit")


# ----- the Audit details tab -------------------------------------------------------------------------

@pytest.fixture
def page(qtbot, db, monkeypatch):
    monkeypatch.setattr(QMessageBox, "question", staticmethod(lambda *a, **k: QMessageBox.StandardButton.Yes))
    make_audit(db)
    return open_audits_page(qtbot, db, "details")


def type_into(qtbot, edit, text: str) -> None:
    edit.setFocus()
    edit.selectAll()
    qtbot.keyClicks(edit, text)
    qtbot.keyClick(edit, Qt.Key.Key_Tab)  # the person tabs away: the theme and quarter save at once
    settled(qtbot, edit.window())


def settled(qtbot, page) -> None:
    """Wait until the details' saves in flight have reported (their commits are queued already)."""
    details = page.findChild(DetailsView) if not isinstance(page, DetailsView) else page
    if details is not None:
        qtbot.waitUntil(lambda: not any(a._inflight for a in details.autosaves.values()))


def test_audit_details_tab_saves_checks_and_undoes(qtbot, page, db, screenshot) -> None:
    view = page.details
    assert view.theme.text() == "Neglect" and view.quarter.text() == "2025-26 Q2"
    type_into(qtbot, view.theme, "Neglect and home conditions")
    type_into(qtbot, view.quarter, "2025-26 Q3")
    view.start.setDate(QDate(2025, 10, 1))
    view.start.editingFinished.emit()
    view.end.setDate(QDate(2025, 12, 19))
    view.end.editingFinished.emit()
    assert details_of(db)[:4] == ("Neglect and home conditions", "2025-26 Q3", date(2025, 10, 1), date(2025, 12, 19))
    assert "Neglect and home conditions — 2025-26 Q3" in page.chooser.currentText()
    assert view.saved.text().startswith("Saved")

    view.end.setDate(QDate(2025, 9, 1))  # before the start: refused beside the field
    view.end.editingFinished.emit()
    assert view.dates_error.isVisible() and "end date is before the start date" in view.dates_error.text()
    assert details_of(db)[3] == date(2025, 12, 19)
    view.theme.setFocus()
    view.theme.clear()  # a theme rubbed out: refused beside the field, the text stays on screen
    qtbot.keyClick(view.theme, Qt.Key.Key_Tab)
    settled(qtbot, view)
    assert view.theme_error.isVisible() and details_of(db)[0] == "Neglect and home conditions"
    assert "needs a theme" in view.theme_error.text() and view.problem
    screenshot(page, "audit_details_refused.png")
    type_into(qtbot, view.theme, "Neglect and home conditions")
    assert not view.theme_error.isVisible() and not view.problem

    type_into(qtbot, view.link_title, "Neglect toolkit")
    type_into(qtbot, view.link_url, "www.example.org/toolkit")
    view.add_link()
    assert view.add_error.isVisible() and "https://" in view.add_error.text()
    assert details_of(db)[4] == []
    view.link_url.setText("https://example.org/toolkit")
    qtbot.keyClick(view.link_url, Qt.Key.Key_Return)
    type_into(qtbot, view.link_title, "Ask the training team")
    view.link_url.setText("mailto:training@example.org")
    view.add_link()
    assert not view.add_error.isVisible()
    assert details_of(db)[4] == [("Neglect toolkit", "https://example.org/toolkit"),
                                 ("Ask the training team", "mailto:training@example.org")]

    model = view.links
    assert not model.setData(model.index(0, 1), "not a link")  # an edit in the table, refused
    assert view.links_error.isVisible() and details_of(db)[4][0][1] == "https://example.org/toolkit"
    assert model.setData(model.index(0, 0), "Neglect toolkit (2025)")
    assert details_of(db)[4][0] == ("Neglect toolkit (2025)", "https://example.org/toolkit")

    with db.session() as session:
        uuid = session.scalars(select(AuditLink.uuid).order_by(AuditLink.position)).first()
    flags = QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows
    view.links_view.selectionModel().setCurrentIndex(model.index(0, 0), flags)
    assert not view.undo_button.isEnabled()
    view.remove_link()
    assert [r["title"] for r in model.rows] == ["Ask the training team"]
    assert view.undo_button.isEnabled()
    view.undo_remove()
    with db.session() as session:
        back = session.scalars(select(AuditLink).order_by(AuditLink.position)).all()
        assert [(link.uuid == uuid, link.title) for link in back][0] == (True, "Neglect toolkit (2025)")
    assert [r["title"] for r in model.rows] == ["Neglect toolkit (2025)", "Ask the training team"]

    view.setFocus()
    screenshot(page, "audit_details.png")


def test_new_audit_dialog_sets_the_dates(qtbot, db, monkeypatch) -> None:
    def fill(dialog) -> QDialog.DialogCode:
        dialog.theme.setText("Children missing education")
        dialog.quarter.setText("2026-27 Q1")
        dialog.start.setDate(QDate(2026, 4, 1))
        dialog.end.setDate(QDate(2026, 6, 30))
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(page_module.NewAuditDialog, "exec", fill)
    widget = AuditsPage(db)
    qtbot.addWidget(widget)
    widget.new_audit()
    with db.session() as session:
        audit = session.scalars(select(Audit)).one()
        assert (audit.theme, audit.quarter, audit.start_date, audit.end_date) == (
            "Children missing education", "2026-27 Q1", date(2026, 4, 1), date(2026, 6, 30))
