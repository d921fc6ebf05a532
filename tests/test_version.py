"""One version number, from the package metadata (pyproject.toml's ``version``), wherever the app says
which release it is: ``lgf --version``, Help → About, the properties of the Word and PDF documents it
exports and the manifest of the exchange files it writes."""

from __future__ import annotations

import subprocess
import sys
import tomllib
from importlib.metadata import version
from pathlib import Path

from docx import Document
from PySide6.QtWidgets import QMessageBox
from sqlalchemy import select

import lgf_desktop
from lgf_desktop.exchange.container import read_package, write_package
from lgf_desktop.exports.brief_pdf import write_brief
from lgf_desktop.exports.docx_common import new_document, save_docx
from lgf_desktop.models import Audit
from lgf_desktop.ui.main_window import MainWindow

ROOT = Path(__file__).resolve().parent.parent
RELEASE = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["version"]


def test_the_version_is_the_package_metadata_and_pyproject_s() -> None:
    assert version("lgf-desktop") == RELEASE
    assert lgf_desktop.__version__ == lgf_desktop.app_version() == RELEASE


def test_lgf_version_prints_it_on_stdout() -> None:
    result = subprocess.run([sys.executable, "-m", "lgf_desktop.cli", "--version"], capture_output=True, text=True,
                            check=True)
    assert result.stdout == f"lgf {RELEASE}\n"


def test_every_word_document_names_the_release_that_wrote_it(tmp_path: Path) -> None:
    target = save_docx(new_document(title="Any report", header_text="Partnership"), tmp_path / "any.docx")
    assert Document(str(target)).core_properties.version == f"LGF Desktop {RELEASE}"


def test_the_learning_brief_names_the_release_that_wrote_it(demo_db, tmp_path: Path) -> None:
    with demo_db.session() as session:
        write_brief(session, session.scalars(select(Audit)).one(), tmp_path / "brief.pdf")
    info = subprocess.run(["pdfinfo", str(tmp_path / "brief.pdf")], capture_output=True, text=True, check=True)
    assert f"Creator:         LGF Desktop {RELEASE}" in info.stdout


def test_exchange_manifests_carry_the_release(tmp_path: Path) -> None:
    path = write_package(tmp_path / "notes.lgfx", kind="review-notes", author="Sam Panel", description="Notes",
                         scope={"review_uuid": "r-1"}, parts={"notes.json": b"{}"})
    assert read_package(path).manifest["app_version"] == RELEASE


def test_help_about_shows_the_version_the_database_and_where_backups_and_the_log_are(
        qtbot, demo_db, monkeypatch) -> None:
    window = MainWindow(demo_db)
    qtbot.addWidget(window)
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "exec", lambda box: shown.append(box.text()) or 0)
    about = next(action for action in window.menuBar().actions() if "Help" in action.text()).menu().actions()
    next(action for action in about if "About" in action.text()).trigger()
    (text,) = shown
    assert f"LGF Desktop {RELEASE}" in text
    for place in (demo_db.path, demo_db.path.parent / "backups", Path.home() / "data" / "lgf-desktop" / "lgf-errors.log"):
        assert str(place) in text
    assert "Licence" in text or "licence" in text
