"""The self-assessment round's screen: reached from the navigator, the collation grid (a checked
model) coloured by rating, filters and counts, moderation, dropping returned forms, themes."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QColor, QDropEvent
from sqlalchemy import select

from lgf_desktop.db import Database
from lgf_desktop.exports.self_assessment_form import export_form
from lgf_desktop.models import Organisation, Round, Theme
from lgf_desktop.services.review.rounds import find_round
from lgf_desktop.ui.main_window import MainWindow
from lgf_desktop.ui.self_assessment.page import SelfAssessmentPage
from lgf_desktop.ui.self_assessment.model import CollationModel

from sa_support import fill_form


@pytest.fixture
def page(qtbot, demo_db: Database) -> SelfAssessmentPage:
    win = MainWindow(demo_db)
    qtbot.addWidget(win)
    win.resize(1366, 768)
    win.show()
    with demo_db.session() as session:
        round_id = find_round(session, "2020-21").id
    win.navigator.select("round", round_id)
    found = win.page("self-assessment")
    assert win.stack.currentWidget() is found
    qtbot.waitUntil(lambda: found.collation is not None, timeout=10_000)
    return found


def _row(page: SelfAssessmentPage, organisation: str) -> int:
    return next(r for r in range(page.proxy.rowCount()) if page.proxy.index(r, 0).data() == organisation)


def test_grid_is_a_sound_model_coloured_by_rating_with_counts(page, qtmodeltester):
    qtmodeltester.check(page.model)
    qtmodeltester.check(page.proxy)
    assert page.proxy.rowCount() == 8 and page.model.columnCount() == 3 + 12
    police = _row(page, "Westmoor Police")
    cell = page.proxy.index(police, 3 + 5)  # standard 6, information sharing: Not met
    assert cell.data() == "Not met"
    assert page.proxy.index(police, 3 + 2).data() == "Partially"
    assert page.proxy.headerData(police, Qt.Orientation.Vertical) == "Westmoor Police"
    assert cell.data(Qt.ItemDataRole.BackgroundRole) == QColor("#d73027")
    assert "Returned 6 · partly 1 · not yet 1 of 8" in page.counts.text()
    pathways = _row(page, "Pathways Youth Service, Riverside Learning Trust")
    assert page.proxy.index(pathways, 2).data() == "chased 05/02/2021, 19/02/2021" or \
        page.proxy.index(pathways, 2).data().startswith("chased ")


def test_filters_by_state_and_weak_standard(page, qtbot):
    page.state_filter.setCurrentIndex(page.state_filter.findData("not yet"))
    assert page.proxy.rowCount() == 1 and "showing 1" in page.counts.text()
    page.state_filter.setCurrentIndex(0)
    page.weak_filter.setCurrentIndex(3)  # 3. Listening to children
    shown = {page.proxy.index(r, 0).data() for r in range(page.proxy.rowCount())}
    assert "Westmoor Police" in shown and "Northvale and Westmoor Integrated Care Board" not in shown
    assert len(shown) == 6


def test_challenge_and_moderate_an_answer(page, qtbot):
    police = _row(page, "Westmoor Police")
    assert page.select(page.proxy.index(police, 0).data(Qt.ItemDataRole.UserRole).organisation_id, 3 + 5)
    page.answer.challenge.setPlainText("Out-of-hours practice is not evidenced.")
    page.answer.rating.setCurrentIndex(page.answer.rating.findData("Partially met"))
    with qtbot.waitSignal(page.loaded, timeout=10_000):
        page.answer._save()
    police = _row(page, "Westmoor Police")
    assert page.proxy.index(police, 3 + 5).data() == "Partially *"
    assert "Challenged: Out-of-hours" in page.proxy.index(police, 3 + 5).data(Qt.ItemDataRole.ToolTipRole)


def test_dropping_a_returned_form_imports_it(page, qtbot, tmp_path: Path):
    with page.db.session() as session:
        org = session.scalar(select(Organisation).where(Organisation.name.like("Pathways%")))
        form = tmp_path / "pathways.xlsx"
        export_form(session, find_round(session, "2020-21"), org, form)
    fill_form(form, form, {n: 1 for n in range(1, 13)})
    data = QMimeData()
    data.setUrls([QUrl.fromLocalFile(str(form))])
    event = QDropEvent(QPointF(10, 10), Qt.DropAction.CopyAction, data, Qt.MouseButton.NoButton,
                       Qt.KeyboardModifier.NoModifier)
    with qtbot.waitSignal(page.loaded, timeout=15_000):
        page.dropEvent(event)
    assert "Returned 7 · partly 1 · not yet 0" in page.counts.text()


def test_one_organisations_form_from_the_selected_row(page, qtbot, tmp_path: Path):
    """The coordinator re-sends one organisation's form: the form written is that organisation's, and
    importing it back (filled) counts as its return."""
    assert not page.form_button.isEnabled()  # nothing chosen yet
    with page.db.session() as session:
        org = session.scalar(select(Organisation).where(Organisation.name.like("Pathways%")))
        org_id, org_name = org.id, org.name
    assert page.select(org_id, 1)
    assert page.form_button.isEnabled()
    form = tmp_path / "one.xlsx"
    page.export_form_to(org_id, form)
    qtbot.waitUntil(lambda: page.form_button.isEnabled() and form.exists(), timeout=15_000)
    from openpyxl import load_workbook

    texts = [str(c.value) for ws in load_workbook(form).worksheets for row in ws.iter_rows() for c in row if c.value]
    assert any(org_name in t for t in texts)
    fill_form(form, form, {n: 1 for n in range(1, 13)})
    with qtbot.waitSignal(page.loaded, timeout=15_000):
        page.import_returns([form])
    assert "Returned 7 · partly 1 · not yet 0" in page.counts.text()


def test_suggest_themes_adds_them_to_the_next_peer_review_round(page, qtbot, monkeypatch):
    from lgf_desktop.ui.self_assessment.themes_dialog import ThemesDialog

    dialog = ThemesDialog(page, page.round_id)
    qtbot.addWidget(dialog)
    assert dialog.list.item(0).text().startswith("Listening to children — 6 organisations")
    assert dialog.target.currentText() == "2021-22"
    for i in range(dialog.list.count()):
        dialog.list.item(i).setCheckState(Qt.CheckState.Unchecked)
    dialog.list.item(4).setCheckState(Qt.CheckState.Checked)  # Safe recruitment: not yet a 2021-22 theme
    dialog.add()
    with page.db.session() as session:
        titles = [t.title for t in session.scalars(select(Theme).join(Round).where(Round.label == "2021-22")
                                                   .order_by(Theme.position))]
    assert titles[-1] == dialog.suggestions[4].title and len(titles) == 8


def test_model_check_on_an_empty_model(qtmodeltester):
    qtmodeltester.check(CollationModel())


def test_a_round_made_a_self_assessment_on_its_details_gets_its_standards(qtbot, demo_db: Database):
    from lgf_desktop.services.review.rounds import create_round

    with demo_db.session() as session:
        round_ = create_round(session, "2024-25", use_default_template=False)
        round_.kind = "self-assessment"
        session.flush()
        round_id = round_.id
    win = MainWindow(demo_db)
    qtbot.addWidget(win)
    win.show()
    win.navigator.select("round", round_id)
    page = win.page("self-assessment")
    qtbot.waitUntil(lambda: page.collation is not None and page.collation.round_id == round_id, timeout=10_000)
    assert len(page.collation.standards) == 12 and page.collation.previous_label == "2020-21"
    assert page.proxy.rowCount() == 8
    page.show_details()
    assert win.stack.currentWidget() is win.page("round")


def test_standards_dialog_edits_a_standard_and_the_scale_making_a_new_form_version(page, qtbot, shown_errors):
    from lgf_desktop.models import SelfAssessmentSetup, Standard
    from lgf_desktop.ui.self_assessment.standards_dialog import StandardsDialog

    dialog = StandardsDialog(page, page.round_id)
    qtbot.addWidget(dialog)
    dialog.table.item(0, 1).setText("A clear, written line of accountability for safeguarding children")
    dialog.table.item(1, 2).setText("Name the lead and their training.")
    dialog.scale.setCurrentText("RAG")  # answers already use Fully met…: refused, nothing saved
    dialog.save()
    assert dialog.result() == 0
    assert "which the scale RAG does not have" in shown_errors[-1].text
    with page.db.session() as session:
        setup = session.scalar(select(SelfAssessmentSetup).where(SelfAssessmentSetup.round_id == page.round_id))
        assert setup.form_version == 1 and setup.scale_name.startswith("Fully")
    dialog.scale.setCurrentText("Fully / Mostly / Partially / Not met")
    dialog.save()
    assert dialog.result() == 1
    with page.db.session() as session:
        setup = session.scalar(select(SelfAssessmentSetup).where(SelfAssessmentSetup.round_id == page.round_id))
        first = session.scalar(select(Standard).where(Standard.round_id == page.round_id, Standard.position == 0))
        assert setup.form_version == 2 and first.wording.startswith("A clear, written line")
