"""The self-assessment across the cycle: collation (counts, states, moderation), carry-forward to the
next cycle, the themes it suggests for the peer reviews, the tracker, the Word report, and the demo."""

from __future__ import annotations

import shutil
import subprocess
from datetime import date
from pathlib import Path

import docx
import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from lgf_desktop.cli import main as lgf
from lgf_desktop.errors import UserError
from lgf_desktop.exports.self_assessment_form import export_form
from lgf_desktop.models import Organisation, SelfAssessmentReturn, Theme
from lgf_desktop.services.review.rounds import create_round, find_round
from lgf_desktop.services.self_assessment.collation import collate
from lgf_desktop.services.self_assessment.moderation import add_recommendation, chase, challenge, find_return, moderate
from lgf_desktop.services.self_assessment.returns import import_form_file
from lgf_desktop.services.self_assessment.themes import add_themes, suggest_themes
from lgf_desktop.services.tracker.rows import tracker_rows

from sa_support import fill_form, new_round

POLICE = "Eastfield Police"


def _export(db, tmp_path: Path, organisation: str, label: str) -> Path:
    target = tmp_path / f"{organisation}-{label}.xlsx"
    with db.session() as session:
        org = session.scalar(select(Organisation).where(Organisation.name == organisation))
        export_form(session, find_round(session, label), org, target)
    return target


def _year_one(db, tmp_path: Path) -> None:
    """2020-21: the police complete (weak on 3 and 6), the council partly (weak on 3), the others not yet."""
    new_round(db)
    police = {n: 0 for n in range(1, 13)} | {3: 3, 6: 2, 9: 1}
    import_form_file(db, fill_form(_export(db, tmp_path, POLICE, "2020-21"), tmp_path / "p.xlsx", police))
    council = {1: 1, 2: 0, 3: 2}
    import_form_file(db, fill_form(_export(db, tmp_path, "Eastfield Council", "2020-21"), tmp_path / "c.xlsx", council))


def test_collation_counts_states_and_moderation(db, tmp_path):
    _year_one(db, tmp_path)
    with db.session() as session:
        round_ = find_round(session, "2020-21")
        chase(session, find_return(session, round_, "Eastfield Youth Club"), date(2021, 2, 5))
        collation = collate(session, round_)
        assert collation.states() == {"returned": 1, "partly": 1, "not yet": 2}
        third = collation.standards[2].id
        assert collation.per_standard()[third] == {"Not met": 1, "Partially met": 1}
        club = next(r for r in collation.rows if r.organisation == "Eastfield Youth Club")
        assert club.chased == [date(2021, 2, 5)] and club.state == "not yet"
        police = next(r for r in collation.rows if r.organisation == POLICE)
        answer = session.get(type(session.get(SelfAssessmentReturn, police.return_id).answers[0]),
                             police.cells[third].answer_id)
        challenge(session, answer, "Where is the evidence children were heard?")
        moderate(session, answer, "Partially met")
        with pytest.raises(UserError, match="'Excellent' is not on the 2020-21 scale"):
            moderate(session, answer, "Excellent")
        after = collate(session, round_)
        assert after.per_standard()[third] == {"Partially met": 2}
        assert next(r for r in after.rows if r.organisation == POLICE).cells[third].challenge.startswith("Where")


def test_theme_suggestion_adds_themes_with_draft_questions_to_the_next_peer_review_round(db, tmp_path):
    _year_one(db, tmp_path)
    with db.session() as session:
        round_ = find_round(session, "2020-21")
        suggestions = suggest_themes(session, round_)
        assert [(s.title, s.weak) for s in suggestions] == [("Listening to children", 2), ("Information sharing", 1)]
        assert suggestions[0].organisations == ["Eastfield Council", POLICE]
        peer = create_round(session, "2021-22", use_default_template=False)
        added = add_themes(session, round_, peer, [suggestions[0].standard_id])
        assert [t.title for t in added] == ["Listening to children"]
        assert len(added[0].questions) == 3 and "2020-21 self-assessment" in added[0].questions[1].text
        assert add_themes(session, round_, peer, [suggestions[0].standard_id]) == []  # not twice
        assert session.scalar(select(Theme).where(Theme.round_id == round_.id)) is None  # year one unchanged


def test_carry_forward_prefills_and_the_collation_shows_confirmed_answers(db, tmp_path):
    _year_one(db, tmp_path)
    new_round(db, "2023-24", copy_from_label="2020-21")
    form = _export(db, tmp_path, POLICE, "2023-24")
    ws = load_workbook(form)["Standards"]
    assert ws["C7"].value == "Not met" and ws["K7"].value == "from 2020-21 — confirm or update"
    assert ws["E5"].value.startswith("Policy reviewed")
    # The police confirm everything but improve standard 3 (Not met → Mostly met).
    import_form_file(db, fill_form(form, tmp_path / "p2.xlsx", {3: 1}, texts=False))
    with db.session() as session:
        collation = collate(session, find_round(session, "2023-24"))
        assert collation.previous_label == "2020-21"
        police = next(r for r in collation.rows if r.organisation == POLICE)
        cells = [police.cells[s.id] for s in collation.standards]
        assert [c.confirmed_unchanged for c in cells].count(True) == 11 and not cells[2].confirmed_unchanged
        assert cells[2].comparison == "better" and cells[0].comparison == "same"
        assert all(c.carried_from == "2020-21" for c in cells)


def test_recommendations_go_into_the_tracker_with_their_references(db, tmp_path):
    _year_one(db, tmp_path)
    with db.session() as session:
        round_ = find_round(session, "2020-21")
        police = session.scalar(select(Organisation).where(Organisation.name == POLICE))
        add_recommendation(session, round_, "Set up a young people's forum.", organisation=police)
        add_recommendation(session, round_, "Publish a refresher training offer.")
        rows = tracker_rows(session)
    refs = {r.text: r.reference for r in rows}
    assert {r.short_reference for r in rows if r.text.startswith(("Set up", "Publish"))} == {"SA 2020-21 · 1", "SA 2020-21 · 2"}
    assert refs["Set up a young people's forum."] == "Section 11 self-assessment 2020-21, recommendation 1"
    assert refs["Publish a refresher training offer."] == "Section 11 self-assessment 2020-21, recommendation 2"


def test_word_report_reads_back_with_computed_methodology(db, tmp_path, capsys):
    _year_one(db, tmp_path)
    with db.session() as session:
        round_ = find_round(session, "2020-21")
        police = session.scalar(select(Organisation).where(Organisation.name == POLICE))
        add_recommendation(session, round_, "Set up a young people's forum.", organisation=police)
    db.close()
    target = tmp_path / "year-one.docx"
    assert lgf(["--db", db.address, "export", "self-assessment-report", "--round", "2020-21", "--out", str(target)]) == 0
    document = docx.Document(str(target))
    texts = [p.text for p in document.paragraphs]
    assert "Section 11 Self-Assessment" in texts and "Round 2020-21" in texts
    assert any(t.startswith("Four organisations were asked") and "twelve standards" in t for t in texts)
    assert any("1 organisation returned a complete self-assessment, 1 organisation returned a partly completed one "
               "(Eastfield Council) and 2 organisations had not returned it." in t for t in texts)
    headings = [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
    assert headings[:4] == ["Background", "Methodology", "Summary", "The Standards"]
    assert f"Self-Assessment {POLICE}" in headings and headings[-2:] == ["Recommendations", "Appendix: The Self-Assessment Form"]
    summary = document.tables[0]
    assert len(summary.rows) == 5 and len(summary.columns) == 13
    police_row = next(r for r in summary.rows if r.cells[0].text == POLICE)
    assert [c.text for c in police_row.cells[1:5]] == ["F", "F", "N", "F"]
    recs = document.tables[-2]
    assert recs.rows[1].cells[0].text == f"Recommendations: {POLICE}" and recs.rows[2].cells[1].text.startswith("Set up")


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("soffice") is None or shutil.which("pdftotext") is None,
                    reason="LibreOffice and poppler are installed by .ci/run")
def test_libreoffice_converts_the_year_one_report(demo_db, tmp_path):
    demo_db.close()
    target = tmp_path / "year-one.docx"
    assert lgf(["--db", demo_db.address, "export", "self-assessment-report", "--round", "2020-21", "--out", str(target)]) == 0
    profile = (tmp_path / "lo-profile").as_uri()
    result = subprocess.run(["soffice", f"-env:UserInstallation={profile}", "--headless", "--convert-to", "pdf",
                             "--outdir", str(tmp_path), str(target)], capture_output=True, text=True, timeout=180)
    assert result.returncode == 0, result.stderr
    text = subprocess.run(["pdftotext", "-layout", str(tmp_path / "year-one.pdf"), "-"], capture_output=True,
                          text=True, check=True).stdout
    assert "Self-Assessment Westmoor Police" in text and "Page 1 of" in text
    assert "Pathways Youth Service, Riverside Learning Trust had not returned its self-" in text


def test_demo_year_one_feeds_the_2021_22_themes(demo_db):
    with demo_db.session() as session:
        year_one = find_round(session, "2020-21")
        states = collate(session, year_one).states()
        assert states == {"returned": 6, "partly": 1, "not yet": 1}
        suggested = [s.title for s in suggest_themes(session, year_one)][:3]
        assert suggested == ["Listening to children", "Information sharing", "Supervision and training"]
        peer = find_round(session, "2021-22")
        assert "developed from themes identified in the 2020-21 written self-assessment" in peer.methodology_intro
        assert "Listening to children, rated Partially met or Not met by 6 organisations (the theme Listening to Children)" \
            in peer.methodology_intro


def test_identifying_data_in_carried_forward_answers_stops_the_form_and_report(db, tmp_path):
    from lgf_desktop.services.privacy.leaving import IdentifyingDataFound

    _year_one(db, tmp_path)
    with db.session() as session:
        police = find_return(session, find_round(session, "2020-21"), POLICE)
        police.answers[0].evidence = "Case of a child, DOB 03/04/2015, escalated."
    new_round(db, "2023-24", copy_from_label="2020-21")
    with pytest.raises(IdentifyingDataFound) as caught:
        _export(db, tmp_path, POLICE, "2023-24")
    assert "Eastfield Police's form, standard 1, evidence" in caught.value.findings[0].place.label
    assert not (tmp_path / f"{POLICE}-2023-24.xlsx").exists()
    db.close()
    code = lgf(["--db", db.address, "export", "self-assessment-report", "--round", "2020-21",
                "--out", str(tmp_path / "r.docx")])
    assert code == 2 and not (tmp_path / "r.docx").exists()


def test_an_answer_that_starts_with_equals_travels_as_text(db, tmp_path):
    _year_one(db, tmp_path)
    with db.session() as session:
        police = find_return(session, find_round(session, "2020-21"), POLICE)
        police.answers[0].works_well = "=HYPERLINK(\"http://example.org\") is our intranet page"
    new_round(db, "2023-24", copy_from_label="2020-21")
    form = _export(db, tmp_path, POLICE, "2023-24")
    cell = load_workbook(form)["Standards"]["F5"]
    assert cell.data_type == "s" and cell.value.startswith("=HYPERLINK")
    import_form_file(db, form)
    with db.session() as session:
        answers = find_return(session, find_round(session, "2023-24"), POLICE).answers
        assert any(a.works_well.startswith("=HYPERLINK") and a.confirmed_unchanged for a in answers)
