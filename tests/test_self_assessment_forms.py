"""The self-assessment form: exported, filled as an organisation fills it, imported strictly (every
refusal names the cell and leaves the database as it was), re-imported, corrected, partly returned."""

from __future__ import annotations

import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from lgf_desktop.cli import main as lgf
from lgf_desktop.errors import UserError
from lgf_desktop.exports.self_assessment_form import export_all_forms, export_form
from lgf_desktop.models import ChangeLog, Organisation, SelfAssessmentAnswer, SelfAssessmentReturn, Standard
from lgf_desktop.services.review.rounds import find_round
from lgf_desktop.services.self_assessment.returns import import_form_file
from lgf_desktop.services.self_assessment.standards import edit_standard

from sa_support import dump, fill_form, new_round

ALL_RATED = {n: (n - 1) % 4 for n in range(1, 13)} | {12: 4}  # the last one "Not applicable"


def _form(db, tmp_path: Path, organisation: str = "Eastfield Police", label: str = "2020-21") -> Path:
    target = tmp_path / f"{organisation}.xlsx"
    with db.session() as session:
        round_ = find_round(session, label)
        org = session.scalar(select(Organisation).where(Organisation.name == organisation))
        export_form(session, round_, org, target)
    return target


def test_form_opens_with_drop_down_locked_cells_and_a_hidden_protected_sheet(db, tmp_path):
    new_round(db)
    wb = load_workbook(_form(db, tmp_path))
    assert wb.sheetnames == ["Instructions", "Standards", "Form"]
    ws, hidden = wb["Standards"], wb["Form"]
    assert hidden.sheet_state == "hidden" and hidden.protection.sheet and ws.protection.sheet
    assert wb.security.lockStructure
    assert ws["B5"].protection.locked and not ws["C5"].protection.locked and not ws["J16"].protection.locked
    assert ws["A16"].value == 12 and ws["A17"].value is None
    assert int(ws.page_setup.paperSize) == int(ws.PAPERSIZE_A4) and ws.sheet_properties.pageSetUpPr.fitToPage
    assert str(ws.print_title_rows) == "$4:$4"
    values = {hidden.cell(r, 1).value: hidden.cell(r, 2).value for r in range(1, 10)}
    assert values["round"] == "2020-21" and values["organisation"] == "Eastfield Police"
    assert values["form_version"] == 1


def test_round_trip_export_fill_import(db, tmp_path):
    new_round(db)
    filled = fill_form(_form(db, tmp_path), tmp_path / "police-filled.xlsx", ALL_RATED)
    message = import_form_file(db, filled)
    assert "imported the 2020-21 return of Eastfield Police, complete; 12 answers" in message
    with db.session() as session:
        ret = session.scalar(select(SelfAssessmentReturn).join(Organisation).where(Organisation.name == "Eastfield Police"))
        answers = {a.standard.position + 1: a for a in ret.answers}
        assert ret.state == "returned" and ret.returned_on is not None
        assert answers[1].rating == "Fully met" and answers[4].rating == "Not met"
        assert answers[12].rating == "Not applicable" and answers[12].not_applicable_reason.startswith("We do not")
        assert answers[3].action_due.isoformat() == "2021-03-31" and answers[3].action_owner == "Head of safeguarding"


def test_reimport_changes_nothing(db, tmp_path):
    new_round(db)
    filled = fill_form(_form(db, tmp_path), tmp_path / "filled.xlsx", ALL_RATED)
    import_form_file(db, filled)
    before = dump(db)
    assert "nothing changed" in import_form_file(db, filled)
    assert dump(db) == before


def test_corrected_return_replaces_and_history_keeps_both(db, tmp_path):
    new_round(db)
    form = _form(db, tmp_path)
    import_form_file(db, fill_form(form, tmp_path / "first.xlsx", ALL_RATED))
    corrected = fill_form(tmp_path / "first.xlsx", tmp_path / "second.xlsx", {4: 1})  # Not met → Mostly met
    assert "1 answer added or changed" in import_form_file(db, corrected)
    with db.session() as session:
        standard = session.scalar(select(Standard).where(Standard.position == 3))
        answer = session.scalar(select(SelfAssessmentAnswer).where(SelfAssessmentAnswer.standard_id == standard.id))
        assert answer.rating == "Mostly met" and answer.version == 2
        history = session.scalars(select(ChangeLog).where(ChangeLog.record_uuid == answer.uuid,
                                                          ChangeLog.field == "rating")).all()
        assert [(h.old_value, h.new_value) for h in history] == [("Not met", "Mostly met")]


def test_partly_filled_form_imports_as_partial(db, tmp_path):
    new_round(db)
    import_form_file(db, fill_form(_form(db, tmp_path), tmp_path / "part.xlsx", {1: 0, 2: 2, 3: 3}))
    with db.session() as session:
        ret = session.scalar(select(SelfAssessmentReturn).join(Organisation).where(Organisation.name == "Eastfield Police"))
        assert ret.state == "partly" and len(ret.answers) == 3


def _refused(db, path: Path, *expected: str) -> str:
    before = dump(db)
    with pytest.raises(UserError) as caught:
        import_form_file(db, path)
    assert dump(db) == before
    for text in expected:
        assert text in str(caught.value)
    return str(caught.value)


def test_answer_outside_the_drop_down_is_refused_naming_the_cell(db, tmp_path):
    new_round(db)
    filled = fill_form(_form(db, tmp_path), tmp_path / "filled.xlsx", ALL_RATED)
    wb = load_workbook(filled)
    wb["Standards"]["C7"] = "Mostly"
    wb.save(filled)
    _refused(db, filled, "Sheet Standards, cell C7: 'Mostly' is not on this round's scale")


def test_not_applicable_without_a_reason_is_refused(db, tmp_path):
    new_round(db)
    filled = fill_form(_form(db, tmp_path), tmp_path / "filled.xlsx", {2: 4}, not_applicable_reason="")
    _refused(db, filled, "cell D6", "needs a reason")


def test_changed_layout_is_refused(db, tmp_path):
    new_round(db)
    filled = fill_form(_form(db, tmp_path), tmp_path / "filled.xlsx", ALL_RATED)
    wb = load_workbook(filled)
    wb["Standards"].insert_cols(3)
    wb.save(filled)
    _refused(db, filled, "Sheet Standards, cell C4", "layout was changed")
    wb = load_workbook(fill_form(_form(db, tmp_path), tmp_path / "rows.xlsx", ALL_RATED))
    wb["Standards"].insert_rows(8)
    wb.save(tmp_path / "rows.xlsx")
    _refused(db, tmp_path / "rows.xlsx", "Sheet Standards, cell A8", "rows were added")


def test_form_of_another_round_or_organisation_is_refused(db, tmp_path):
    new_round(db)
    other = type(db).open(tmp_path / "other.sqlite3")
    try:
        new_round(other, "2020-21")
        foreign = fill_form(_form(other, tmp_path), tmp_path / "foreign.xlsx", ALL_RATED)
    finally:
        other.close()
    _refused(db, foreign, "foreign.xlsx is the form for round 2020-21, which is not in this database")
    # Same round, an organisation this round did not ask (removed from the round since the export).
    form = fill_form(_form(db, tmp_path, "Eastfield Youth Club"), tmp_path / "club.xlsx", ALL_RATED)
    with db.session() as session:
        ret = session.scalar(select(SelfAssessmentReturn).join(Organisation).where(Organisation.name == "Eastfield Youth Club"))
        session.delete(ret)
    _refused(db, form, "the form of Eastfield Youth Club, which is not asked to self-assess in 2020-21")


def test_older_form_version_is_refused(db, tmp_path):
    new_round(db)
    filled = fill_form(_form(db, tmp_path), tmp_path / "filled.xlsx", ALL_RATED)
    with db.session() as session:
        standard = session.scalar(select(Standard).where(Standard.position == 0))
        edit_standard(session, standard, wording=standard.wording + " (revised)")
    _refused(db, filled, "is version 1 of the 2020-21 form", "now version 2")


def test_a_file_that_is_not_a_workbook_is_refused(db, tmp_path):
    new_round(db)
    fake = tmp_path / "return.xlsx"
    fake.write_text("Dear partnership, our answers are below…", encoding="utf-8")
    _refused(db, fake, "return.xlsx is not an Excel workbook")
    docx_like = tmp_path / "letter.xlsx"
    with zipfile.ZipFile(docx_like, "w") as z:
        z.writestr("word/document.xml", "<w/>")
    _refused(db, docx_like, "letter.xlsx is not an Excel workbook")


def test_workbook_bomb_is_refused_before_it_is_unpacked(db, tmp_path):
    new_round(db)
    form = _form(db, tmp_path)
    bomb = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(form) as src, zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as out:
        for info in src.infolist():
            out.writestr(info.filename, src.read(info.filename))
        out.writestr("xl/media/padding.xml", b"\0" * (8 * 1024 * 1024))  # 8 MB that packs to 8 KB
    assert bomb.stat().st_size < 200_000
    _refused(db, bomb, "bomb.xlsx is refused", "workbook bomb")
    huge = tmp_path / "huge.xlsx"  # many parts, each small enough to pass the ratio check, 70 MB in all
    with zipfile.ZipFile(form) as src, zipfile.ZipFile(huge, "w", zipfile.ZIP_DEFLATED) as out:
        for info in src.infolist():
            out.writestr(info.filename, src.read(info.filename))
        for n in range(70):
            out.writestr(f"xl/media/part{n}.bin", b"\0" * 1_000_000)
    assert huge.stat().st_size < 200_000
    _refused(db, huge, "huge.xlsx is refused", "would unpack to 66 MB")


def test_export_all_writes_each_form_with_its_covering_email(db, tmp_path):
    new_round(db)
    with db.session() as session:
        written = export_all_forms(session, find_round(session, "2020-21"), tmp_path / "forms")
    assert len(written) == 4
    emails = sorted((tmp_path / "forms").glob("*covering e-mail.txt"))
    assert len(emails) == 4
    text = emails[0].read_text(encoding="utf-8")
    assert text.startswith("Subject: Section 11 self-assessment 2020-21: Eastfield Council")
    assert "Eastfield Council - Section 11 self-assessment 2020-21.xlsx" in text


def test_cli_exports_and_imports_several_files(db, tmp_path, capsys):
    new_round(db)
    db.close()
    folder = tmp_path / "out"
    assert lgf(["--db", db.address, "export", "self-assessment-form", "--round", "2020-21", "--all",
                "--out", str(folder)]) == 0
    police = folder / "Eastfield Police - Section 11 self-assessment 2020-21.xlsx"
    council = folder / "Eastfield Council - Section 11 self-assessment 2020-21.xlsx"
    fill_form(police, police, ALL_RATED)
    fill_form(council, council, {1: 0})
    not_a_form = tmp_path / "notes.xlsx"
    not_a_form.write_bytes(b"not a workbook")
    capsys.readouterr()
    assert lgf(["--db", db.address, "import", str(police), str(council), str(not_a_form)]) == 2
    out, err = capsys.readouterr()
    assert "return of Eastfield Police, complete" in out and "partly completed (1 of 12" in out
    assert "notes.xlsx is not an Excel workbook" in err and "1 of 3 files were refused" in err
    assert lgf(["--db", db.address, "self-assessments", "--round", "2020-21"]) == 0
    out, _ = capsys.readouterr()
    police_line = next(line for line in out.splitlines() if line.startswith("Eastfield Police"))
    assert police_line.split("\t")[1] == "returned" and police_line.split("\t")[4:9] == ["3", "3", "3", "2", "1"]
    assert "Returned 1, partly 1, not yet 2." in out


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is installed by .ci/run")
def test_libreoffice_calc_converts_the_form_to_pdf(db, tmp_path):
    new_round(db)
    form = fill_form(_form(db, tmp_path), tmp_path / "filled.xlsx", ALL_RATED)
    profile = (tmp_path / "lo-profile").as_uri()
    result = subprocess.run(["soffice", f"-env:UserInstallation={profile}", "--headless", "--convert-to", "pdf",
                             "--outdir", str(tmp_path), str(form)], capture_output=True, text=True, timeout=180)
    assert result.returncode == 0, result.stderr
    pdf = tmp_path / "filled.pdf"
    assert pdf.is_file(), result.stdout + result.stderr  # Calc missing or the workbook unreadable
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    (tmp_path / "text.txt").write_text(text)
    assert "Section 11 self-assessment 2020-21: Eastfield Police" in text
    assert "Clear line of accountability" in text and "Page 1 of" in text
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    assert "595.3" in info  # A4


def test_several_forms_at_once_a_refused_one_leaves_the_others_imported(db, tmp_path):
    from lgf_desktop.services.self_assessment.returns import import_form_files

    new_round(db)
    police = fill_form(_form(db, tmp_path), tmp_path / "police.xlsx", ALL_RATED)
    council = fill_form(_form(db, tmp_path, "Eastfield Council"), tmp_path / "council.xlsx", {1: 0})
    club = fill_form(_form(db, tmp_path, "Eastfield Youth Club"), tmp_path / "club.xlsx", {1: 0})
    with db.session() as session:  # the club is no longer asked: refused by the database's check
        session.delete(session.scalar(select(SelfAssessmentReturn).join(Organisation)
                                      .where(Organisation.name == "Eastfield Youth Club")))
    done, refused = import_form_files(db, [police, club, council])
    assert len(done) == 2 and len(refused) == 1 and "club.xlsx is the form of Eastfield Youth Club" in refused[0]
    with db.session() as session:
        states = dict(session.execute(select(Organisation.name, SelfAssessmentReturn.state).join(SelfAssessmentReturn)).all())
    assert states == {"Eastfield Police": "returned", "Eastfield Council": "partly", "Eastfield Hospitals Trust": "not yet"}
