"""Tracker exports read back: the CSV with Python's ``csv`` module, the Word tracker and the update
request with python-docx; and ``lgf export tracker`` / ``lgf export update-request``."""

from __future__ import annotations

import csv
import subprocess
import sys
from datetime import date, timedelta
from pathlib import Path

import pytest
from docx import Document
from sqlalchemy import select

from lgf_desktop.errors import UserError
from lgf_desktop.exports.tracker_csv import HEADER, write_tracker_csv
from lgf_desktop.exports.tracker_docx import write_tracker_docx, write_update_request
from lgf_desktop.models import Organisation, Recommendation
from lgf_desktop.services.tracker.actions import add_progress_note, set_details, set_status
from lgf_desktop.services.tracker.rows import TrackerFilter, tracker_rows

TODAY = date(2024, 6, 15)
ICB = "Northvale and Westmoor Integrated Care Board"
YOUTH = "Pathways Youth Service, Riverside Learning Trust"


def lgf(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "lgf_desktop.cli", *args], capture_output=True, text=True)


@pytest.fixture
def tracked(demo_db):
    """The demo with some follow-up: an overdue ICB one with a note, a completed one, a formula-like text."""
    with demo_db.session() as session:
        icb = session.scalar(select(Organisation.id).where(Organisation.name == ICB))
        rows = tracker_rows(session, TrackerFilter(organisation_id=icb), today=TODAY)
        set_details(session, rows[0].id, due_date=TODAY - timedelta(days=10))
        add_progress_note(session, rows[0].id, "Training offer sent to all GP practices — 60% opened it.",
                          note_date=date(2024, 5, 2), author="Sam Lead", today=TODAY)
        set_details(session, rows[1].id, evidence_of_impact="Attendance up from 12 to 31.")
        set_status(session, rows[1].id, "complete", today=TODAY)
        set_details(session, rows[2].id, text="=SUM(A1:A2) is not a formula here")
    return demo_db


def test_csv_reads_back_with_bom_and_header(tracked, tmp_path: Path) -> None:
    target = tmp_path / "tracker.csv"
    with tracked.session() as session:
        rows = tracker_rows(session, today=TODAY)
        write_tracker_csv(session, rows, target, today=TODAY)
    assert target.read_bytes().startswith(b"\xef\xbb\xbf")  # the BOM Excel needs for UTF-8
    with target.open(encoding="utf-8-sig", newline="") as fh:
        table = list(csv.reader(fh))
    assert tuple(table[0]) == HEADER
    assert len(table) == len(rows) + 1
    records = [dict(zip(HEADER, line, strict=True)) for line in table[1:]]
    first = records[0]
    assert first["Reference"] == "Section 11 2021-22, recommendation 1"
    assert first["Organisation"] == ICB and first["Due date"] == "2024-06-05"
    assert first["Follow-up"] == "Overdue by 10 days" and first["Progress notes"] == "1"
    assert first["Latest progress"] == "Training offer sent to all GP practices — 60% opened it."
    assert records[1]["Status"] == "complete" and records[1]["Closed on"] == TODAY.isoformat()
    assert records[1]["Evidence of impact"] == "Attendance up from 12 to 31."
    assert records[2]["Recommendation"] == "'=SUM(A1:A2) is not a formula here"


@pytest.mark.parametrize("text", ["=HYPERLINK(\"http://x\")", "+1+cmd|' /C calc'!A0", "-2+3", "- a bullet",
                                  "@SUM(1)", "\t=1+1", "\r=1+1"])
def test_csv_cells_a_spreadsheet_would_run_are_neutralised(tracked, tmp_path: Path, text: str) -> None:
    with tracked.session() as session:
        rows = tracker_rows(session, today=TODAY)
        # Stored as it is (the screens trim a leading TAB; a database from elsewhere need not have).
        session.get(Recommendation, rows[0].id).text = text
        session.get(Recommendation, rows[1].id).evidence_of_impact = text
    with tracked.session() as session:
        rows = tracker_rows(session, today=TODAY)
        target = write_tracker_csv(session, rows, tmp_path / "tracker.csv", today=TODAY)
    with target.open(encoding="utf-8-sig", newline="") as fh:
        records = [dict(zip(HEADER, line, strict=True)) for line in list(csv.reader(fh))[1:]]
    assert records[0]["Recommendation"] == "'" + text
    assert records[1]["Evidence of impact"] == "'" + text
    assert all(not cell.startswith(("=", "+", "-", "@", "\t", "\r")) for record in records for cell in record.values())


def test_word_tracker_grouped_by_organisation(tracked, tmp_path: Path) -> None:
    target = tmp_path / "tracker.docx"
    with tracked.session() as session:
        rows = tracker_rows(session, today=TODAY)
        write_tracker_docx(session, rows, target, today=TODAY, selection="all")
    doc = Document(str(target))
    headings = [p.text for p in doc.paragraphs if p.style.name == "Heading 2"]
    groups = {row.organisation_full for row in rows if row.organisation != "Partnership"}
    assert len(headings) == len(doc.tables) == len(groups) + 1  # one per organisation, partnership last
    assert headings[-1].startswith("Westmoor Children's Partnership")
    assert f"{ICB} (5)" in headings
    icb_table = doc.tables[headings.index(f"{ICB} (5)")]
    assert [c.text for c in icb_table.rows[0].cells] == [
        "Reference", "Recommendation", "Lead", "Due", "Status", "Progress and evidence"]
    assert len(icb_table.rows) == 1 + 5
    overdue = icb_table.rows[1].cells
    assert overdue[0].text == "Section 11 2021-22, recommendation 1"
    assert overdue[3].text == "5 Jun 2024" and overdue[4].text == "Not started\nOverdue by 10 days"
    assert "Training offer sent" in overdue[5].text
    assert "Evidence of impact: Attendance up from 12 to 31." in icb_table.rows[2].cells[5].text
    assert sum(len(t.rows) - 1 for t in doc.tables) == len(rows)
    assert doc.sections[0].page_width > doc.sections[0].page_height  # landscape
    assert any("1 overdue" in p.text for p in doc.paragraphs)


def test_update_request_lists_only_open_ones_with_space(tracked, tmp_path: Path) -> None:
    target = tmp_path / "request.docx"
    with tracked.session() as session:
        icb = session.scalar(select(Organisation.id).where(Organisation.name == ICB))
        write_update_request(session, icb, target, today=TODAY, return_by=date(2024, 7, 31))
    doc = Document(str(target))
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "by 31 July 2024" in text and "4 recommendations remain open" in text
    headings = [p.text for p in doc.paragraphs if p.style.name == "Heading 2"]
    assert headings == [f"Section 11 2021-22, recommendation {n}" for n in (1, 3, 4, 5)]  # 2 is complete
    first = {row.cells[0].text: row.cells[1] for row in doc.tables[0].rows}
    assert "Progress since the last update" in first and "Evidence of impact" in first
    assert len(first["Progress since the last update"].paragraphs) >= 3  # room to write
    assert first["Last progress recorded"].text.startswith("2 May 2024: Training offer sent")
    assert "overdue by 10 days" in first["Due"].text


def test_update_request_refused_when_nothing_is_open(tracked, tmp_path: Path) -> None:
    target = tmp_path / "none.docx"
    with tracked.session() as session:
        quiet = Organisation(name="Quiet Dental Practice")
        session.add(quiet)
        session.flush()
        with pytest.raises(UserError, match="Quiet Dental Practice has no open recommendations"):
            write_update_request(session, quiet.id, target, today=TODAY)
    assert not target.exists()


@pytest.mark.slow
def test_cli_exports(tracked, tmp_path: Path) -> None:
    db = tracked.address
    out = tmp_path / "open-icb.csv"
    result = lgf("--db", db, "export", "tracker", "--out", str(out), "--organisation", "northvale and westmoor "
                 "integrated care board", "--status", "open")
    assert result.returncode == 0, result.stderr
    assert "Wrote 4 recommendations" in result.stdout
    with out.open(encoding="utf-8-sig", newline="") as fh:
        assert len(list(csv.reader(fh))) == 1 + 4
    word = tmp_path / "all.docx"
    assert lgf("--db", db, "export", "tracker", "--out", str(word)).returncode == 0
    assert Document(str(word)).tables
    request = tmp_path / "request.docx"
    result = lgf("--db", db, "export", "update-request", "--organisation", YOUTH, "--out", str(request))
    assert result.returncode == 0, result.stderr and request.exists()
    for args, message in (
        (("tracker", "--out", str(tmp_path / "x.txt")), "must end in .docx or .csv"),
        (("tracker", "--out", str(tmp_path / "x.csv"), "--status", "done"), "is not a status"),
        (("update-request", "--organisation", "Nowhere", "--out", str(tmp_path / "y.docx")), "no organisation called"),
        (("update-request", "--organisation", YOUTH, "--out", str(tmp_path / "y.docx"), "--return-by", "soon"),
         "is not a date"),
    ):
        refused = lgf("--db", db, "export", *args)
        assert refused.returncode == 2 and message in refused.stderr
        assert refused.stderr.count("\n") == 1 and "Traceback" not in refused.stderr
    assert not (tmp_path / "x.csv").exists() and not (tmp_path / "y.docx").exists()
