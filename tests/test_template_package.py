"""One shared template for the region: the lead exports a round's question template as an exchange
file, a partnership imports it as its own round's template, and importing a changed one again says
what changes before applying it (the CLI asks for --apply)."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import pytest
from sqlalchemy import select

from lgf_desktop.cli import main
from lgf_desktop.db import Database
from lgf_desktop.errors import UserError
from lgf_desktop.exchange.container import read_package
from lgf_desktop.importing import changes_to_confirm, import_file
from lgf_desktop.models import Round
from lgf_desktop.services import editing
from lgf_desktop.services.review import workshop
from lgf_desktop.services.review.rounds import create_round, find_round
from lgf_desktop.services.review.template_package import export_template_package, template_changes

ROUND = "2021-22"


def template_of(db: Database, label: str = ROUND) -> list[tuple[str, list[tuple[str, list[str]]]]]:
    with db.read() as session:
        round_ = find_round(session, label)
        return [(t.title, [(q.text, q.sub_prompts) for q in t.questions]) for t in round_.themes]


@pytest.fixture
def lead(tmp_path) -> Database:
    db = Database.open(tmp_path / "lead.sqlite3")
    with db.session() as session:
        editing.set_partnership(session, "Northvale Safeguarding Children Partnership", "Avonvale Region")
        create_round(session, ROUND)
    yield db
    db.close()


@pytest.fixture
def partnership(tmp_path) -> Database:
    db = Database.open(tmp_path / "partnership.sqlite3")
    with db.session() as session:
        editing.set_partnership(session, "Westmoor Children's Partnership", "Avonvale Region")
    yield db
    db.close()


def export(lead: Database, path: Path, my_key) -> Path:
    with lead.session() as session:
        return export_template_package(session, find_round(session, ROUND), path, author="Regional Lead",
                                       to=(my_key.public,))


def change_lead_template(lead: Database) -> None:
    with lead.session() as session:
        round_ = find_round(session, ROUND)
        covid = next(t for t in round_.themes if t.title == "Impact of Covid-19")
        round_.themes.remove(covid)
        theme = editing.add_theme(session, round_.id, "Neglect")
        editing.add_question(session, theme.id, "How do staff recognise neglect early?")
        listening = next(t for t in round_.themes if t.title == "Listening to Children")
        listening.questions[0].text = "How do children shape the services you offer them?"


def test_a_partnership_takes_the_shared_template_as_its_own_round(lead, partnership, tmp_path, my_key):
    path = export(lead, tmp_path / "template.lgfx", my_key)
    package = read_package(path)
    assert package.kind == "template" and package.signer is not None  # sealed and signed like every kind
    assert changes_to_confirm(partnership, package) is None  # a new round: nothing of its own to replace
    said = import_file(partnership, path)
    assert said.startswith(f"Created round {ROUND} with the shared template from Northvale")
    assert template_of(partnership) == template_of(lead)
    # Its own copy: the lead's later edits change nothing here.
    change_lead_template(lead)
    assert template_of(partnership) != template_of(lead)
    # The same file again changes nothing.
    assert "already imported" in import_file(partnership, path)


def test_importing_a_changed_template_says_what_changes_first(lead, partnership, tmp_path, my_key, capsys):
    import_file(partnership, export(lead, tmp_path / "first.lgfx", my_key))
    change_lead_template(lead)
    second = export(lead, tmp_path / "second.lgfx", my_key)
    with partnership.read() as session:
        changes = template_changes(session, read_package(second))
    assert changes.lines == [
        "Under ‘Listening to Children’: question “Can you give an example where your organisation has effectively "
        "engag…” is reworded “How do children shape the services you offer them?”.",
        "New theme ‘Neglect’ with 1 question(s).",
        "Theme ‘Impact of Covid-19’ removed with its 2 question(s).",
    ]
    before = template_of(partnership)
    # The CLI prints the changes and applies nothing without --apply (not at a terminal: no question).
    assert main(["--db", str(partnership.path), "import", str(second)]) == 2
    captured = capsys.readouterr()
    assert "Theme ‘Impact of Covid-19’ removed" in captured.out
    assert "run again with --apply" in captured.err
    assert template_of(partnership) == before
    assert main(["--db", str(partnership.path), "import", "--apply", str(second)]) == 0
    assert f"Round {ROUND} now has the shared template" in capsys.readouterr().out
    assert template_of(partnership) == template_of(lead)


def test_a_question_already_answered_is_never_removed_by_a_package(lead, partnership, tmp_path, my_key):
    import_file(partnership, export(lead, tmp_path / "first.lgfx", my_key))
    with partnership.session() as session:
        round_ = find_round(session, ROUND)
        org = editing.add_organisation(session, "Westmoor Service 1")
        review = editing.add_review(session, round_.id, org.id)
        covid = next(t for t in round_.themes if t.title == "Impact of Covid-19")
        workshop.save_response(session, review.id, covid.questions[0].id, "Staff wellbeing checks weekly.")
    change_lead_template(lead)
    before = template_of(partnership)
    with pytest.raises(UserError, match="remove the theme ‘Impact of Covid-19’, whose questions already have responses"):
        import_file(partnership, export(lead, tmp_path / "second.lgfx", my_key))
    assert template_of(partnership) == before


def _rewritten(source: Path, target: Path, change) -> Path:
    """The package's template part changed and its checksums recomputed (as a hostile sender would)."""
    import hashlib

    with zipfile.ZipFile(source) as archive:
        manifest = json.loads(archive.read("manifest.json"))
        body = change(json.loads(archive.read("template.json")))
    data = json.dumps(body).encode()
    manifest["parts"]["template.json"] = {"sha256": hashlib.sha256(data).hexdigest(), "bytes": len(data)}
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("manifest.json", json.dumps(manifest))
        archive.writestr("template.json", data)
    target.write_bytes(out.getvalue())
    return target


def test_an_export_with_a_passphrase_and_a_malformed_template_refused(lead, partnership, tmp_path, monkeypatch):
    monkeypatch.setenv("LGF_PASSPHRASE", "a passphrase agreed with the partnerships")
    out = tmp_path / "by-passphrase.lgfx"
    assert main(["--db", str(lead.path), "export", "template-package", "--round", ROUND, "--out", str(out),
                 "--with-passphrase"]) == 0
    assert read_package(out).kind == "template"
    # An unsealed file whose template repeats a theme: refused by the schema, nothing written.
    with lead.session() as session:
        plain = tmp_path / "plain.lgfx"
        from lgf_desktop.exchange.container import write_package
        from lgf_desktop.services.review.template_package import template_body

        body = template_body(find_round(session, ROUND))
        write_package(plain, kind="template", author="x", description="", scope={"round": ROUND},
                      parts={"template.json": json.dumps(body).encode()})
    bad = _rewritten(plain, tmp_path / "bad.lgfx", lambda b: {**b, "themes": b["themes"] + b["themes"][:1]})
    with partnership.session() as session:
        with pytest.raises(UserError, match="lists a theme twice"):
            template_changes(session, read_package(bad))
    with pytest.raises(UserError, match="not sealed"):
        import_file(partnership, plain)
    with partnership.read() as session:
        assert session.scalars(select(Round)).all() == []
