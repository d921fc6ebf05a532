"""Every Word export checked against the Office Open XML schemas, so "Word found unreadable content"
cannot happen silently: the report (with links, a footnote, real lists and continuation rows), the
report in a partnership's own template, the question template, the tracker and the update request.

The check is openxml-audit's validator (the Open XML SDK's schema and semantic rules, without .NET):
the ECMA-376 XSDs themselves could not be shipped with the tests (see the test requirements)."""

from __future__ import annotations

import io
import zipfile
from datetime import date
from pathlib import Path

import pytest
from openxml_audit import OpenXmlValidator
from sqlalchemy import select

from lgf_desktop.exports.report_docx import export_report
from lgf_desktop.exports.template_docx import export_template
from lgf_desktop.exports.tracker_docx import write_tracker_docx, write_update_request
from lgf_desktop.models import Review
from lgf_desktop.services.review.rounds import find_round
from lgf_desktop.services.tracker.rows import TrackerFilter, tracker_rows

from test_report_word import LINKED, LONG
from test_word_template import house_template

ROUND = "2021-22"


def problems(path: Path) -> list[str]:
    result = OpenXmlValidator(max_errors=50).validate(path)
    return [str(error) for error in result.errors]


@pytest.fixture
def exports(demo_db, tmp_path) -> dict[str, Path]:
    with demo_db.session() as session:
        held = session.scalars(select(Review).where(Review.status == "held").order_by(Review.position)).all()
        responses = sorted(held[0].responses, key=lambda r: r.id)
        responses[0].text = LINKED
        responses[1].text = LONG
    house = house_template(tmp_path / "house.docx")
    out = {name: tmp_path / f"{name}.docx" for name in ("report", "house-report", "template", "tracker", "request")}
    with demo_db.session() as session:
        round_ = find_round(session, ROUND)
        export_report(session, round_, out["report"])
        export_report(session, round_, out["house-report"], template=house)
        export_template(session, round_, out["template"])
        write_update_request(session, None, out["request"], today=date(2022, 6, 1))
        rows = tracker_rows(session, TrackerFilter(), today=date(2022, 6, 1))
        write_tracker_docx(session, rows, out["tracker"], today=date(2022, 6, 1), template=house)
    return out


def test_every_export_passes_the_schema_check(exports):
    found = {name: problems(path) for name, path in exports.items()}
    assert found == {name: [] for name in exports}


def test_the_schema_check_catches_an_element_word_does_not_know(exports, tmp_path):
    broken = tmp_path / "broken.docx"
    out = io.BytesIO()
    with zipfile.ZipFile(exports["report"]) as source, zipfile.ZipFile(out, "w") as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "word/document.xml":
                data = data.replace(b"<w:tblHeader/>", b"<w:tableHeader/>", 1)
            target.writestr(item, data)
    broken.write_bytes(out.getvalue())
    assert any("tableHeader" in p for p in problems(broken))
