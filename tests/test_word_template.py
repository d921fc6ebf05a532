"""The partnership's own Word template carried into every Word export, the app's own template as a
proper UK document, and templates that cannot be used refused with a sentence."""

from __future__ import annotations

import io
import os
import shutil
import zipfile
from datetime import date
from pathlib import Path

import docx
import pytest
from docx.oxml.ns import qn
from docx.shared import Pt, RGBColor
from sqlalchemy import func, select

from conftest import close_into_one_file
from lgf_desktop.cli import main
from lgf_desktop.db import Database
from lgf_desktop.errors import UserError
from lgf_desktop.exports.report_docx import export_report
from lgf_desktop.exports.template_docx import export_template
from lgf_desktop.exports.tracker_docx import write_tracker_docx, write_update_request
from lgf_desktop.exports.word_template import check_template
from lgf_desktop.models import Attachment
from lgf_desktop.paths import resource
from lgf_desktop.services import partnership as service
from lgf_desktop.services.review.rounds import find_round, the_partnership
from lgf_desktop.services.tracker.rows import TrackerFilter, tracker_rows

ROUND = "2021-22"
HOUSE_RED = RGBColor(0xC0, 0x00, 0x00)
HOUSE_HEADER = "Valeside Safeguarding Children Partnership — OFFICIAL"


def house_template(path: Path, *, dotx: bool = False, drop_list_bullet: bool = False) -> Path:
    """A partnership's template made as Word would: its own heading colour, body font, header text and
    logo in the header, and some body text that must not reach the exports."""
    document = docx.Document()
    document.styles["Heading 1"].font.color.rgb = HOUSE_RED
    document.styles["Normal"].font.name = "Georgia"
    document.styles["Normal"].font.size = Pt(12)
    header = document.sections[0].header
    header.paragraphs[0].text = HOUSE_HEADER
    header.paragraphs[0].add_run().add_picture(str(resource("demo-logo.png")), width=docx.shared.Cm(3))
    document.add_paragraph("Delete me: the template's own sample text.")
    if drop_list_bullet:
        style = document.styles["List Bullet"].element
        style.getparent().remove(style)
    buffer = io.BytesIO()
    document.save(buffer)
    data = buffer.getvalue()
    if dotx:
        data = _relabel(data, b"document.main+xml", b"template.main+xml")
    path.write_bytes(data)
    return path


def _relabel(data: bytes, old: bytes, new: bytes, extra: tuple[str, bytes] | None = None) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w") as target:
        for item in source.infolist():
            content = source.read(item.filename)
            if item.filename == "[Content_Types].xml":
                content = content.replace(old, new)
            target.writestr(item, content)
        if extra:
            target.writestr(*extra)
    return out.getvalue()


def assert_house_style(path: Path) -> None:
    document = docx.Document(str(path))
    assert document.styles["Heading 1"].font.color.rgb == HOUSE_RED
    assert document.styles["Normal"].font.name == "Georgia"
    header = document.sections[0].header
    assert header.paragraphs[0].text == HOUSE_HEADER
    assert list(header._element.iter(qn("w:drawing"))), "the template's logo is in the header"
    image_rels = [r for r in header.part.rels.values() if r.reltype.endswith("/image")]
    assert image_rels and image_rels[0].target_part.blob == resource("demo-logo.png").read_bytes()
    assert "Delete me" not in "\n".join(p.text for p in document.paragraphs)


def tracker(db: Database, path: Path, **kwargs) -> Path:
    with db.session() as session:
        rows = tracker_rows(session, TrackerFilter(), today=date(2022, 6, 1))
        return write_tracker_docx(session, rows, path, today=date(2022, 6, 1), **kwargs)


@pytest.mark.parametrize("dotx", [False, True], ids=["docx", "dotx"])
def test_the_partnerships_template_is_carried_into_report_template_and_tracker(demo_db, tmp_path, dotx):
    template = house_template(tmp_path / ("house.dotx" if dotx else "house.docx"), dotx=dotx)
    with demo_db.session() as session:
        found = service.set_word_template(session, template)
    assert found == f"{template.name} has every style the exports use."
    with demo_db.session() as session:
        kept = the_partnership(session).word_template_file
        assert (kept.name, kept.data) == (template.name, template.read_bytes())
        round_ = find_round(session, ROUND)
        export_report(session, round_, tmp_path / "report.docx")
        export_template(session, round_, tmp_path / "template.docx")
        write_update_request(session, None, tmp_path / "request.docx", today=date(2022, 6, 1))
    tracker(demo_db, tmp_path / "tracker.docx")
    template.unlink()
    for name in ("report", "template", "tracker", "request"):
        assert_house_style(tmp_path / f"{name}.docx")
    report = docx.Document(str(tmp_path / "report.docx"))
    assert [p.text for p in report.paragraphs if p.style.name == "Heading 1"][0] == "Background"
    landscape = docx.Document(str(tmp_path / "tracker.docx")).sections[0]
    assert landscape.page_width > landscape.page_height
    # The template's Letter paper is narrower than A4: every table fits between its margins.
    section = report.sections[0]
    assert section.page_width == docx.shared.Inches(8.5)
    for table in report.tables:
        assert sum(col.w for col in table._tbl.tblGrid.gridCol_lst) <= section.page_width - section.left_margin - \
            section.right_margin


def test_a_template_chosen_for_one_export_overrides_the_partnerships(demo_db, tmp_path, capsys):
    template = house_template(tmp_path / "house.docx")
    out = tmp_path / "report.docx"
    code = main(["--db", demo_db.address, "export", "report", "--round", ROUND, "--out", str(out),
                 "--template", str(template)])
    assert code == 0, capsys.readouterr().err
    assert_house_style(out)
    code = main(["--db", demo_db.address, "export", "tracker", "--out", str(tmp_path / "t.docx"),
                 "--template", str(template)])
    assert code == 0
    assert_house_style(tmp_path / "t.docx")
    code = main(["--db", demo_db.address, "export", "template", "--round", ROUND, "--out", str(tmp_path / "q.docx"),
                 "--template", str(tmp_path / "missing.docx")])
    err = capsys.readouterr().err
    assert code != 0 and "The Word template" in err and "cannot be found" in err
    assert not (tmp_path / "q.docx").exists()


def test_the_apps_own_template_is_a_uk_document_in_a_sans_font(demo_db, tmp_path):
    with demo_db.session() as session:
        export_report(session, find_round(session, ROUND), tmp_path / "report.docx")
    document = docx.Document(str(tmp_path / "report.docx"))
    with zipfile.ZipFile(tmp_path / "report.docx") as package:
        styles = package.read("word/styles.xml").decode()
        settings = package.read("word/settings.xml").decode()
    assert '<w:lang w:val="en-GB"' in styles and "en-US" not in styles
    assert '<w:themeFontLang w:val="en-GB"' in settings
    defaults = document.styles.element.find(qn("w:docDefaults"))
    fonts = defaults.find(f"{qn('w:rPrDefault')}/{qn('w:rPr')}/{qn('w:rFonts')}")
    assert fonts.get(qn("w:ascii")) == "Arial" and fonts.get(qn("w:asciiTheme")) is None
    assert document.styles["Heading 1"].font.color.rgb == RGBColor(0x1F, 0x38, 0x64)
    assert document.sections[0].header.paragraphs[0].text == "Westmoor Children's Partnership"


def test_the_author_is_the_preference_never_the_login_name(demo_db, tmp_path, capsys):
    out = tmp_path / "report.docx"
    assert main(["--db", demo_db.address, "export", "report", "--round", ROUND, "--out", str(out)]) == 0
    assert docx.Document(str(out)).core_properties.author == ""
    demo_db.set_user("Ruth Okafor")
    assert main(["--db", demo_db.address, "export", "report", "--round", ROUND, "--out", str(out)]) == 0
    assert docx.Document(str(out)).core_properties.author == "Ruth Okafor"


def test_a_template_without_a_style_gets_the_apps_and_says_so(demo_db, tmp_path):
    template = house_template(tmp_path / "plain.docx", drop_list_bullet=True)
    assert check_template(template).missing_styles == ("List Bullet",)
    with demo_db.session() as session:
        found = service.set_word_template(session, template)
        export_report(session, find_round(session, ROUND), tmp_path / "report.docx")
    assert found == "plain.docx has no style for List Bullet: LGF Desktop's own is used for it."
    report = docx.Document(str(tmp_path / "report.docx"))
    themes = [p for p in report.paragraphs if p.style.name == "List Bullet"]
    assert len(themes) >= 7  # the Methodology's theme list


@pytest.mark.parametrize("name, content, sentence", [
    ("macros.docm", None, "is a macro-enabled Word file"),
    ("hidden.docx", "vba", "contains macros"),
    ("notes.txt", b"hello", "is not a Word document or template"),
    ("broken.docx", b"PK\x03\x04 not really a zip", "is not a Word file that can be opened"),
    ("folder.docx", "dir", "is a folder"),
])
def test_templates_that_cannot_be_used_are_refused_and_nothing_changes(demo_db, tmp_path, name, content, sentence):
    path = tmp_path / name
    if content is None:
        house_template(path)
    elif content == "vba":
        data = house_template(tmp_path / "base.docx").read_bytes()
        path.write_bytes(_relabel(data, b"x", b"x", ("word/vbaProject.bin", b"\x00macro")))
    elif content == "dir":
        path.mkdir()
    else:
        path.write_bytes(content)
    with demo_db.session() as session:
        attachments = session.scalar(select(func.count()).select_from(Attachment))
    with pytest.raises(UserError, match=sentence):
        with demo_db.session() as session:
            service.set_word_template(session, path)
    with demo_db.session() as session:
        partnership = the_partnership(session)
        assert partnership.word_template == "" and partnership.word_template_file is None
        assert session.scalar(select(func.count()).select_from(Attachment)) == attachments


def test_a_template_lost_at_the_upgrade_falls_back_with_a_warning(demo_db, tmp_path):
    gone = tmp_path / "gone.docx"  # named by a database from before 0013 whose file was not found then
    with demo_db.session() as session:
        the_partnership(session).word_template = str(gone)
    with demo_db.session() as session:
        preview = export_report(session, find_round(session, ROUND), tmp_path / "report.docx")
        problem = service.word_template_problem(the_partnership(session))
    assert problem and str(gone) in problem and "chosen again" in problem
    assert any(str(gone) in w and "own template was used instead" in w for w in preview.warnings)
    assert docx.Document(str(tmp_path / "report.docx")).sections[0].header.paragraphs[0].text == \
        "Westmoor Children's Partnership"


def test_the_template_chosen_once_is_used_from_a_copy_of_the_database_on_another_machine(demo_template, tmp_path,
                                                                                          capsys):
    """A colleague's copy (or a shared database) has the template: its bytes are in the database."""
    first, second = tmp_path / "first-machine", tmp_path / "second-machine"
    first.mkdir()
    second.mkdir()
    shutil.copyfile(demo_template, first / "lgf.sqlite3")
    template = house_template(first / "house.dotx", dotx=True)
    db = Database.open(first / "lgf.sqlite3")
    with db.session() as session:
        service.set_word_template(session, template)
    close_into_one_file(db)
    shutil.copyfile(first / "lgf.sqlite3", second / "lgf.sqlite3")
    shutil.rmtree(first)  # the template file and everything beside the first database are gone
    out = second / "report.docx"
    code = main(["--db", str(second / "lgf.sqlite3"), "export", "report", "--round", ROUND, "--out", str(out)])
    assert code == 0, capsys.readouterr().err
    assert "template" not in capsys.readouterr().err  # no warning that it fell back
    assert_house_style(out)
    assert not any(p.is_dir() for p in second.iterdir())  # no template folder beside the database


def test_replacing_and_removing_the_template_keeps_no_unused_bytes(demo_db, tmp_path):
    with demo_db.session() as session:
        before = session.scalar(select(func.count()).select_from(Attachment))
        service.set_word_template(session, house_template(tmp_path / "one.docx"))
        service.set_word_template(session, house_template(tmp_path / "two.docx", drop_list_bullet=True))
        assert session.scalar(select(func.count()).select_from(Attachment)) == before + 1
        assert the_partnership(session).word_template_file.name == "two.docx"
        service.remove_word_template(session)
        assert session.scalar(select(func.count()).select_from(Attachment)) == before
        assert the_partnership(session).logo is not None  # the demo's logo is another attachment, kept


def test_a_template_larger_than_an_attachment_may_be_is_refused_with_the_logos_sentence(demo_db, tmp_path):
    big = tmp_path / "big.docx"
    data = house_template(tmp_path / "base.docx").read_bytes()
    big.write_bytes(_relabel(data, b"x", b"x", ("word/media/padding.bin", os.urandom(21 * 1024 * 1024))))
    with pytest.raises(UserError, match="a file kept in the database can be at most 20 MB"):
        with demo_db.session() as session:
            service.set_word_template(session, big)
    with demo_db.session() as session:
        assert the_partnership(session).word_template_file is None


def test_the_partnership_form_chooses_checks_and_removes_a_template(qtbot, demo_db, tmp_path, monkeypatch):
    from lgf_desktop.ui.forms import partnership as form_module
    from lgf_desktop.ui.forms.partnership import PartnershipDialog
    from lgf_desktop.ui.main_window import MainWindow

    window = MainWindow(demo_db)
    qtbot.addWidget(window)
    dialog = PartnershipDialog(window)
    qtbot.addWidget(dialog)
    dialog.show()
    form = dialog.form
    bad = tmp_path / "macros.dotm"
    bad.write_bytes(b"whatever")
    monkeypatch.setattr(form_module, "ask_template_file", lambda parent: str(bad))
    form.choose_template_button.click()
    qtbot.waitUntil(lambda: "macro-enabled" in form.template_message.text(), timeout=10000)
    with demo_db.session() as session:
        assert the_partnership(session).word_template == ""
    good = house_template(tmp_path / "plain.docx", drop_list_bullet=True)
    monkeypatch.setattr(form_module, "ask_template_file", lambda parent: str(good))
    form.choose_template_button.click()
    qtbot.waitUntil(lambda: "has no style for List Bullet" in form.template_message.text(), timeout=10000)
    with demo_db.session() as session:
        kept = the_partnership(session).word_template_file
    assert kept.name == "plain.docx" and "plain.docx" in form.template_file.text()
    assert "kept in the database" in form.template_file.text()
    assert form.remove_template_button.isVisibleTo(dialog)
    form.remove_template_button.click()
    with demo_db.session() as session:
        assert the_partnership(session).word_template_file is None
    assert "LGF Desktop's own" in form.template_file.text()
