"""The seed report's constructs the Word export learnt (issue 14 item 6), each entered through the
services and read back from a real export with python-docx; the same file passes the schema check
and LibreOffice prints it."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import docx
import pytest
from docx.oxml.ns import qn

import seed_constructs as seed
from lgf_desktop.errors import UserError
from lgf_desktop.exports.preview import preview_report
from lgf_desktop.exports.report_docx import export_report
from lgf_desktop.models import ReportAppendix
from lgf_desktop.services import editing
from lgf_desktop.services.review import appendices, responses, workshop
from lgf_desktop.services.review.rounds import find_round
from test_docx_schema import problems
from test_report_docx import headings, rows

ICB = "Northvale and Westmoor Integrated Care Board"
PATHWAYS = "Pathways Youth Service, Riverside Learning Trust"


@pytest.fixture
def entered(demo_db) -> seed.Constructs:
    return seed.apply(demo_db)


@pytest.fixture
def path(demo_db, entered, tmp_path) -> Path:
    path = tmp_path / "report.docx"
    with demo_db.session() as session:
        export_report(session, find_round(session, seed.ROUND), path)
    return path


@pytest.fixture
def report(path):
    return docx.Document(str(path))


def section_tables(report) -> dict[str, object]:
    """The review tables by organisation: the first two tables are the two held reviews'."""
    return {ICB: report.tables[0], PATHWAYS: report.tables[1]}


def paragraph(report, start: str) -> str:
    return next(p.text for p in report.paragraphs if p.text.startswith(start))


def final_table(report) -> list[list[str]]:
    return [r.texts for r in rows(report.tables[2])]


def test_notes_on_an_attendee_and_an_apology_follow_their_names(report):
    assert (f"Apologies were received from Carys Morgan (Designated Nurse), {seed.APOLOGY_NOTE}."
            in paragraph(report, "This review took place on 10 February 2022"))
    held = paragraph(report, "This review took place on 1 March 2022")
    assert f"Jordan Mayes (Service Manager) and Bethany Cole (Head of Youth Services), {seed.ATTENDEE_NOTE}." in held


def test_a_note_before_the_last_name_keeps_to_its_own_name():
    from lgf_desktop.exports.report_data import PersonData
    from lgf_desktop.exports.report_prose import people

    assert people([PersonData("Ann Lee", "Nurse", "who left at 11"), PersonData("Raj Patel"),
                   PersonData("Jo Reed", "Director")]) == "Ann Lee (Nurse), who left at 11; Raj Patel; and Jo Reed (Director)"
    assert people([PersonData("Ann Lee"), PersonData("Raj Patel", "", "who joined late")]) == \
        "Ann Lee and Raj Patel, who joined late"


def test_a_partnership_recommendation_agreed_in_a_review_is_in_its_table_and_lettered(report):
    table = rows(section_tables(report)[ICB])
    in_table = [r.texts[1] for r in table if r.spans == [1, 2] and seed.IN_TABLE in r.texts[1]]
    final = final_table(report)
    letters = {text: number for number, text in (r for r in final if len(r) == 2 and r[0] != r[1])}
    assert in_table == [f"Recommendation {letters[seed.IN_TABLE]}: {seed.IN_TABLE}"]
    assert letters[seed.IN_TABLE].isalpha()
    partnership = final.index(["Additional Recommendations for Children's Partnership"])
    assert final.index([letters[seed.IN_TABLE], seed.IN_TABLE]) > partnership
    # The organisation's group in the final table does not hold it: it is not numbered.
    assert all(not row[0].isdigit() for row in final if row[-1] == seed.IN_TABLE)


def test_a_partnership_recommendation_follows_a_declined_organisations_section(report, entered):
    texts = [p.text for p in report.paragraphs]
    start = texts.index("Peer Review Westmoor Community Voluntary Network")
    after = [t for t in texts[start + 1:texts.index("Conclusion")] if t.startswith("Recommendation ")]
    letter = after[0].removeprefix("Recommendation ").split(":")[0]
    assert after == [f"Recommendation {letter}: {entered.after_declined}"] and letter.isalpha()
    final = final_table(report)
    assert [letter, entered.after_declined] in final
    assert ["", "Recommendations: WCVN"] not in final  # its organisation has no numbered one left


def test_the_full_wording_is_in_the_final_table_and_the_brief_one_where_it_was_agreed(report, entered):
    table = rows(section_tables(report)[PATHWAYS])
    brief_rows = [r.texts[1] for r in table if r.spans == [1, 2] and entered.brief in r.texts[1]]
    assert brief_rows and seed.FULL not in brief_rows[0]
    final = final_table(report)
    number = brief_rows[0].removeprefix("Recommendation ").split(":")[0]
    assert [number, seed.FULL] in final and all(row[-1] != entered.brief for row in final)


def test_short_names_title_the_groups_and_the_first_is_in_the_heading_row(report):
    final = final_table(report)
    assert final[0] == ["Number", "Recommendations: NW ICB"]
    assert ["", "Recommendations: Pathways"] in final
    assert f"Peer Review {PATHWAYS}" in headings(report)  # the section heading keeps the full name


def test_one_response_covering_two_questions_is_one_merged_cell(report, entered):
    table = section_tables(report)[PATHWAYS]
    info = rows(table)
    first = next(i for i, r in enumerate(info) if r.texts[1].startswith(entered.merged_first))
    second = info[first + 1]
    assert second.texts[1].startswith(entered.merged_second)
    assert info[first].merges[2] == "restart" and second.merges[2] == "continue"
    assert info[first].texts[2] == entered.merged_text
    assert info[first].keep_with_next  # the shared cell's questions stay on one page
    assert "No response was recorded." not in second.texts


def test_a_question_left_blank_on_purpose_is_an_empty_cell_unlike_a_forgotten_one(demo_db, report, entered):
    info = rows(section_tables(report)[PATHWAYS])
    blank = next(r for r in info if r.texts[1].startswith(entered.blank_question))
    forgotten = next(r for r in info if r.texts[1].startswith(entered.forgotten_question))
    assert blank.texts[2] == ""
    assert forgotten.texts[2] == "No response was recorded."
    with demo_db.session() as session:
        warnings = preview_report(session, find_round(session, seed.ROUND)).warnings
    missing = [w for w in warnings if w.startswith(PATHWAYS) and "without a response" in w]
    # Only the forgotten one is warned about; the blank one and the one answered above are not.
    assert len(missing) == 1 and missing[0].startswith(f"{PATHWAYS}: 1 question without a response (first: “Can you")


def test_the_question_template_is_the_appendix_the_methodology_names(report):
    assert headings(report)[-2:] == ["Appendix 1: Section 11 arrangements", "Appendix 2: Question Template"]
    methodology = " ".join(p.text for p in report.paragraphs)
    assert "A copy of the question template can be found at Appendix 2 of this report." in methodology
    ticks = [p for p in report.paragraphs if p.text == "A clear line of accountability"]
    assert ticks and ticks[0]._p.pPr.find(qn("w:numPr")) is not None  # the appendix text's ✓ list is a real list


def test_the_report_with_every_construct_passes_the_schema_check(path):
    assert problems(path) == []


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
def test_libreoffice_prints_every_construct(path, entered, tmp_path):
    subprocess.run(["soffice", "--headless", f"-env:UserInstallation=file://{tmp_path}/lo", "--convert-to", "pdf",
                    "--outdir", str(tmp_path), str(path)], check=True, capture_output=True, timeout=240)
    text = subprocess.run(["pdftotext", str(tmp_path / "report.pdf"), "-"], capture_output=True, text=True,
                          check=True).stdout
    flat = " ".join(text.split())
    for expected in (seed.APOLOGY_NOTE, seed.ATTENDEE_NOTE, seed.FULL, "Appendix 2: Question Template",
                     "Recommendations: NW ICB", "Recommendations: Pathways", "at Appendix 2 of this report"):
        assert " ".join(expected.split()) in flat, expected
    assert flat.count(" ".join(entered.merged_text.split())) == 1  # printed once, for both questions


# --- what the services refuse, in one sentence, changing nothing ---------------------------------


def test_the_first_question_of_a_theme_has_nothing_above_to_share_with(demo_db):
    with demo_db.session() as session:
        review = seed.held(session, "Pathways")
        first = review.round.themes[2].questions[0]
        with pytest.raises(UserError, match="first question of its theme"):
            responses.set_answered_above(session, review, first.id, True)


def test_the_question_template_cannot_be_removed_from_the_appendices(demo_db):
    with demo_db.session() as session:
        round_ = find_round(session, seed.ROUND)
        extra = appendices.add_appendix(session, round_.id, "Standards")
        template = next(a for a in round_.appendices if a.kind == "question template")
        with pytest.raises(UserError, match="always one of the report's appendices"):
            appendices.check_removable(session, template.id)
        assert appendices.check_removable(session, extra.id) is extra
        with pytest.raises(UserError, match="needs a title"):
            editing.update(session, ReportAppendix, extra.id, title="  ")
        with pytest.raises(UserError, match="not something the report can fill"):
            editing.update(session, ReportAppendix, extra.id, text="See {appendix_number}")


def test_a_note_too_long_for_the_sentence_is_refused(demo_db):
    with demo_db.session() as session:
        review = seed.held(session, "Northvale")
        with pytest.raises(UserError, match="at most 300 characters"):
            workshop.add_representative(session, review, "Ann Lee", "Nurse", "apologies", "x" * 301)


def test_a_recommendation_for_the_round_cannot_become_an_organisations(demo_db):
    with demo_db.session() as session:
        round_ = find_round(session, seed.ROUND)
        own = workshop.partnership_recommendations(session, round_.id)[0]
        with pytest.raises(UserError, match="agreed for the round"):
            workshop.set_for_partnership(session, own.id, False)


def test_the_tracker_follows_a_recommendation_in_its_full_wording(demo_db, entered):
    from datetime import date

    from lgf_desktop.services.tracker.rows import TrackerFilter, tracker_rows

    with demo_db.session() as session:
        rows = tracker_rows(session, TrackerFilter(), today=date(2022, 6, 1))
        numbers = {row.text: row.reference for row in rows}
    assert seed.FULL in numbers and entered.brief not in numbers
    # Its reference is its number in the report; the partnership's agreed in a review are lettered there too.
    assert numbers[seed.IN_TABLE].rsplit(" ", 1)[-1].isalpha()


def test_a_removed_appendix_comes_back_with_undo_delete(demo_db):
    from lgf_desktop.services import undo_delete

    with demo_db.session() as session:
        round_id = find_round(session, seed.ROUND).id
        extra = appendices.add_appendix(session, round_id, "Section 11 arrangements", "✓ A clear line")
        appendices.move_appendix(session, extra.id, -1)
        extra_id = extra.id
    with demo_db.session() as session:
        snap = undo_delete.delete(session, ReportAppendix, appendices.check_removable(session, extra_id).id)
    with demo_db.session() as session:
        assert [a.kind for a in find_round(session, seed.ROUND).appendices] == ["question template"]
        undo_delete.restore(session, snap)
    with demo_db.session() as session:
        assert [(n, t) for n, t, _id in appendices.numbered(find_round(session, seed.ROUND))] == [
            (1, "Section 11 arrangements"), (2, "Question Template")]


def test_the_demo_report_shows_the_seed_constructs_it_holds(demo_db, tmp_path):
    """The demo, like the seed, has an apology with a note and one response covering two questions."""
    path = tmp_path / "demo.docx"
    with demo_db.session() as session:
        export_report(session, find_round(session, seed.ROUND), path)
    report = docx.Document(str(path))
    assert f"Carys Morgan (Designated Nurse), {seed.APOLOGY_NOTE}." in paragraph(report, "This review took place on 10")
    info = rows(section_tables(report)[PATHWAYS])
    merged = [i for i, r in enumerate(info) if len(r.merges) == 3 and r.merges[2] == "restart"]
    assert len(merged) == 1 and info[merged[0] + 1].merges[2] == "continue"
    assert info[merged[0]].texts[1].startswith("How confident are you that staff know how to spot")
