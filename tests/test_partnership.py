"""Editing the partnership after the first round: name, region and logo (services.partnership and
File → Partnership…), and the logo reaching the Word export."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from PIL import Image
from sqlalchemy import func, select

from lgf_desktop.db import Database
from lgf_desktop.errors import UserError
from lgf_desktop.exports.template_docx import export_template
from lgf_desktop.models import Attachment, Round
from lgf_desktop.services import partnership as service
from lgf_desktop.services.review.rounds import the_partnership
from lgf_desktop.ui.forms import partnership as form_module
from lgf_desktop.ui.forms.partnership import PartnershipDialog
from lgf_desktop.ui.main_window import MainWindow


def _image(path: Path, kind: str = "PNG", size: tuple[int, int] = (300, 120)) -> Path:
    Image.new("RGB", size, (20, 90, 160)).save(path, kind)
    return path


def _partnership(db: Database) -> tuple[str, str, bytes | None]:
    """Name, region and the logo's bytes as kept in the database."""
    with db.session() as session:
        p = the_partnership(session)
        return p.name, p.region, service.logo_bytes(p)


def _attachments(db: Database) -> int:
    with db.read() as session:
        return session.scalar(select(func.count()).select_from(Attachment))


# ----- the service (no Qt) ---------------------------------------------------------------------
def test_a_chosen_logo_is_kept_in_the_database_and_survives_the_original_moving(demo_db: Database, tmp_path: Path) -> None:
    source = _image(tmp_path / "our logo.png")
    with demo_db.session() as session:
        service.set_logo(session, source)
    assert _partnership(demo_db)[2] == source.read_bytes()
    with demo_db.read() as session:
        logo = the_partnership(session).logo
        assert (logo.name, logo.media_type, logo.size) == ("our logo.png", "image/png", source.stat().st_size)
    assert not (demo_db.path.parent / "logos").exists()  # no file beside the database
    source.unlink()  # the original goes away: the reports still have their logo
    with demo_db.read() as session:
        assert service.logo_problem(the_partnership(session)) is None
    count = _attachments(demo_db)  # the demo's logo was replaced: one picture kept
    again = _image(tmp_path / "again.png")
    with demo_db.session() as session:  # the same picture again is not kept twice
        service.set_logo(session, again)
    assert _attachments(demo_db) == count == 1


def test_a_jpeg_is_accepted_and_kept_with_its_media_type(demo_db: Database, tmp_path: Path) -> None:
    source = _image(tmp_path / "logo.jpeg", "JPEG")
    with demo_db.session() as session:
        service.set_logo(session, source)
    with demo_db.read() as session:
        assert the_partnership(session).logo.media_type == "image/jpeg"


@pytest.mark.parametrize(("make", "sentence"), [
    (lambda p: p.write_text("not a picture"), "is not a readable PNG or JPEG image."),
    (lambda p: _image(p, "GIF"), "is a GIF image; the logo must be a PNG or JPEG image."),
    (lambda p: p.write_bytes(_image(p).read_bytes()[:200]), "is not a readable PNG or JPEG image."),
    (lambda p: None, "cannot be found."),
    (lambda p: p.write_bytes(b"\x89PNG" + bytes(21 * 1024 * 1024)),
     "logo.png is 21.0 MB; a file kept in the database can be at most 20 MB, so choose a smaller one."),
])
def test_a_bad_logo_is_refused_with_one_sentence_and_nothing_changes(demo_db: Database, tmp_path: Path,
                                                                     make, sentence: str) -> None:
    before = _partnership(demo_db)
    count = _attachments(demo_db)
    bad = tmp_path / "logo.png"
    make(bad)
    with pytest.raises(UserError, match=sentence.replace(".", r"\.").replace("(", r"\(")), demo_db.session() as session:
        service.set_logo(session, bad)
    assert _partnership(demo_db) == before
    assert _attachments(demo_db) == count


def test_name_and_region_are_changed_and_an_empty_name_is_refused(demo_db: Database) -> None:
    with demo_db.session() as session:
        service.rename_partnership(session, "  Eastvale Safeguarding Children Partnership ")
        service.set_region(session, " East Midlands ")
    assert _partnership(demo_db)[:2] == ("Eastvale Safeguarding Children Partnership", "East Midlands")
    with pytest.raises(UserError, match="The partnership needs a name."), demo_db.session() as session:
        service.rename_partnership(session, "   ")
    assert _partnership(demo_db)[0] == "Eastvale Safeguarding Children Partnership"


def test_the_region_and_logo_need_a_partnership_first(db: Database, tmp_path: Path) -> None:
    with pytest.raises(UserError, match="Give the partnership a name first."), db.session() as session:
        service.set_logo(session, _image(tmp_path / "logo.png"))


def test_removing_the_logo_takes_the_picture_out_of_the_database(demo_db: Database) -> None:
    assert _attachments(demo_db) == 1  # the demo's
    with demo_db.session() as session:
        service.remove_logo(session)
    assert _partnership(demo_db)[2] is None and _attachments(demo_db) == 0


def test_the_word_export_carries_the_new_name_and_logo(demo_db: Database, tmp_path: Path) -> None:
    source = _image(tmp_path / "logo.png", size=(400, 100))
    with demo_db.session() as session:
        service.rename_partnership(session, "Eastvale Safeguarding Children Partnership")
        service.set_logo(session, source)
    source.unlink()  # read from the database, not the file
    target = tmp_path / "template.docx"
    with demo_db.session() as session:
        round_ = session.scalar(select(Round).order_by(Round.id))
        preview = export_template(session, round_, target)
    assert not any("logo" in w for w in preview.warnings)
    with zipfile.ZipFile(target) as docx:
        media = [docx.read(n) for n in docx.namelist() if n.startswith("word/media/")]
        body = docx.read("word/document.xml").decode() + "".join(
            docx.read(n).decode() for n in docx.namelist() if n.startswith("word/header"))
    assert _partnership(demo_db)[2] in media
    assert "Eastvale Safeguarding Children Partnership" in body


# ----- the form, driven with pytest-qt ---------------------------------------------------------
@pytest.fixture
def dialog(qtbot, demo_db: Database, monkeypatch: pytest.MonkeyPatch) -> PartnershipDialog:
    window = MainWindow(demo_db)
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    dialog = PartnershipDialog(window)
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def test_the_form_saves_name_and_logo_and_shows_problems_beside_the_field(dialog: PartnershipDialog, qtbot,
                                                                          demo_db: Database, tmp_path: Path,
                                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    form = dialog.form
    assert form.name.text() == _partnership(demo_db)[0] != ""
    assert form.preview.pixmap() is not None and not form.preview.pixmap().isNull()  # the demo logo

    changed: list[str] = []
    form.main.data_changed.connect(changed.append)
    form.name.setText("Eastvale Safeguarding Children Partnership")
    form.name.editingFinished.emit()
    assert _partnership(demo_db)[0] == "Eastvale Safeguarding Children Partnership"
    assert "partnership" in changed

    form.name.setText("  ")
    form.name.editingFinished.emit()
    assert form.name_error.isVisibleTo(dialog) and "needs a name" in form.name_error.text()
    assert _partnership(demo_db)[0] == "Eastvale Safeguarding Children Partnership"

    bad = tmp_path / "logo.png"
    bad.write_text("not a picture")
    before = _partnership(demo_db)[2]
    monkeypatch.setattr(form_module, "ask_logo_file", lambda parent: str(bad))
    form.choose_button.click()
    assert form.logo_error.isVisibleTo(dialog) and "not a readable PNG or JPEG image" in form.logo_error.text()
    assert _partnership(demo_db)[2] == before

    good = _image(tmp_path / "new logo.png", size=(600, 200))
    monkeypatch.setattr(form_module, "ask_logo_file", lambda parent: str(good))
    form.choose_button.click()
    assert _partnership(demo_db)[2] == good.read_bytes()
    assert not form.logo_error.isVisibleTo(dialog)
    assert form.preview.pixmap().width() == 312  # scaled into the preview box, proportions kept
    assert "new logo.png" in form.logo_file.text() and "kept in the database" in form.logo_file.text()

    form.remove_button.click()
    assert _partnership(demo_db)[2] is None
    assert form.preview.text() == "No logo" and not form.remove_button.isVisibleTo(dialog)


def test_closing_the_dialog_keeps_a_region_still_being_typed(dialog: PartnershipDialog, demo_db: Database) -> None:
    dialog.form.region.setFocus()
    dialog.form.region.selectAll()
    dialog.form.region.insert("North East")  # as if typed: marks the field modified
    dialog.reject()
    assert _partnership(demo_db)[1] == "North East"


def test_file_menu_opens_the_partnership_dialog(qtbot, demo_db: Database, monkeypatch: pytest.MonkeyPatch) -> None:
    opened: list[PartnershipDialog] = []
    monkeypatch.setattr(PartnershipDialog, "exec", lambda self: opened.append(self) or 0)
    window = MainWindow(demo_db)
    qtbot.addWidget(window)
    assert window.partnership_action.isEnabled()
    window.partnership_action.trigger()
    assert len(opened) == 1 and opened[0].form.name.text() == _partnership(demo_db)[0]


# ----- the upgrade that brought logos into the database (migration 0012) -----------------------------
def _older_database_with_logo(path: Path, logo_path: str) -> None:
    from sqlalchemy import create_engine, text

    from test_migrations import _database_at

    _database_at(path, "0011")
    engine = create_engine(f"sqlite:///{path}")
    with engine.begin() as connection:
        connection.execute(text("INSERT INTO partnership (uuid, name, region, logo_path, word_template) "
                                "VALUES ('p-1', 'Westmoor', '', :logo, '')"), {"logo": logo_path})
    engine.dispose()


@pytest.mark.parametrize("where", ["absolute", "shipped"])
def test_an_older_database_s_logo_file_is_copied_into_it_at_the_upgrade(tmp_path: Path, where: str) -> None:
    from lgf_desktop.paths import resource

    if where == "absolute":
        picture = _image(tmp_path / "westmoor logo.png")
        stored = str(picture)
    else:
        picture, stored = resource("demo-logo.png"), "demo-logo.png"
    path = tmp_path / "old.sqlite3"
    _older_database_with_logo(path, stored)
    db = Database.open(path)
    try:
        assert _partnership(db)[2] == picture.read_bytes()
        with db.read() as session:
            partnership = the_partnership(session)
            assert partnership.logo_path == "" and service.logo_problem(partnership) is None
            assert partnership.logo.name == Path(stored).name and partnership.logo.media_type == "image/png"
    finally:
        db.close()


def test_an_older_database_s_missing_logo_file_is_named_as_missing_after_the_upgrade(tmp_path: Path) -> None:
    gone = tmp_path / "gone.png"
    path = tmp_path / "old.sqlite3"
    _older_database_with_logo(path, str(gone))
    db = Database.open(path)
    try:
        with db.read() as session:
            partnership = the_partnership(session)
            assert partnership.logo is None and partnership.logo_path == str(gone)
            problem = service.logo_problem(partnership)
        assert problem == (f"The logo {gone} was not found when this database was upgraded to keep its logo inside "
                           "it; the reports have no logo until it is chosen again.")
        with db.session() as session:  # choosing it again clears the note
            service.set_logo(session, _image(tmp_path / "found again.png"))
        with db.read() as session:
            assert service.logo_problem(the_partnership(session)) is None
            assert the_partnership(session).logo_path == ""
    finally:
        db.close()


# ----- the upgrade that brought the Word template into the database (migration 0013) ------------------
def _older_database_with_template(path: Path, template_path: str) -> None:
    from sqlalchemy import create_engine, text

    from test_migrations import _database_at

    _database_at(path, "0012")
    engine = create_engine(f"sqlite:///{path}")
    with engine.begin() as connection:
        connection.execute(text("INSERT INTO partnership (uuid, name, region, logo_path, word_template) "
                                "VALUES ('p-1', 'Westmoor', '', '', :template)"), {"template": template_path})
    engine.dispose()


def test_an_older_database_s_template_file_is_copied_into_it_at_the_upgrade(tmp_path: Path) -> None:
    from test_word_template import assert_house_style, house_template

    from lgf_desktop.exports.docx_common import new_document

    # Where set_word_template kept its copy before 0013: a folder beside the database.
    (tmp_path / "word-templates").mkdir()
    template = house_template(tmp_path / "word-templates" / "house-0123456789.docx")
    path = tmp_path / "old.sqlite3"
    _older_database_with_template(path, str(template))
    db = Database.open(path)
    try:
        with db.read() as session:
            partnership = the_partnership(session)
            kept = partnership.word_template_file
            assert (kept.name, kept.data, kept.size) == (template.name, template.read_bytes(), template.stat().st_size)
            assert kept.media_type == "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
            assert partnership.word_template == "" and service.word_template_problem(partnership) is None
            source = service.word_template_source(partnership)
        template.unlink()  # the copy on this machine goes: the database has the template
        out = tmp_path / "out.docx"
        new_document(title="t", header_text="", template=source).save(str(out))
        assert_house_style(out)
    finally:
        db.close()


def test_an_older_database_s_missing_template_is_named_as_missing_after_the_upgrade(tmp_path: Path) -> None:
    gone = tmp_path / "word-templates" / "gone.docx"
    path = tmp_path / "old.sqlite3"
    _older_database_with_template(path, str(gone))
    db = Database.open(path)
    try:
        with db.read() as session:
            partnership = the_partnership(session)
            assert partnership.word_template_file is None and partnership.word_template == str(gone)
            problem = service.word_template_problem(partnership)
        assert problem == (f"The Word template {gone} was not found when this database was upgraded to keep its "
                           "template inside it; the exports use LGF Desktop's own until it is chosen again.")
    finally:
        db.close()
