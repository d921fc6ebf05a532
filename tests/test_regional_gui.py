"""The regional lead's screens: reviewing the suggested recurring recommendations (split, rename,
accept), which the regional report then prints as saved; the regional report exported from the
Export menu; a shared template imported with its changes shown first (Apply or Cancel)."""

from __future__ import annotations

import docx
import pytest

from benchmarks.generate_region import RECURRING, ROUND, build_partnership
from lgf_desktop.db import Database
from lgf_desktop.exports.regional_data import read_regional
from lgf_desktop.services.regional_report.groups import stored_groups
from lgf_desktop.services.review.template_package import export_template_package
from lgf_desktop.services.review.rounds import find_round
from lgf_desktop.ui import regional
from lgf_desktop.ui.main_window import MainWindow


@pytest.fixture
def northvale(tmp_path) -> Database:
    """One partnership's database: three organisations, each with the recurring recommendation in
    other words (the app suggests them as one group)."""
    build_partnership(tmp_path / "northvale.sqlite3", 0, 3, response_words=10)
    db = Database.open(tmp_path / "northvale.sqlite3")
    yield db
    db.close()


def saved(db: Database):
    with db.read() as session:
        return stored_groups(session, ROUND)


@pytest.fixture
def window(qtbot, northvale) -> MainWindow:
    win = MainWindow(northvale)
    qtbot.addWidget(win)
    win.resize(1366, 768)
    win.show()
    return win


def test_the_lead_splits_renames_and_saves_a_group_the_report_prints(qtbot, window, northvale, tmp_path):
    dialog = regional.open_groups(window, northvale, ROUND)
    qtbot.waitUntil(lambda: dialog.save_button.isEnabled(), timeout=10_000)
    groups = dialog.groups()
    assert len(groups) == 1 and len(groups[0][1]) == 3  # the three rewordings, suggested together
    assert "suggestions" in dialog.explain.text()
    # Split two off into a group of their own: the one left alone no longer recurs and goes.
    group = dialog.tree.topLevelItem(0)
    group.child(0).setSelected(True)
    group.child(2).setSelected(True)
    kept = [group.child(0).data(0, regional.KEY), group.child(2).data(0, regional.KEY)]
    dialog.split_selected()
    assert [keys for _, keys in dialog.groups()] == [kept]
    dialog.tree.topLevelItem(0).setText(0, "Children's views shape the training offer")
    dialog.save()
    qtbot.waitUntil(lambda: saved(northvale) is not None, timeout=10_000)
    with northvale.read() as session:
        assert stored_groups(session, ROUND) == [("Children's views shape the training offer", tuple(kept))]
        data = read_regional(session, ROUND)
    assert [(g.title, g.confirmed) for g in data.recurring] == [("Children's views shape the training offer", True)]

    report = regional.open_regional_report(window)
    report.path_edit.setText(str(tmp_path / "regional.docx"))
    report.start_export()
    qtbot.waitUntil(lambda: report.exported is not None, timeout=60_000)
    texts = [p.text for p in docx.Document(str(report.exported)).paragraphs]
    assert "Children's views shape the training offer: NSCP 2 and NSCP 6 — two organisations." in texts


def test_the_leads_texts_and_recommendations_to_the_region_print(qtbot, window, northvale, tmp_path):
    report = regional.open_regional_report(window)
    assert "1 partnership(s) with round 2021-22 in this database" in report.status.text()
    texts = regional.open_texts(report, northvale, ROUND)
    qtbot.waitUntil(lambda: texts.save_button.isEnabled(), timeout=10_000)
    texts.conclusion.setPlainText("The region learnt a great deal.")
    texts.recommendations.setPlainText("Agree one escalation policy across the region.\n\nShare training dates.")
    texts.save()
    qtbot.waitUntil(lambda: texts.status.text().startswith("Saved"), timeout=10_000)
    report.path_edit.setText(str(tmp_path / "regional.docx"))
    report.start_export()
    qtbot.waitUntil(lambda: report.exported is not None, timeout=60_000)
    document = docx.Document(str(report.exported))
    assert "The region learnt a great deal." in [p.text for p in document.paragraphs]
    rows = [[c.text for c in row.cells] for t in document.tables for row in t.rows]
    assert ["Recommendations to Avonvale and Somershire Region"] * 2 in rows
    assert ["Region 1", "Agree one escalation policy across the region."] in rows
    assert ["Region 2", "Share training dates."] in rows


def test_a_saved_empty_review_is_kept_not_suggested_again(qtbot, window, northvale):
    dialog = regional.open_groups(window, northvale, ROUND)
    qtbot.waitUntil(lambda: dialog.save_button.isEnabled(), timeout=10_000)
    dialog.tree.topLevelItem(0).setSelected(True)
    dialog.remove_selected_group()
    dialog.save()
    qtbot.waitUntil(lambda: saved(northvale) is not None, timeout=10_000)
    with northvale.read() as session:
        assert read_regional(session, ROUND).recurring == ()


def test_importing_a_shared_template_shows_its_changes_and_applies_only_when_asked(
        qtbot, window, northvale, tmp_path, my_key, monkeypatch):
    lead = Database.open(tmp_path / "lead.sqlite3")
    try:
        from lgf_desktop.services import editing
        from lgf_desktop.services.review.rounds import create_round

        with lead.session() as session:
            editing.set_partnership(session, "Regional Lead Partnership")
            round_ = create_round(session, ROUND)
            theme = editing.add_theme(session, round_.id, "Neglect")
            editing.add_question(session, theme.id, "How do staff recognise neglect early?")
            path = export_template_package(session, round_, tmp_path / "t.lgfx", author="Lead", to=(my_key.public,))
    finally:
        lead.close()
    asked: list[str] = []
    answers = iter([False, True])
    monkeypatch.setattr(regional.TemplateChangesDialog, "ask",
                        classmethod(lambda cls, parent, changes: asked.append(changes) or next(answers)))
    told: list[str] = []

    def themes() -> list[str]:
        with northvale.read() as session:
            return [t.title for t in find_round(session, ROUND).themes]

    before = themes()
    regional.import_template_file(window, str(path), told.append)
    qtbot.waitUntil(lambda: bool(told), timeout=10_000)
    assert asked == [f"Importing this template changes round {ROUND}'s template:\n"
                     "- New theme ‘Neglect’ with 1 question(s)."]
    assert told == ["The shared template was not imported; nothing changed."] and themes() == before
    regional.import_template_file(window, str(path), told.append)
    qtbot.waitUntil(lambda: len(told) == 2, timeout=10_000)
    assert told[1].startswith(f"Round {ROUND} now has the shared template from Regional Lead Partnership")
    assert themes() == before + ["Neglect"]
