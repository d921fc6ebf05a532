"""The audit scoring panel open on a grade while `lgf import` merges the auditor's return into the
same grade: the panel never saves over the auditor's evidence. Nothing typed: it shows the new
evidence; typed meanwhile: both texts are kept and the coordinator chooses."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtTest import QTest

from lgf_desktop.db import Database
from lgf_desktop.errors import StaleEdit
from lgf_desktop.importing import import_file
from lgf_desktop.models import Grade
from lgf_desktop.services.audit.cases import option_for_key
from lgf_desktop.services.audit.exchange import export_return, issue_package
from lgf_desktop.services.audit.grading import set_grade
from lgf_desktop.ui import conflict
from lgf_desktop.ui.audit.page import AuditsPage

from audit_helpers import assignment_for, auditor_named, make_audit, the_audit

LGF = str(Path(sys.executable).parent / "lgf")
AUDITORS_EVIDENCE = "Health visitor saw the child weekly; the record shows each visit."


@pytest.fixture
def auditor_return(db, tmp_path: Path) -> Path:
    """Siân's return grading Child A's first question, made in her own database."""
    make_audit(db)
    with db.session() as session:
        package = issue_package(session, auditor_named(session, "Siân"), tmp_path / "sian.lgfx")
    sian = Database.open(tmp_path / "sian.sqlite3")
    import_file(sian, package)
    with sian.session() as session:
        assignment = assignment_for(session, "Siân", "Child A")
        audit = assignment.case.audit
        grade = next(g for g in assignment.grades if g.question_id == audit.questions[0].id)
        set_grade(grade, option_for_key(audit, "2"), AUDITORS_EVIDENCE)
    with sian.session() as session:
        path = export_return(session, the_audit(session), tmp_path / "sian-return.lgfx")
    sian.close()
    return path


@pytest.fixture
def page(qtbot, db, auditor_return):
    widget = AuditsPage(db)
    qtbot.addWidget(widget)
    widget.resize(1366, 768)
    widget.show()
    view = widget.scoring
    view.auditor.setCurrentIndex(view.auditor.findText("Siân Howells (Health)"))
    assert view.panel.question.text().startswith("Child A")
    return widget


def cli_import(db, path: Path) -> str:
    done = subprocess.run([LGF, "--db", db.address, "import", str(path)], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return done.stdout


def evidence_stored(db, grade_id: int) -> str:
    with db.session() as session:
        return session.get(Grade, grade_id).evidence


def test_grade_service_refuses_a_save_over_a_newer_version(db, auditor_return) -> None:
    with db.session() as session:
        grade = next(g for g in assignment_for(session, "Siân", "Child A").grades)
        grade_id, version = grade.id, grade.version
    assert "1 answer(s) updated" in import_file(db, auditor_return)
    with db.session() as session:
        assert session.get(Grade, grade_id).version > version  # the merge moved the version on
    with pytest.raises(StaleEdit) as refused, db.session() as session:
        set_grade(session.get(Grade, grade_id), evidence="Coordinator's old view", expected_version=version)
    assert "the auditor's return from Siân Howells imported at" in str(refused.value)
    assert evidence_stored(db, grade_id) == AUDITORS_EVIDENCE


def test_a_clean_panel_shows_the_imported_evidence(qtbot, page, db, auditor_return) -> None:
    panel = page.scoring.panel
    assert "1 answer(s) updated" in cli_import(db, auditor_return)
    panel.refresh()  # what the data watcher triggers after the CLI's commit
    assert panel.evidence.toPlainText() == AUDITORS_EVIDENCE
    QTest.keyClicks(panel.evidence, " Agreed at moderation.")
    panel.flush()
    assert evidence_stored(db, panel.grade_id) == AUDITORS_EVIDENCE + " Agreed at moderation."


@pytest.mark.parametrize("choice, expected", [
    (conflict.KEEP_BOTH, AUDITORS_EVIDENCE + "\n\nCoordinator: seen in the GP record."),
    (conflict.KEEP_MINE, "Coordinator: seen in the GP record."),
    (conflict.KEEP_THEIRS, AUDITORS_EVIDENCE),
])
def test_typing_while_the_return_is_imported_keeps_both_until_the_coordinator_chooses(
        qtbot, page, db, auditor_return, monkeypatch, choice, expected) -> None:
    panel = page.scoring.panel
    asked = []
    monkeypatch.setattr(conflict.ConflictDialog, "ask",
                        classmethod(lambda cls, parent, message, theirs, mine, what="answer":
                                    asked.append((message, theirs, mine)) or choice))
    QTest.keyClicks(panel.evidence, "Coordinator: seen in the GP record.")  # not saved yet
    cli_import(db, auditor_return)
    panel.refresh()  # typing waiting: left alone
    assert panel.evidence.toPlainText() == "Coordinator: seen in the GP record."
    panel.flush()
    assert len(asked) == 1 and asked[0][1:] == (AUDITORS_EVIDENCE, "Coordinator: seen in the GP record.")
    assert "was changed elsewhere (by the auditor's return from Siân Howells imported at" in asked[0][0]
    assert evidence_stored(db, panel.grade_id) == expected
    assert panel.evidence.toPlainText() == expected


def test_case_summary_typed_while_a_return_changes_it_keeps_both(qtbot, db, tmp_path, monkeypatch) -> None:
    from lgf_desktop.models import Assignment
    from lgf_desktop.services.audit.grading import set_case_summary
    make_audit(db)
    with db.session() as session:
        package = issue_package(session, auditor_named(session, "Siân"), tmp_path / "sian.lgfx")
    sian = Database.open(tmp_path / "sian.sqlite3")
    import_file(sian, package)
    with sian.session() as session:
        set_case_summary(assignment_for(session, "Siân", "Child A"), working_well="Auditor: prompt home visits.")
    with sian.session() as session:
        returned = export_return(session, the_audit(session), tmp_path / "r.lgfx")
    sian.close()
    widget = AuditsPage(db)
    qtbot.addWidget(widget)
    widget.show()
    widget.scoring.auditor.setCurrentIndex(widget.scoring.auditor.findText("Siân Howells (Health)"))
    panel = widget.scoring.panel
    asked = []
    monkeypatch.setattr(conflict.ConflictDialog, "ask", classmethod(
        lambda cls, parent, message, theirs, mine, what="answer": asked.append((what, theirs, mine)) or conflict.KEEP_BOTH))
    QTest.keyClicks(panel.needs_improve, "Coordinator: chronology missing.")  # another field: no question
    QTest.keyClicks(panel.working_well, "Coordinator: school attendance good.")
    import_file(db, returned)
    panel.flush()
    assert asked == [("case summary", "Auditor: prompt home visits.", "Coordinator: school attendance good.")]
    with db.session() as session:
        a = session.get(Assignment, panel.assignment_id)
        assert a.working_well == "Auditor: prompt home visits.\n\nCoordinator: school attendance good."
        assert a.needs_improve == "Coordinator: chronology missing."
