"""The Section 11 report read back from the .docx: structure, merges, numbering, computed text."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

import docx
import pytest
from docx.oxml.ns import qn
from docx.shared import Mm
from docx.table import _Cell
from sqlalchemy import select

from lgf_desktop.errors import UserError
from lgf_desktop.exports.preview import preview_report
from lgf_desktop.exports.report_docx import export_report
from lgf_desktop.models import Recommendation, Response, Review, Round
from lgf_desktop.services.review.numbering import report_numbers
from lgf_desktop.services.review.rounds import create_round, find_round

ROUND = "2021-22"
ICB = "Northvale and Westmoor Integrated Care Board"
PATHWAYS = "Pathways Youth Service, Riverside Learning Trust"
WCVN = "Westmoor Community Voluntary Network"


@dataclass
class RowInfo:
    texts: list[str]
    spans: list[int]
    merges: list[str | None]
    header: bool
    cant_split: bool
    keep_with_next: bool


def rows(table) -> list[RowInfo]:
    """Every row of a table as it is in the XML (a merged cell is one ``w:tc``, not repeated)."""
    out = []
    for tr in table._tbl.tr_lst:
        tr_pr = tr.trPr
        out.append(RowInfo(
            texts=[_Cell(tc, table).text for tc in tr.tc_lst],
            spans=[tc.grid_span for tc in tr.tc_lst],
            merges=[tc.vMerge for tc in tr.tc_lst],
            header=tr_pr is not None and tr_pr.find(qn("w:tblHeader")) is not None,
            cant_split=tr_pr is not None and tr_pr.find(qn("w:cantSplit")) is not None,
            keep_with_next=any(p.find(qn("w:pPr") + "/" + qn("w:keepNext")) is not None for p in tr.iter(qn("w:p"))),
        ))
    return out


def headings(document, level: int = 1) -> list[str]:
    return [p.text for p in document.paragraphs if p.style.name == f"Heading {level}"]


def export(db, path: Path, label: str = ROUND):
    with db.session() as session:
        return export_report(session, find_round(session, label), path, author="Ruth Okafor")


@pytest.fixture
def report(demo_db, tmp_path):
    path = tmp_path / "report.docx"
    export(demo_db, path)
    return docx.Document(str(path))


def test_heading_sequence_follows_the_regional_report(report):
    titles = [p.text for p in report.paragraphs if p.style.name == "Title"]
    assert titles == [f"Section 11 Report {ROUND}"]
    assert headings(report) == [
        "Background", "Methodology", f"Peer Review {ICB}", f"Peer Review {PATHWAYS}", f"Peer Review {WCVN}",
        "Conclusion", "Recommendations", "Appendix 1: Question Template",
    ]
    subtitles = [p.text for p in report.paragraphs if p.style.name == "Subtitle"]
    assert subtitles == ["Westmoor Children's Partnership", "March 2022"]


def test_page_header_footer_fields_and_properties(report):
    section = report.sections[0]
    assert abs(section.page_width - Mm(210)) < Mm(0.1) and abs(section.page_height - Mm(297)) < Mm(0.1)
    assert section.header.paragraphs[0].text == "Westmoor Children's Partnership"
    footer_xml = section.footer._element.xml
    instructions = [e.text.strip() for e in section.footer._element.iter(qn("w:instrText"))]
    assert instructions == ["PAGE", "NUMPAGES"]
    assert "Page " in section.footer.paragraphs[0].text and " of " in footer_xml
    props = report.core_properties
    assert props.title == f"Section 11 Report {ROUND}"
    assert props.author == "Ruth Okafor"
    assert props.created.date() == date.today()
    assert len(report.inline_shapes) == 1  # the demo partnership's logo on the title block


def test_review_tables_merge_themes_and_place_recommendations(demo_db, report):
    with demo_db.session() as session:
        round_ = find_round(session, ROUND)
        numbers = report_numbers(session, round_)
        held = [r for r in round_.reviews if r.status == "held"]
        for table, review in zip(report.tables[:2], held, strict=True):
            recs = session.scalars(select(Recommendation).where(Recommendation.review_id == review.id)).all()
            info = rows(table)
            assert info[0].texts == ["Theme", "Questions to Explore", "Responses"]
            assert info[0].header and not any(r.header for r in info[1:])
            assert all(r.cant_split for r in info)
            body = info[1:]
            # The theme cell starts on the theme's first question and is continued over exactly its
            # questions and the recommendation rows agreed on them.
            index = 0
            for theme in round_.themes:
                theme_recs = [r for r in recs if r.question and r.question.theme_id == theme.id]
                height = len(theme.questions) + len(theme_recs)
                block = body[index:index + height]
                assert block[0].merges[0] == "restart" and block[0].texts[0] == theme.title
                assert [r.merges[0] for r in block[1:]] == ["continue"] * (height - 1)
                index += height
            assert index == len(body)
            # Each recommendation row spans question and response and follows its question.
            for position, row in enumerate(body):
                if row.spans == [1, 2]:
                    previous = next(r for r in reversed(body[:position]) if r.spans == [1, 1, 1])
                    rec = next(r for r in recs if row.texts[1].endswith(r.text))
                    assert row.texts[1] == f"Recommendation {numbers[rec.id]}: {rec.text}"
                    assert previous.texts[1].split("\n")[0] == rec.question.text
                    assert body[position - 1].keep_with_next  # never a page between question and recommendation
            assert sum(1 for r in body if r.spans == [1, 2]) == len(recs)


def test_recommendations_table_numbers_match_the_body(demo_db, report):
    body_numbers = {}
    for table in report.tables[:2]:
        for row in rows(table):
            if row.spans == [1, 2]:
                label, text = row.texts[1].split(": ", 1)
                body_numbers[label.removeprefix("Recommendation ")] = text
    for paragraph in report.paragraphs:
        if paragraph.text.startswith("Recommendation ") and ":" in paragraph.text:
            label, text = paragraph.text.split(": ", 1)
            body_numbers[label.removeprefix("Recommendation ")] = text
    info = rows(report.tables[2])
    # As in the seed: the heading row carries the first organisation's group title, by its short name
    # ("Number | Recommendations: BNSSG CCG"); it does not repeat, as it would mislabel later pages.
    assert info[0].texts == ["Number", "Recommendations: NW ICB"] and not info[0].header
    groups = [r.texts[1] for r in info[1:] if r.spans == [1, 1] and r.texts[0] == ""]
    assert groups == ["Recommendations: Pathways", "Recommendations: WCVN"]
    assert [r.texts[0] for r in info if r.spans == [2]] == ["Additional Recommendations for Children's Partnership"]
    numbered = [r.texts for r in info[1:] if r.spans == [1, 1] and r.texts[0]]
    assert [n for n, _ in numbered] == [str(i) for i in range(1, 11)] + ["A", "B", "C"]
    for number, text in numbered[:10]:
        assert body_numbers[number] == text
    with demo_db.session() as session:
        round_ = find_round(session, ROUND)
        numbers = report_numbers(session, round_)
        by_text = {r.text: numbers[r.id]
                   for r in session.scalars(select(Recommendation).where(Recommendation.round_id == round_.id))}
    assert all(by_text[text] == number for number, text in numbered)


def test_methodology_counts_and_lists_come_from_the_data(demo_db, report):
    paragraphs = [p for p in report.paragraphs]
    texts = [p.text for p in paragraphs]
    start, end = texts.index("Methodology"), texts.index(f"Peer Review {ICB}")
    methodology = texts[start:end]
    with demo_db.session() as session:
        round_ = find_round(session, ROUND)
        themes = [t.title for t in round_.themes]
        chair = round_.chair.person.describe()
        members = [m.person.describe() for m in round_.panel if m.role == "member"]
    assert any(f"chaired by {chair}." in t for t in methodology)
    assert all(any(m in t for t in methodology) for m in members)
    lead = texts.index("The questions explored seven themes:")
    assert texts[lead + 1:lead + 1 + len(themes)] == themes
    assert all(paragraphs[lead + 1 + i].style.name == "List Bullet" for i in range(len(themes)))
    # Short names introduced on first use; a comma inside a name never adds an organisation.
    assert any(t.startswith(f"This report contains the peer reviews of three organisations: {ICB} (NW ICB); "
                            f"{PATHWAYS} (Pathways) and {WCVN} (WCVN).") for t in methodology)
    assert any("The workshops lasted 90 minutes." in t for t in methodology)
    assert not any("8 themes" in t or "eight themes" in t for t in texts)


def test_declined_organisation_gets_contact_history_and_its_recommendation(report):
    texts = [p.text for p in report.paragraphs]
    at = texts.index(f"Peer Review {WCVN}")
    history = texts[at + 1]
    assert history.startswith("This review did not take place. WCVN did not engage with the Section 11 process.")
    assert "It first contacted WCVN by email on 23 November 2021" in history
    assert "15 February 2022" in history and "No response was received" in history
    assert texts[at + 2].startswith("Recommendation 10: The Children's Partnership Executive")
    assert len(report.tables) == 4  # two held reviews, the recommendations, the appendix: no table for WCVN


def test_appendix_is_the_question_template_with_empty_responses(demo_db, report):
    info = rows(report.tables[-1])
    with demo_db.session() as session:
        round_ = find_round(session, ROUND)
        questions = round_.questions
        cover = round_.template_cover_text.replace("{workshop_minutes}", "90").replace(
            "{partnership}", "Westmoor Children's Partnership")
    assert "{" not in cover and "90-minute workshop" in cover
    assert info[0].header and len(info) == 1 + len(questions)
    assert [r.texts[1].split("\n")[0] for r in info[1:]] == [q.text for q in questions]
    assert all(r.texts[2] == "" for r in info[1:])
    texts = [p.text for p in report.paragraphs]
    assert texts[texts.index("Appendix 1: Question Template") + 1] == cover


# A NUL among the illegal characters: PostgreSQL refuses to store one (a sentence says so there).
@pytest.mark.sqlite_only
def test_responses_keep_paragraphs_and_bullets_and_survive_illegal_characters(demo_db, tmp_path):
    with demo_db.session() as session:
        review = session.scalar(select(Review).where(Review.status == "held").order_by(Review.position))
        response = sorted(review.responses, key=lambda r: r.id)[0]
        response.text = "First\x0cparagraph\x01 here.\x0bSecond line\n- a bullet\n• another\x00 bullet"
        review.overall_comment = "Pasted\x1f from\x08 elsewhere."
    path = tmp_path / "report.docx"
    export(demo_db, path)
    document = docx.Document(str(path))
    cell = document.tables[0].rows[1].cells[2]
    assert [(p.style.name, p.text) for p in cell.paragraphs] == [
        ("Normal", "First"), ("Normal", "paragraph here."), ("Normal", "Second line"),
        ("List Bullet", "a bullet"), ("List Bullet", "another bullet"),
    ]
    assert "Pasted from elsewhere." in [p.text for p in document.paragraphs]


def test_preview_warns_about_gaps_without_blocking(demo_db, tmp_path):
    with demo_db.session() as session:
        round_ = find_round(session, ROUND)
        held = [r for r in round_.reviews if r.status == "held"]
        held[0].review_date = None
        first_response = sorted(held[1].responses, key=lambda r: r.id)[0]
        session.delete(first_response)
        round_.reviews.append(Review(organisation=held[0].organisation, status="planned", position=9))
    with demo_db.session() as session:
        preview = preview_report(session, find_round(session, ROUND))
    warnings = "\n".join(preview.warnings)
    assert f"{ICB}: A held review needs the date it took place." in warnings
    assert f"{PATHWAYS}: 1 question without a response" in warnings
    assert "planned, not held, so it is left out of the report" in warnings
    assert [r.organisation for r in preview.included] == [ICB, PATHWAYS, WCVN]
    path = tmp_path / "report.docx"
    export(demo_db, path)
    document = docx.Document(str(path))
    texts = [p.text for p in document.paragraphs]
    assert texts[texts.index(f"Peer Review {ICB}") + 1].startswith("The date of this review was not recorded.")
    assert rows(document.tables[1])[1].texts[2] == "No response was recorded."
    assert headings(document).count(f"Peer Review {ICB}") == 1  # the planned review is left out


def test_report_order_renumbers_body_and_table_together(demo_db, tmp_path):
    with demo_db.session() as session:
        round_ = find_round(session, ROUND)
        icb, pathways = [r for r in round_.reviews if r.status == "held"]
        icb.position, pathways.position = pathways.position, icb.position
    path = tmp_path / "report.docx"
    export(demo_db, path)
    document = docx.Document(str(path))
    assert headings(document)[2:4] == [f"Peer Review {PATHWAYS}", f"Peer Review {ICB}"]
    first_rec = next(r for r in rows(document.tables[0]) if r.spans == [1, 2])
    assert first_rec.texts[1].startswith("Recommendation 1: Review the multi-agency policies")
    table = rows(document.tables[2])
    assert table[0].texts == ["Number", "Recommendations: Pathways"]
    assert table[1].texts[0] == "1" and table[1].texts[1].startswith("Review the multi-agency policies")


def test_round_without_reviews_is_refused_and_writes_nothing(demo_db, tmp_path):
    with demo_db.session() as session:
        create_round(session, "2022-23")
    out = tmp_path / "out"
    out.mkdir()
    with pytest.raises(UserError, match="Round 2022-23 has nothing to report: it has no reviews yet"):
        export(demo_db, out / "empty.docx", "2022-23")
    assert list(out.iterdir()) == []


def test_failed_save_keeps_the_old_file(demo_db, tmp_path, monkeypatch):
    out = tmp_path / "out"
    out.mkdir()
    path = out / "report.docx"
    path.write_bytes(b"the report from last week")

    def broken_save(self, target):
        Path(target).write_bytes(b"PK half a document")
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(docx.document.Document, "save", broken_save)
    with pytest.raises(UserError, match="The disk holding .*report.docx is full"):
        export(demo_db, path)
    assert path.read_bytes() == b"the report from last week"
    assert [p.name for p in out.iterdir()] == ["report.docx"]  # the half-written temporary file is gone


def test_export_changes_nothing_in_the_database(demo_db, tmp_path):
    with demo_db.session() as session:
        before = (session.query(Response).count(), session.query(Recommendation).count(), session.query(Round).count())
    export(demo_db, tmp_path / "report.docx")
    with demo_db.session() as session:
        after = (session.query(Response).count(), session.query(Recommendation).count(), session.query(Round).count())
    assert before == after
