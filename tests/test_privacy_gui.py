"""The privacy screens driven like a person would: the children's names typed once and then warned
about in evidence; a brief refused until each finding is seen and Send anyway chosen (recorded);
Go to; File → My key… making, showing, exporting and importing keys."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from lgf_desktop import keys
from lgf_desktop.exchange.senders import person_key
from lgf_desktop.models import ChangeLog, Grade, Person
from lgf_desktop.services.privacy.child_names import checked_name_count
from lgf_desktop.services.privacy.identifying import find_identifying
from lgf_desktop.services.privacy.leaving import Finding, IdentifyingDataFound, Place
from lgf_desktop.ui import identifying_dialog
from lgf_desktop.ui.audit.child_names import ChildNamesDialog
from lgf_desktop.ui.audit.page import AuditsPage
from lgf_desktop.ui.identifying_dialog import FindingsDialog
from lgf_desktop.ui.my_key import MyKeyDialog

from audit_helpers import assignment_for, make_audit, the_audit


@pytest.fixture
def page(qtbot, db):
    make_audit(db)
    widget = AuditsPage(db)
    qtbot.addWidget(widget)
    widget.resize(1366, 768)
    widget.show()
    view = widget.scoring
    view.auditor.setCurrentIndex(view.auditor.findText("Siân Howells (Health)"))
    return widget


def type_names(qtbot, page, db, names: list[str]) -> None:
    dialog = ChildNamesDialog(db, page.audit_id, page)
    qtbot.addWidget(dialog)
    for field, name in zip(dialog.fields, names):
        qtbot.keyClicks(field, name)
    dialog.accept()
    assert all(f.text() == "" for f in dialog.fields)


def test_childrens_names_typed_once_are_warned_about_in_evidence(qtbot, page, db) -> None:
    type_names(qtbot, page, db, ["Jayden Okafor", "Tallulah Brennan"])
    with db.session() as session:
        assert checked_name_count(session, the_audit(session)) == 6  # 2 × (2 words + 1 pair)
    page.scoring.load(page.audit_id)
    panel = page.scoring.panel
    qtbot.keyClicks(panel.evidence, "Tallulah said she was hungry")
    assert panel.evidence.warning.isVisible()
    assert "'Tallulah' is the name of an audited child" in panel.evidence.warning.text()


def _refusal(n: int) -> IdentifyingDataFound:
    text = "NHS 943 476 5919 and mum on 07700 900123"
    findings = [Finding(Place(f"place {i}"), w, text) for i, w in enumerate(find_identifying(text)[:n])]
    return IdentifyingDataFound("The test file", findings)


def test_send_anyway_only_after_every_finding_was_looked_at(qtbot) -> None:
    dialog = FindingsDialog(_refusal(2))
    qtbot.addWidget(dialog)
    assert not dialog.send_button.isEnabled()
    dialog.list.setCurrentRow(0)
    assert not dialog.send_button.isEnabled() and dialog.list.item(0).text().startswith("✓ ")
    dialog.list.setCurrentRow(1)
    assert dialog.send_button.isEnabled()
    assert "NHS number “943 476 5919” — place 0" in dialog.list.item(0).text()


def test_the_brief_waits_for_send_anyway_and_the_override_is_recorded(qtbot, page, db, tmp_path: Path,
                                                                      monkeypatch) -> None:
    with db.session() as session:
        the_audit(session).key_learning = "Call the family on 07700 900123 before the review."
    target = tmp_path / "brief.pdf"
    shown: list[FindingsDialog] = []
    monkeypatch.setattr(identifying_dialog, "ask_to_send", lambda dialog: shown.append(dialog) or False)
    page.export_brief(str(target))
    qtbot.waitUntil(lambda: bool(shown) and page.isEnabled(), timeout=30000)
    assert not target.exists() and [f.kind for f in shown[0].findings] == ["phone number"]
    assert page.status.text() == "Nothing was written."

    def send(dialog: FindingsDialog) -> bool:
        for row in range(dialog.list.count()):
            dialog.list.setCurrentRow(row)
        assert dialog.send_button.isEnabled()
        return True

    monkeypatch.setattr(identifying_dialog, "ask_to_send", send)
    page.export_brief(str(target))
    qtbot.waitUntil(target.exists, timeout=30000)
    with db.session() as session:
        record = session.scalars(select(ChangeLog).where(ChangeLog.action == "override")).one()
        assert "1 phone number" in record.new_value and "07700" not in record.new_value


def test_go_to_selects_the_answer_where_the_finding_was_typed(qtbot, page, db) -> None:
    with db.session() as session:
        grade = assignment_for(session, "Łukasz", "Child D").grades[3]
        uuid, grade_id = grade.uuid, grade.id
    assert page.go_to(Place("cases · Child D · evidence", uuid=uuid, field="evidence"))
    assert page.scoring.auditor.currentText().startswith("Łukasz")
    assert page.scoring.panel.grade_id == grade_id
    with db.session() as session:
        assert session.get(Grade, grade_id).assignment.case.pseudonym == "Child D"


def test_my_key_is_made_shown_exported_and_someone_elses_imported(qtbot, db, tmp_path: Path) -> None:
    keys.use_for_this_sitting(None)
    for path in keys.keys_dir().glob("*"):
        path.unlink()

    class Window:
        pass

    window = Window()
    window.db = db
    with db.session() as session:
        session.add(Person(name="Siân Howells"))
    dialog = MyKeyDialog(None)
    dialog.window_ = window
    dialog.show_state()
    qtbot.addWidget(dialog)
    dialog.name.setText("Ann Coordinator")
    qtbot.keyClicks(dialog.passphrase, "a long passphrase")
    qtbot.keyClicks(dialog.again, "a long passphrase")
    dialog.create()
    qtbot.waitUntil(lambda: hasattr(dialog, "fingerprint"), timeout=30000)
    mine = keys.my_public_key()
    assert dialog.fingerprint.text() == mine.fingerprint
    exported = dialog.export_public(str(tmp_path / "ann.lgfkey"))
    assert keys.PublicKey.parse(exported.read_text()) == mine

    theirs = keys.MyKey.generate("Siân").public
    (tmp_path / "sian.lgfkey").write_text(theirs.text())
    asked: list[str] = []
    assert not dialog.import_key(str(tmp_path / "sian.lgfkey"), "Siân Howells",
                                 confirm=lambda q: asked.append(q) or False)
    assert theirs.fingerprint in asked[0]
    assert dialog.import_key(str(tmp_path / "sian.lgfkey"), "Siân Howells", confirm=lambda q: True)
    with db.session() as session:
        person = session.scalars(select(Person).where(Person.name == "Siân Howells")).one()
        assert person_key(session, person) == theirs
