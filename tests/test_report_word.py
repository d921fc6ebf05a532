"""Word features a reader relies on: real lists, long responses that keep their theme and question in
view, hyperlinks and footnotes — checked in the XML and in LibreOffice's PDF."""

from __future__ import annotations

import json
import shutil
import subprocess
import zipfile
from pathlib import Path

import docx
import pytest
from docx.oxml.ns import qn
from sqlalchemy import select

from lgf_desktop.exports.report_docx import export_report
from lgf_desktop.models import Review
from lgf_desktop.services.review.rounds import find_round

ROUND = "2021-22"
LINKED = ("The full review is [here](https://example.org/cspr/full-report) and the briefing at "
          "https://example.org/briefing.pdf. The ASSSP[^asssp] agreed the approach.\n"
          "[^asssp]: Avon and Somerset Safeguarding Strategic Partnership, which coordinates the region.")
LONG = "\n".join(f"Paragraph {n}: " + "The service described its safeguarding arrangements in detail. " * 12
                 for n in range(1, 27))  # about 20,000 characters


def numbering_of(document, p) -> str | None:
    """The list mark (lvlText) a paragraph shows through its numPr, or None when it is no list item."""
    num_pr = p._p.pPr.numPr if p._p.pPr is not None else None
    if num_pr is None:
        return None
    numbering = document.part.numbering_part.element
    num = next(n for n in numbering.findall(qn("w:num")) if n.numId == num_pr.numId.val)
    abstract_id = num.find(qn("w:abstractNumId")).get(qn("w:val"))
    abstract = next(a for a in numbering.findall(qn("w:abstractNum")) if a.get(qn("w:abstractNumId")) == abstract_id)
    return abstract.find(f"{qn('w:lvl')}/{qn('w:lvlText')}").get(qn("w:val"))


@pytest.fixture
def report_path(demo_db, tmp_path) -> Path:
    with demo_db.session() as session:
        held = session.scalars(select(Review).where(Review.status == "held").order_by(Review.position)).all()
        responses = sorted(held[0].responses, key=lambda r: r.id)
        responses[0].text = LINKED
        responses[1].text = LONG
        question = responses[1].question_text or responses[1].question.text
    path = tmp_path / "report.docx"
    with demo_db.session() as session:
        export_report(session, find_round(session, ROUND), path)
    path.with_suffix(".json").write_text(json.dumps({"question": question}))
    return path


def test_background_ticks_and_theme_bullets_are_real_word_lists(report_path):
    document = docx.Document(str(report_path))
    paragraphs = document.paragraphs
    ticks = [p for p in paragraphs if numbering_of(document, p) == "\u2713"]
    assert len(ticks) == 12 and not any("✓" in p.text for p in paragraphs)
    assert ticks[0].text.startswith("A clear line of accountability")
    texts = [p.text for p in paragraphs]
    lead = texts.index("The questions explored seven themes:")
    assert all(numbering_of(document, paragraphs[lead + i]) == "\u2022" for i in range(1, 8))


def test_a_long_response_repeats_its_theme_and_question_on_continuation_rows(report_path):
    question = json.loads(report_path.with_suffix(".json").read_text())["question"]
    document = docx.Document(str(report_path))
    table = document.tables[0]
    rows = table._tbl.tr_lst
    continued = [tr for tr in rows if "(continued)" in "".join(t.text or "" for t in tr.iter(qn("w:t")))]
    assert len(continued) >= 8
    for tr in continued:
        cells = ["".join(t.text or "" for t in tc.iter(qn("w:t"))) for tc in tr.tc_lst]
        assert cells[0] == "Safeguarding Structures (continued)"
        assert cells[1] == f"{question.splitlines()[0]} (continued)"
        assert tr.trPr.find(qn("w:cantSplit")) is not None  # each part whole: every page starts labelled
    whole = "".join(t.text or "" for tr in rows for t in tr.iter(qn("w:t")))
    assert all(f"Paragraph {n}: " in whole for n in range(1, 27))


def test_links_and_footnotes_are_real_in_the_xml(report_path):
    document = docx.Document(str(report_path))
    links = list(document.element.body.iter(qn("w:hyperlink")))
    targets = {document.part.rels[h.get(qn("r:id"))].target_ref: "".join(t.text for t in h.iter(qn("w:t")))
               for h in links}
    assert targets == {"https://example.org/cspr/full-report": "here",
                       "https://example.org/briefing.pdf": "https://example.org/briefing.pdf"}
    cell_text = document.tables[0].rows[1].cells[2].text
    assert cell_text.startswith("The full review is here and the briefing at https://example.org/briefing.pdf. "
                                "The ASSSP agreed")
    assert "[^asssp]" not in cell_text and "Avon and Somerset" not in cell_text
    references = list(document.element.body.iter(qn("w:footnoteReference")))
    assert len(references) == 1
    with zipfile.ZipFile(report_path) as package:
        footnotes = package.read("word/footnotes.xml").decode()
        types = package.read("[Content_Types].xml").decode()
        rels = package.read("word/_rels/document.xml.rels").decode()
    assert "Avon and Somerset Safeguarding Strategic Partnership, which coordinates the region." in footnotes
    assert f'w:id="{references[0].get(qn("w:id"))}"' in footnotes and 'w:type="separator"' in footnotes
    assert "wordprocessingml.footnotes+xml" in types and "relationships/footnotes" in rels


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
def test_libreoffice_prints_the_links_footnote_lists_and_continuations(report_path, tmp_path):
    subprocess.run(["soffice", "--headless", f"-env:UserInstallation=file://{tmp_path}/lo", "--convert-to", "pdf",
                    "--outdir", str(tmp_path), str(report_path)], check=True, capture_output=True, timeout=240)
    pdf = tmp_path / "report.pdf"
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    flat = " ".join(text.split())
    assert "Avon and Somerset Safeguarding Strategic Partnership" in flat  # the footnote, at the page foot
    assert "✓" in text and "•" in text
    # Every page the long response runs onto names its theme and question again.
    pages = text.split("\f")
    long_pages = [page for page in pages if "Paragraph " in page and "The service described" in page]
    assert len(long_pages) >= 4
    assert all("(continued)" in " ".join(page.split()) for page in long_pages[1:])
    qpdf = json.loads(subprocess.run(["qpdf", "--json", str(pdf)], capture_output=True, text=True, check=True).stdout)
    uris = set()
    for obj in qpdf.get("qpdf", [{}, {}])[1].values() if "qpdf" in qpdf else qpdf.get("objects", {}).values():
        value = obj.get("value", obj) if isinstance(obj, dict) else {}
        action = value.get("/A") if isinstance(value, dict) else None
        if isinstance(action, dict) and "/URI" in action:
            uris.add(action["/URI"].removeprefix("u:"))
    assert {"https://example.org/cspr/full-report", "https://example.org/briefing.pdf"} <= uris
