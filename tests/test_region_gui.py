"""The region in the app: the lead's own database (the demo) with two partnerships' rounds imported
through File → Import a round for the regional report…; the navigator groups the rounds by
partnership and browses them like the partnership's own; an imported round's pages are read-only."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QComboBox, QPlainTextEdit, QPushButton

from lgf_desktop.db import Database
from lgf_desktop.ui import region as region_ui
from lgf_desktop.ui.main_window import MainWindow
from lgf_desktop.ui.navigator import ROLE
from region_support import build_partnership, export_for_region, five_partnerships


@pytest.fixture
def sent(tmp_path: Path) -> list[Path]:
    files = []
    for index, plan in enumerate(five_partnerships()[:2]):
        db = build_partnership(tmp_path / f"p{index}.sqlite3", plan)
        files.append(export_for_region(db, tmp_path / f"{plan.short}.lgfx"))
        db.close()
    return files


@pytest.fixture
def window(qtbot, demo_db: Database) -> MainWindow:
    win = MainWindow(demo_db)
    qtbot.addWidget(win)
    win.resize(1366, 768)
    win.show()
    return win


def children(item) -> list[tuple[str, str]]:
    return [(item.child(i).data(0, ROLE)[0], item.child(i).text(0)) for i in range(item.childCount())]


def import_in_app(qtbot, window: MainWindow, path: Path, monkeypatch) -> str:
    said: list[str] = []
    monkeypatch.setattr(region_ui, "show_summary", lambda parent, summary: said.append(summary))
    region_ui.import_round_for_region(window, str(path))
    qtbot.waitUntil(lambda: bool(said), timeout=20_000)
    return said[0]


def test_navigator_shows_partnerships_rounds_reviews_and_imported_pages_are_read_only(qtbot, window, sent, monkeypatch):
    nav = window.navigator
    assert all(kind == "round" for kind, _ in children(nav.rounds_item))  # one partnership: rounds straight under Rounds
    said = import_in_app(qtbot, window, sent[0], monkeypatch)
    assert "imported for the regional report" in said
    said = import_in_app(qtbot, window, sent[1], monkeypatch)
    assert "Bath and North East Somerset" in said
    top = children(nav.rounds_item)
    assert [kind for kind, _ in top] == ["partnership"] * 3
    assert top[1:] == [("partnership", "Bath and North East Somerset Safeguarding Children Partnership (imported)"),
                       ("partnership", "Bristol, North Somerset and South Gloucestershire Safeguarding Children "
                                       "Partnership (imported)")]
    imported = nav.rounds_item.child(2)
    assert children(imported) == [("round", "2021-22 · read-only")]
    # Browsable like the partnership's own: expand the round, open a review.
    round_item = imported.child(0)
    nav.setCurrentItem(round_item)
    page = window.stack.currentWidget()
    assert page.imported.isVisibleTo(page) and "read-only here" in page.imported.text()
    assert not page.delete_button.isEnabled()
    page.tabs.setCurrentWidget(page.template)
    edits = [b for b in page.template.findChildren(QPushButton) if b.text().replace("&", "") not in ("History…",)]
    assert edits and not any(b.isEnabled() for b in edits)
    assert [kind for kind, _ in children(round_item)] == ["review"] * 3
    nav.setCurrentItem(round_item.child(0))
    review_page = window.stack.currentWidget()
    assert review_page.imported.isVisibleTo(review_page)
    assert all(text.isReadOnly() for text in review_page.findChildren(QPlainTextEdit))
    assert review_page.tabs.isTabVisible(review_page.minutes_tab)
    assert "ASP answered question 1 fully." in review_page.minutes.toPlainText()  # the police, BNSSG's first review
    assert not any(c.isEnabled() for c in review_page.findChildren(QComboBox))
    assert not any(action.isEnabled() for action in window.review_actions)
    # The lead's own round stays editable, and its review actions come back.
    own = nav.rounds_item.child(0)
    own.setExpanded(True)
    own_round = next(own.child(i) for i in range(own.childCount()) if own.child(i).text(0) == "2021-22")
    nav.setCurrentItem(own_round)
    nav._load_children(own_round)
    nav.setCurrentItem(own_round.child(0))
    own_page = window.stack.currentWidget()
    assert not own_page.imported.isVisibleTo(own_page)
    assert not own_page.comment.isReadOnly() and not own_page.tabs.isTabVisible(own_page.minutes_tab)
    assert all(action.isEnabled() for action in window.review_actions)
    # The partnership's item shows the region: every partnership's rounds and their counts.
    nav.setCurrentItem(imported)
    region_page = window.stack.currentWidget()
    rows = [(r["partnership"], r["label"], r["source"], r["reviews"]) for r in region_page.rounds.rows]
    assert ("Somerset Safeguarding Children Partnership", "2021-22", "imported, read-only", 3) not in rows
    assert ("Bath and North East Somerset Safeguarding Children Partnership", "2021-22", "imported, read-only", 3) in rows


def test_planning_asks_before_an_organisation_is_asked_twice(qtbot, window, sent, monkeypatch):
    """The lead's own round (the demo's 2021-22) plans a review of the police, already asked by BNSSG:
    adding it asks first (No adds nothing), and the round page warns once it is added."""
    from sqlalchemy import func, select

    from lgf_desktop.models import Organisation, Review
    from lgf_desktop.services import editing
    from lgf_desktop.ui.forms import round_page

    import_in_app(qtbot, window, sent[0], monkeypatch)
    with window.db.session() as s:
        police = editing.add_organisation(s, "Avon & Somerset Constabulary", "", "Police")
        editing.update(s, Organisation, police.id, ods_code="QAS")
        police_id = police.id
    window.data_changed.emit("organisation")
    nav = window.navigator
    own = nav.rounds_item.child(0)
    own_round = next(own.child(i) for i in range(own.childCount()) if own.child(i).text(0) == "2021-22")
    nav.setCurrentItem(own_round)
    page = window.stack.currentWidget()
    page.tabs.setCurrentWidget(page.reviews)
    page.reviews.organisation.setCurrentIndex(page.reviews.organisation.findData(police_id))
    asked: list[list[str]] = []
    monkeypatch.setattr(round_page, "ask_to_add_anyway", lambda parent, warnings: asked.append(warnings) or False)

    def reviews_of_police() -> int:
        with window.db.session() as s:
            return s.scalar(select(func.count(Review.id)).where(Review.organisation_id == police_id))

    page.reviews.add()
    assert len(asked) == 1 and "already asked by Bristol, North Somerset" in asked[0][0]
    assert reviews_of_police() == 0
    monkeypatch.setattr(round_page, "ask_to_add_anyway", lambda parent, warnings: True)
    page.reviews.add()
    assert reviews_of_police() == 1
    assert "Avon & Somerset Constabulary is already asked by Bristol" in page.problems.text()


def test_export_round_for_the_regional_report_from_the_app(qtbot, window, tmp_path, monkeypatch):
    """Export → Round for the regional report…: the demo partnership's 2021-22, sealed with a
    passphrase agreed with the lead, then imported into a new regional database."""
    from lgf_desktop.exchange.sealing import Opening
    from lgf_desktop.importing import import_file

    monkeypatch.setattr(region_ui, "ask_round", lambda parent, labels: labels[-1])
    monkeypatch.setattr(region_ui, "ask_regional_lead", lambda parent, names: (True, None, "agreed on the phone"))
    out = tmp_path / "westmoor.lgfx"
    region_ui.export_round_for_region(window, str(out))
    qtbot.waitUntil(lambda: "send it to the regional lead" in window.statusBar().currentMessage(), timeout=20_000)
    region = Database.open(tmp_path / "region.sqlite3")
    try:
        said = import_file(region, out, opening=Opening(passphrase="agreed on the phone"))
    finally:
        region.close()
    assert "Round 2021-22 of Westmoor" in said and "imported for the regional report" in said
