"""Offline audit work: packages per auditor, returns, merging with versions, conflicts, refusals."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest
from sqlalchemy import func, select

from lgf_desktop.db import Database
from lgf_desktop.errors import UserError
from lgf_desktop.exchange.container import read_package, write_package
from lgf_desktop.importing import import_file
from lgf_desktop.models import Audit, ExchangeImport, MergeConflict
from lgf_desktop.services.audit.cases import option_for_key
from lgf_desktop.services.audit.exchange import export_return, issue_package
from lgf_desktop.services.audit.grading import (
    open_concerns, raise_concern, resolve_concern, set_case_summary, set_grade,
)
from lgf_desktop.services.audit.merge import describe_conflict, resolve_conflict, unresolved_conflicts

from sealing_support import sealing_as_test_user, unsealed
from audit_helpers import assignment_for, auditor_named, make_audit, snapshot, the_audit


@pytest.fixture
def coordinator(db):
    make_audit(db)
    return db


@pytest.fixture
def auditor_dbs(tmp_path: Path):
    opened = []

    def open_(name: str) -> Database:
        database = Database.open(tmp_path / f"{name}.sqlite3")
        opened.append(database)
        return database

    yield open_
    for database in opened:
        database.close()


def copy_database(db, target: Path) -> Database:
    """A twin of ``db`` (a file, whatever ``db`` is on)."""
    from lgf_desktop.copying import copy_database as copy

    db.writer.flush()
    copy(db, target)
    return Database.open(target)


def issue(db, name: str, path: Path) -> Path:
    with db.session() as session:
        return issue_package(session, auditor_named(session, name), path)


def grade(db, name: str, pseudonym: str, question: int, key: str, evidence: str) -> None:
    with db.session() as session:
        assignment = assignment_for(session, name, pseudonym)
        audit = assignment.case.audit
        g = next(g for g in assignment.grades if g.question_id == audit.questions[question].id)
        set_grade(g, option_for_key(audit, key), evidence)


def grade_of(db, name: str, pseudonym: str, question: int) -> tuple[str | None, str]:
    with db.session() as session:
        assignment = assignment_for(session, name, pseudonym)
        question_id = assignment.case.audit.questions[question].id
        g = next(g for g in assignment.grades if g.question_id == question_id)
        return (g.grade_option.label if g.grade_option else None, g.evidence)


def return_of(db, path: Path) -> Path:
    with db.session() as session:
        return export_return(session, the_audit(session), path)


def test_package_holds_only_that_auditors_cases(coordinator, tmp_path: Path) -> None:
    grade(coordinator, "Łukasz", "Child C", 0, "4", "Police evidence only Łukasz may see")
    package = read_package(issue(coordinator, "Siân", tmp_path / "sian.lgfx"))
    assert package.kind == "audit-package"
    cases = package.json("cases.json")
    assert [c["pseudonym"] for c in cases] == ["Child A", "Child B", "Child C"]
    everything = b"".join(package.parts.values()).decode("utf-8")
    assert "Łukasz" not in everything and "Police evidence" not in everything
    assert "Child D" not in everything
    assert "Siân Howells" in package.manifest["description"]


def test_full_round_trip_with_two_auditors_in_separate_databases(coordinator, auditor_dbs, tmp_path: Path) -> None:
    sian_db, lukasz_db = auditor_dbs("sian"), auditor_dbs("lukasz")
    assert "Opened the audit 'Neglect' for Siân Howells: 3 case(s)" in import_file(sian_db, issue(coordinator, "Siân", tmp_path / "s.lgfx"))
    import_file(lukasz_db, issue(coordinator, "Łukasz", tmp_path / "l.lgfx"))
    with sian_db.session() as session:
        audit = the_audit(session)
        assert audit.is_auditor_copy and [c.pseudonym for c in audit.cases] == ["Child A", "Child B", "Child C"]
        assert len(audit.questions) == 12 and [o.label for o in audit.grade_options][0] == "Outstanding"
    with coordinator.session() as session:
        coordinator_uuid = the_audit(session).uuid
    with lukasz_db.session() as session:
        assert the_audit(session).uuid == coordinator_uuid
        assert [c.pseudonym for c in the_audit(session).cases] == ["Child C", "Child D"]

    grade(sian_db, "Siân", "Child A", 0, "2", "Health visitor saw the child weekly.")
    grade(sian_db, "Siân", "Child C", 3, "3", "Late referral.")
    grade(lukasz_db, "Łukasz", "Child C", 3, "4", "No police checks made.")
    with sian_db.session() as session:
        set_case_summary(assignment_for(session, "Siân", "Child A"), working_well="Prompt visits.", voice_heard="partly")

    print(import_file(coordinator, return_of(lukasz_db, tmp_path / "l-return.lgfx")))
    summary = import_file(coordinator, return_of(sian_db, tmp_path / "s-return.lgfx"))
    assert "3 answer(s) updated" in summary
    assert grade_of(coordinator, "Siân", "Child A", 0) == ("Good", "Health visitor saw the child weekly.")
    assert grade_of(coordinator, "Siân", "Child C", 3) == ("Requires improvement", "Late referral.")
    assert grade_of(coordinator, "Łukasz", "Child C", 3) == ("Inadequate", "No police checks made.")
    with coordinator.session() as session:
        a = assignment_for(session, "Siân", "Child A")
        assert (a.working_well, a.voice_heard) == ("Prompt visits.", "partly")
        assert unresolved_conflicts(session, the_audit(session)) == []


def test_reimport_is_idempotent(coordinator, auditor_dbs, tmp_path: Path) -> None:
    sian_db = auditor_dbs("sian")
    import_file(sian_db, issue(coordinator, "Siân", tmp_path / "s.lgfx"))
    grade(sian_db, "Siân", "Child B", 1, "1", "Exemplary.")
    returned = return_of(sian_db, tmp_path / "r.lgfx")
    import_file(coordinator, returned)
    before = snapshot(coordinator)
    assert "already imported" in import_file(coordinator, returned)
    # the same work exported again (a different file) changes nothing either
    again = import_file(coordinator, return_of(sian_db, tmp_path / "r2.lgfx"))
    assert "0 answer(s) updated" in again
    assert snapshot(coordinator) == before
    with coordinator.session() as session:
        assert session.scalar(select(func.count()).select_from(ExchangeImport)) == 2


def test_newer_return_supersedes_older_in_either_order(coordinator, auditor_dbs, tmp_path: Path) -> None:
    sian_db = auditor_dbs("sian")
    import_file(sian_db, issue(coordinator, "Siân", tmp_path / "s.lgfx"))
    grade(sian_db, "Siân", "Child A", 2, "3", "First view.")
    older = return_of(sian_db, tmp_path / "older.lgfx")
    grade(sian_db, "Siân", "Child A", 2, "2", "Second view, after reading the plan.")
    newer = return_of(sian_db, tmp_path / "newer.lgfx")

    twin = copy_database(coordinator, tmp_path / "twin.sqlite3")  # the same coordinator, for the other order
    try:
        import_file(twin, older)
        assert grade_of(twin, "Siân", "Child A", 2) == ("Requires improvement", "First view.")
        import_file(twin, newer)
        assert grade_of(twin, "Siân", "Child A", 2) == ("Good", "Second view, after reading the plan.")
    finally:
        twin.close()

    import_file(coordinator, newer)
    assert "0 answer(s) updated" in import_file(coordinator, older)  # older after newer: ignored
    assert grade_of(coordinator, "Siân", "Child A", 2) == ("Good", "Second view, after reading the plan.")
    grade(sian_db, "Siân", "Child A", 2, "1", "Third view.")
    assert "1 answer(s) updated" in import_file(coordinator, return_of(sian_db, tmp_path / "newest.lgfx"))
    assert grade_of(coordinator, "Siân", "Child A", 2) == ("Outstanding", "Third view.")


def test_change_on_both_sides_goes_to_the_conflict_list(coordinator, auditor_dbs, tmp_path: Path) -> None:
    sian_db = auditor_dbs("sian")
    import_file(sian_db, issue(coordinator, "Siân", tmp_path / "s.lgfx"))
    grade(coordinator, "Siân", "Child B", 4, "4", "Coordinator: no plan on file.")
    grade(sian_db, "Siân", "Child B", 4, "2", "Auditor: plan found in the health record.")
    grade(sian_db, "Siân", "Child B", 5, "2", "Reviewed monthly.")  # changed on one side only
    summary = import_file(coordinator, return_of(sian_db, tmp_path / "r.lgfx"))
    assert "1 changed on both sides" in summary
    # nothing silently overwritten
    assert grade_of(coordinator, "Siân", "Child B", 4) == ("Inadequate", "Coordinator: no plan on file.")
    assert grade_of(coordinator, "Siân", "Child B", 5) == ("Good", "Reviewed monthly.")
    with coordinator.session() as session:
        conflicts = unresolved_conflicts(session, the_audit(session))
        assert len(conflicts) == 1
        where, local, incoming = describe_conflict(session, conflicts[0])
        assert where.startswith("Child B, ") and "Inadequate" in local and "Good: Auditor" in incoming
    # importing the same work again does not duplicate the conflict
    import_file(coordinator, return_of(sian_db, tmp_path / "r2.lgfx"))
    with coordinator.session() as session:
        conflicts = unresolved_conflicts(session, the_audit(session))
        assert len(conflicts) == 1
        resolve_conflict(session, conflicts[0], "incoming")
    assert grade_of(coordinator, "Siân", "Child B", 4) == ("Good", "Auditor: plan found in the health record.")
    # after resolving, the auditor's next change comes straight in
    grade(sian_db, "Siân", "Child B", 4, "1", "Auditor: excellent plan.")
    assert "1 answer(s) updated" in import_file(coordinator, return_of(sian_db, tmp_path / "r3.lgfx"))
    assert grade_of(coordinator, "Siân", "Child B", 4)[0] == "Outstanding"


def test_keeping_the_local_answer_makes_a_later_auditor_change_a_new_conflict(coordinator, auditor_dbs, tmp_path: Path) -> None:
    sian_db = auditor_dbs("sian")
    import_file(sian_db, issue(coordinator, "Siân", tmp_path / "s.lgfx"))
    grade(coordinator, "Siân", "Child A", 0, "3", "Coordinator's view.")
    grade(sian_db, "Siân", "Child A", 0, "1", "Auditor's view.")
    import_file(coordinator, return_of(sian_db, tmp_path / "r.lgfx"))
    with coordinator.session() as session:
        resolve_conflict(session, unresolved_conflicts(session, the_audit(session))[0], "local")
    assert grade_of(coordinator, "Siân", "Child A", 0) == ("Requires improvement", "Coordinator's view.")
    grade(sian_db, "Siân", "Child A", 0, "2", "Auditor changed their mind.")
    assert "1 changed on both sides" in import_file(coordinator, return_of(sian_db, tmp_path / "r2.lgfx"))


def tampered_return(source: Path, target: Path, change) -> Path:
    """A return changed after it was made, with a manifest made to match (as a careful forger would)."""
    package = read_package(source)
    data = package.json("return.json")
    change(data)
    scope = {"audit_uuid": data["audit_uuid"], "auditor_uuid": data["auditor_uuid"],
             "case_uuids": [a["case_uuid"] for a in data["assignments"]]}
    return write_package(target, kind="audit-return", author="x", description="Work on Child A, Child B, Child C, Child D",
                         scope=scope, parts={"return.json": json.dumps(data).encode()},
                         sealing=sealing_as_test_user())


def test_refusals_leave_the_database_unchanged(coordinator, auditor_dbs, tmp_path: Path) -> None:
    sian_db, lukasz_db = auditor_dbs("sian"), auditor_dbs("lukasz")
    sian_package = issue(coordinator, "Siân", tmp_path / "s.lgfx")
    import_file(sian_db, sian_package)
    import_file(lukasz_db, issue(coordinator, "Łukasz", tmp_path / "l.lgfx"))
    grade(sian_db, "Siân", "Child A", 0, "2", "ok")
    good = return_of(sian_db, tmp_path / "r.lgfx")
    lukasz_return = return_of(lukasz_db, tmp_path / "lr.lgfx")
    before = snapshot(coordinator)

    # a return for another audit
    elsewhere = Database.open(tmp_path / "elsewhere.sqlite3")
    try:
        make_audit(elsewhere)
        with pytest.raises(UserError, match="not in this database"):
            import_file(elsewhere, good)
    finally:
        elsewhere.close()
    # a case not assigned to this auditor (Łukasz's Child D smuggled into Siân's return)
    lukasz_d = [a for a in read_package(lukasz_return).json("return.json")["assignments"] if a["case_uuid"]]
    bad = tampered_return(good, tmp_path / "bad1.lgfx", lambda d: d["assignments"].append(lukasz_d[-1]))
    with pytest.raises(UserError, match="Child D, which is not assigned to Siân Howells"):
        import_file(coordinator, bad)
    # someone who is not an auditor of this audit
    bad = tampered_return(good, tmp_path / "bad2.lgfx", lambda d: d.update(auditor_uuid="00000000-0000-4000-8000-000000000000"))
    with pytest.raises(UserError, match="not an auditor of 'Neglect'"):
        import_file(coordinator, bad)
    # a package opened into the coordinator's own database
    with pytest.raises(UserError, match="issued from this database"):
        import_file(coordinator, sian_package)
    # a return imported into an auditor's copy
    with pytest.raises(UserError, match="auditor's copy"):
        import_file(lukasz_db, good)
    # a second auditor's package into the first auditor's database
    with pytest.raises(UserError, match="already holds Siân Howells's copy"):
        import_file(sian_db, tmp_path / "l.lgfx")
    assert snapshot(coordinator) == before
    with coordinator.session() as session:
        assert session.scalar(select(func.count()).select_from(ExchangeImport)) == 0
        assert session.scalar(select(func.count()).select_from(MergeConflict)) == 0


def test_immediate_concern_travels_back_and_stays_open_until_resolved(coordinator, auditor_dbs, tmp_path: Path) -> None:
    sian_db = auditor_dbs("sian")
    import_file(sian_db, issue(coordinator, "Siân", tmp_path / "s.lgfx"))
    with sian_db.session() as session:
        with pytest.raises(UserError, match="Say briefly why"):
            set_case_summary(assignment_for(session, "Siân", "Child B"), immediate_concern=True)
    with sian_db.session() as session:
        raise_concern(assignment_for(session, "Siân", "Child B"), "No one has seen the child for six weeks.")
    import_file(coordinator, return_of(sian_db, tmp_path / "r.lgfx"))
    with coordinator.session() as session:
        concerns = open_concerns(session, the_audit(session))
        assert [(c.case.pseudonym, c.concern_text) for c in concerns] == [("Child B", "No one has seen the child for six weeks.")]
        with pytest.raises(UserError, match="Record what was done"):
            resolve_concern(concerns[0], "  ")
        resolve_concern(concerns[0], "Referred to the MASH the same day; child seen next morning.")
    with coordinator.session() as session:
        assert open_concerns(session) == []
    # a later return (no change to the concern) does not reopen it
    grade(sian_db, "Siân", "Child B", 0, "2", "ok")
    import_file(coordinator, return_of(sian_db, tmp_path / "r2.lgfx"))
    with coordinator.session() as session:
        assert open_concerns(session) == []


def test_the_return_file_is_a_zip_with_a_manifest_saying_what_it_holds(coordinator, auditor_dbs, tmp_path: Path) -> None:
    sian_db = auditor_dbs("sian")
    import_file(sian_db, issue(coordinator, "Siân", tmp_path / "s.lgfx"))
    path = return_of(sian_db, tmp_path / "r.lgfx")
    with zipfile.ZipFile(unsealed(path)) as archive:
        manifest = json.loads(archive.read("manifest.json"))
    assert manifest["kind"] == "audit-return"
    assert "Child A, Child B, Child C" in manifest["description"]
    with coordinator.session() as session:
        with pytest.raises(UserError, match="auditor's copy"):
            export_return(session, session.scalars(select(Audit)).one(), tmp_path / "x.lgfx")


def _conflict_texts(db) -> list[tuple[str, str, str]]:
    with db.session() as session:
        return [describe_conflict(session, c) for c in unresolved_conflicts(session, the_audit(session))]


def test_reissued_package_then_both_edit_the_same_answer_lists_a_conflict(coordinator, auditor_dbs, tmp_path: Path) -> None:
    # Reported: after a re-issue the auditor's return was silently ignored ("0 updated").
    sian_db = auditor_dbs("sian")
    import_file(sian_db, issue(coordinator, "Siân", tmp_path / "s1.lgfx"))
    grade(sian_db, "Siân", "Child A", 1, "2", "Auditor: seen weekly.")
    grade(coordinator, "Siân", "Child A", 1, "3", "Coordinator (moderated): seen fortnightly.")
    import_file(sian_db, issue(coordinator, "Siân", tmp_path / "s2.lgfx"))  # the package re-issued
    assert grade_of(sian_db, "Siân", "Child A", 1) == ("Good", "Auditor: seen weekly.")  # their work kept
    summary = import_file(coordinator, return_of(sian_db, tmp_path / "r.lgfx"))
    assert "1 changed on both sides" in summary
    assert grade_of(coordinator, "Siân", "Child A", 1) == ("Requires improvement", "Coordinator (moderated): seen fortnightly.")
    [(where, local, incoming)] = _conflict_texts(coordinator)
    assert "moderated" in local and "Auditor: seen weekly." in incoming


def test_reissued_package_then_the_auditor_saves_twice_does_not_overwrite_the_moderated_text(
        coordinator, auditor_dbs, tmp_path: Path) -> None:
    # Reported: the coordinator's moderated text was silently overwritten.
    sian_db = auditor_dbs("sian")
    import_file(sian_db, issue(coordinator, "Siân", tmp_path / "s1.lgfx"))
    grade(sian_db, "Siân", "Child A", 1, "2", "Auditor: first save.")
    grade(coordinator, "Siân", "Child A", 1, "3", "Coordinator (moderated).")
    import_file(sian_db, issue(coordinator, "Siân", tmp_path / "s2.lgfx"))
    grade(sian_db, "Siân", "Child A", 1, "2", "Auditor: second save.")
    import_file(coordinator, return_of(sian_db, tmp_path / "r.lgfx"))
    assert grade_of(coordinator, "Siân", "Child A", 1) == ("Requires improvement", "Coordinator (moderated).")
    [(where, local, incoming)] = _conflict_texts(coordinator)
    assert "Auditor: second save." in incoming
    # Taking the auditor's answer, then their next edit, comes straight in; keeping ours goes back to them.
    with coordinator.session() as session:
        resolve_conflict(session, unresolved_conflicts(session, the_audit(session))[0], "local")
    import_file(sian_db, issue(coordinator, "Siân", tmp_path / "s3.lgfx"))
    assert grade_of(sian_db, "Siân", "Child A", 1) == ("Requires improvement", "Coordinator (moderated).")
    grade(sian_db, "Siân", "Child A", 1, "2", "Auditor: agreed after moderation, and added a note.")
    assert "1 answer(s) updated" in import_file(coordinator, return_of(sian_db, tmp_path / "r2.lgfx"))
    assert grade_of(coordinator, "Siân", "Child A", 1) == ("Good", "Auditor: agreed after moderation, and added a note.")


def test_a_package_reopened_after_a_newer_one_changes_nothing(coordinator, auditor_dbs, tmp_path: Path) -> None:
    sian_db = auditor_dbs("sian")
    first = issue(coordinator, "Siân", tmp_path / "s1.lgfx")
    import_file(sian_db, first)
    grade(coordinator, "Siân", "Child B", 0, "1", "Coordinator's newer answer.")
    import_file(sian_db, issue(coordinator, "Siân", tmp_path / "s2.lgfx"))
    assert grade_of(sian_db, "Siân", "Child B", 0) == ("Outstanding", "Coordinator's newer answer.")
    older = tmp_path / "s1-again.lgfx"  # the first package, re-zipped so it is not "already imported"
    package = read_package(first)
    write_package(older, kind="audit-package", author="x", description=package.manifest["description"],
                  scope=package.scope, parts=package.parts, sealing=sealing_as_test_user())
    import_file(sian_db, older)
    assert grade_of(sian_db, "Siân", "Child B", 0) == ("Outstanding", "Coordinator's newer answer.")
