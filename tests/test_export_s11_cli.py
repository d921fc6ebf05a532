"""``lgf export report`` / ``lgf export template``: the template document, bad input from the command
line, and the LibreOffice round trip of both documents."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import docx
import pytest
from docx.oxml.ns import qn

from lgf_desktop.cli import main
from lgf_desktop.services.review.rounds import create_round

ROUND = "2021-22"


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main([*argv])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def out_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "out"
    folder.mkdir()
    return folder


def test_template_has_the_rounds_questions_and_empty_responses(demo_db, out_dir, capsys):
    target = out_dir / "template.docx"
    code, out, err = run(capsys, "--db", demo_db.address, "export", "template", "--round", ROUND, "--out", str(target))
    assert code == 0, err
    assert out.startswith(f"Wrote {target}: The question template of round {ROUND}: 7 themes and 21 questions")
    document = docx.Document(str(target))
    assert [p.text for p in document.paragraphs if p.style.name == "Title"] == ["Section 11 Question Template"]
    assert document.core_properties.title == f"Section 11 Question Template {ROUND}"
    with demo_db.session() as session:
        from lgf_desktop.services.review.rounds import find_round

        round_ = find_round(session, ROUND)
        cover = round_.template_cover_text.replace("{workshop_minutes}", str(round_.workshop_minutes)).replace(
            "{partnership}", round_.partnership.name)
        themes = [(t.title, [q.text for q in t.questions]) for t in round_.themes]
    assert cover in [p.text for p in document.paragraphs]
    (table,) = document.tables
    trs = table._tbl.tr_lst
    assert trs[0].trPr.find(qn("w:tblHeader")) is not None
    assert [c.text for c in table.rows[0].cells] == ["Theme", "Questions to Explore", "Responses"]
    row = 1
    for title, questions in themes:
        for index, question in enumerate(questions):
            tcs = trs[row].tc_lst
            assert tcs[0].vMerge == ("restart" if index == 0 else "continue")
            assert table.rows[row].cells[1].paragraphs[0].text == question
            assert table.rows[row].cells[2].text == ""
            row += 1
        assert table.rows[row - len(questions)].cells[0].text == title
    assert row == len(trs)


def test_unknown_round_is_one_sentence_and_no_file(demo_db, out_dir, capsys):
    code, out, err = run(capsys, "--db", demo_db.address, "export", "report", "--round", "1999-00",
                         "--out", str(out_dir / "r.docx"))
    assert code != 0 and out == ""
    assert err.strip() == "lgf: There is no round labelled '1999-00' (rounds: 2020-21, 2021-22)."
    assert list(out_dir.iterdir()) == []


def test_missing_folder_is_one_sentence(demo_db, tmp_path, capsys):
    target = tmp_path / "nowhere" / "r.docx"
    code, _, err = run(capsys, "--db", demo_db.address, "export", "report", "--round", ROUND, "--out", str(target))
    assert code != 0
    assert err.strip() == f"lgf: The folder {target.parent} does not exist."
    assert not target.parent.exists()


def test_unwritable_folder_is_one_sentence(demo_db, out_dir, capsys):
    if os.geteuid() == 0:
        # root may write into any ordinary folder; /sys refuses new files even to root.
        folder, expected = Path("/sys"), "lgf: The folder /sys cannot be written to (Permission denied); nothing was saved."
    else:
        folder, expected = out_dir, f"lgf: The folder {out_dir} cannot be written to."
        out_dir.chmod(0o500)
    try:
        code, _, err = run(capsys, "--db", demo_db.address, "export", "report", "--round", ROUND,
                           "--out", str(folder / "r.docx"))
    finally:
        out_dir.chmod(0o700)
    assert code != 0 and err.strip() == expected
    assert list(out_dir.iterdir()) == [] and not (folder / "r.docx").exists()


def test_not_a_docx_name_and_round_without_reviews(demo_db, out_dir, capsys):
    code, _, err = run(capsys, "--db", demo_db.address, "export", "report", "--round", ROUND,
                       "--out", str(out_dir / "report.pdf"))
    assert code != 0 and err.strip() == "lgf: The output file must end in .docx (got report.pdf)."
    with demo_db.session() as session:
        create_round(session, "2022-23")
    code, _, err = run(capsys, "--db", demo_db.address, "export", "report", "--round", "2022-23",
                       "--out", str(out_dir / "r.docx"))
    assert code != 0
    assert err.strip() == ("lgf: Round 2022-23 has nothing to report: it has no reviews yet. "
                           "Record a held or declined review first.")
    assert "Traceback" not in err
    assert list(out_dir.iterdir()) == []


def test_warnings_go_to_stderr_and_the_export_still_succeeds(demo_db, out_dir, capsys):
    from lgf_desktop.models import Partnership

    with demo_db.session() as session:  # as an upgrade leaves a logo whose file it could not find
        partnership = session.query(Partnership).one()
        partnership.logo, partnership.logo_path = None, "no-such-logo.png"
    target = out_dir / "r.docx"
    code, out, err = run(capsys, "--db", demo_db.address, "export", "report", "--round", ROUND, "--out", str(target))
    assert code == 0 and target.is_file()
    assert "warning: The logo no-such-logo.png was not found when this database was upgraded" in err
    assert len(docx.Document(str(target)).inline_shapes) == 0


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("soffice") is None or shutil.which("pdftotext") is None,
                    reason="LibreOffice and poppler are installed by .ci/run")
def test_libreoffice_converts_report_and_template(demo_db, out_dir, tmp_path, capsys):
    report, template = out_dir / "report.docx", out_dir / "template.docx"
    for kind, target in (("report", report), ("template", template)):
        code, _, err = run(capsys, "--db", demo_db.address, "export", kind, "--round", ROUND, "--out", str(target))
        assert code == 0, err
    profile = (tmp_path / "lo-profile").as_uri()  # a private profile: parallel runs do not clash
    result = subprocess.run(
        ["soffice", f"-env:UserInstallation={profile}", "--headless", "--convert-to", "pdf",
         "--outdir", str(out_dir), str(report), str(template)],
        capture_output=True, text=True, timeout=180,
    )
    assert result.returncode == 0, result.stderr
    texts = {}
    for name in ("report", "template"):
        pdf = out_dir / f"{name}.pdf"
        assert pdf.is_file() and pdf.stat().st_size > 10_000
        texts[name] = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True,
                                     check=True).stdout
    headings = [line.strip() for line in texts["report"].splitlines() if line.strip().startswith("Peer Review ")]
    assert len(headings) == 3
    assert headings[0] == "Peer Review Northvale and Westmoor Integrated Care Board"
    assert "Westmoor Community Voluntary Network" in headings[2]
    assert "Additional Recommendations for Children's Partnership" in texts["report"]
    assert "Page 1 of" in texts["report"]
    assert texts["template"].count("Questions to Explore") >= 1
    assert "Section 11 Question Template" in texts["template"] and "Page 1 of 3" in texts["template"]
    assert "threshold document" in texts["template"]
