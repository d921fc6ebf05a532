"""Editing the partnership after the first round: name, region and logo (services.partnership and
File → Partnership…), and the logo reaching the Word export."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from PIL import Image
from sqlalchemy import select

from lgf_desktop.db import Database
from lgf_desktop.errors import UserError
from lgf_desktop.exports.template_docx import export_template
from lgf_desktop.models import Round
from lgf_desktop.services import partnership as service
from lgf_desktop.services.review.rounds import the_partnership
from lgf_desktop.ui.forms import partnership as form_module
from lgf_desktop.ui.forms.partnership import PartnershipDialog
from lgf_desktop.ui.main_window import MainWindow


def _image(path: Path, kind: str = "PNG", size: tuple[int, int] = (300, 120)) -> Path:
    Image.new("RGB", size, (20, 90, 160)).save(path, kind)
    return path


def _partnership(db: Database) -> tuple[str, str, str]:
    with db.session() as session:
        p = the_partnership(session)
        return p.name, p.region, p.logo_path


# ----- the service (no Qt) ---------------------------------------------------------------------
def test_a_chosen_logo_is_copied_beside_the_database_and_survives_the_original_moving(demo_db: Database, tmp_path: Path) -> None:
    source = _image(tmp_path / "our logo.png")
    with demo_db.session() as session:
        service.set_logo(session, source, demo_db.path.parent)
    stored = Path(_partnership(demo_db)[2])
    assert stored.parent == demo_db.path.parent / "logos"
    assert stored.read_bytes() == source.read_bytes()
    source.unlink()  # the original goes away: the reports still have their logo
    assert service.logo_problem(str(stored)) is None
    with demo_db.session() as session:  # the same picture again is not copied twice
        service.set_logo(session, stored, demo_db.path.parent)
    assert len(list((demo_db.path.parent / "logos").iterdir())) == 1


def test_a_jpeg_is_accepted_and_stored_with_its_own_extension(demo_db: Database, tmp_path: Path) -> None:
    source = _image(tmp_path / "logo.jpeg", "JPEG")
    with demo_db.session() as session:
        service.set_logo(session, source, demo_db.path.parent)
    assert _partnership(demo_db)[2].endswith(".jpg")


@pytest.mark.parametrize(("make", "sentence"), [
    (lambda p: p.write_text("not a picture"), "is not a readable PNG or JPEG image."),
    (lambda p: _image(p, "GIF"), "is a GIF image; the logo must be a PNG or JPEG image."),
    (lambda p: p.write_bytes(_image(p).read_bytes()[:200]), "is not a readable PNG or JPEG image."),
    (lambda p: None, "cannot be found."),
])
def test_a_bad_logo_is_refused_with_one_sentence_and_nothing_changes(demo_db: Database, tmp_path: Path,
                                                                     make, sentence: str) -> None:
    before = _partnership(demo_db)
    bad = tmp_path / "logo.png"
    make(bad)
    with pytest.raises(UserError, match=sentence.replace(".", r"\.").replace("(", r"\(")), demo_db.session() as session:
        service.set_logo(session, bad, demo_db.path.parent)
    assert _partnership(demo_db) == before
    assert not (demo_db.path.parent / "logos").exists()


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
        service.set_logo(session, _image(tmp_path / "logo.png"), db.path.parent)


def test_a_missing_stored_logo_is_said_in_plain_words(tmp_path: Path) -> None:
    assert service.logo_problem("") is None
    assert service.logo_problem("demo-logo.png") is None  # shipped with the app
    problem = service.logo_problem(str(tmp_path / "gone.png"))
    assert problem is not None and "cannot be found" in problem and "no logo" in problem


def test_the_word_export_carries_the_new_name_and_logo(demo_db: Database, tmp_path: Path) -> None:
    source = _image(tmp_path / "logo.png", size=(400, 100))
    with demo_db.session() as session:
        service.rename_partnership(session, "Eastvale Safeguarding Children Partnership")
        service.set_logo(session, source, demo_db.path.parent)
    target = tmp_path / "template.docx"
    with demo_db.session() as session:
        round_ = session.scalar(select(Round).order_by(Round.id))
        preview = export_template(session, round_, target)
    assert not any("logo" in w for w in preview.warnings)
    with zipfile.ZipFile(target) as docx:
        media = [docx.read(n) for n in docx.namelist() if n.startswith("word/media/")]
        body = docx.read("word/document.xml").decode() + "".join(
            docx.read(n).decode() for n in docx.namelist() if n.startswith("word/header"))
    assert source.read_bytes() in media
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
    stored = Path(_partnership(demo_db)[2])
    assert stored.parent == demo_db.path.parent / "logos" and stored.read_bytes() == good.read_bytes()
    assert not form.logo_error.isVisibleTo(dialog)
    assert form.preview.pixmap().width() == 312  # scaled into the preview box, proportions kept
    assert str(stored) in form.logo_file.text()

    form.remove_button.click()
    assert _partnership(demo_db)[2] == ""
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
