"""Malformed exchange files: each refused by ``lgf import`` with one sentence, exit 2, the data unchanged.

The files are what a hostile or broken tool could write: well-formed zips with correct checksums and a
manifest that matches, whose JSON has wrong types, missing keys, 100,000 levels of nesting, huge
numbers, text longer than the screens allow, values outside their choices, an answer listed twice or a
lone surrogate. Every one must end in a sentence — never "internal error", never the value itself.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from lgf_desktop.cli import main
from lgf_desktop.db import Database
from lgf_desktop.errors import UserError
from lgf_desktop.exchange.container import read_package, write_package
from lgf_desktop.importing import import_file
from lgf_desktop.models import ExchangeImport
from lgf_desktop.services.audit.exchange import export_return, issue_package
from lgf_desktop.services.audit.grading import set_grade

from audit_helpers import assignment_for, auditor_named, make_audit, snapshot, the_audit
from lgf_desktop import keys
from sealing_support import sealing_as_test_user

DEEP = "[" * 100_000 + "]" * 100_000


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory, _one_key_pair) -> dict[str, Path]:
    """A coordinator's database, Siân's package, and her return (built once; tests copy the databases).
    Built before any test's own key fixture runs, so the test user's key is put in place here."""
    keys.use_for_this_sitting(_one_key_pair[0])
    folder = tmp_path_factory.mktemp("bad-payloads")
    coordinator = Database.open(folder / "coordinator.sqlite3")
    make_audit(coordinator)
    with coordinator.session() as session:
        package = issue_package(session, auditor_named(session, "Siân"), folder / "package.lgfx")
    coordinator.close()
    auditor = Database.open(folder / "auditor.sqlite3")
    import_file(auditor, package)
    with auditor.session() as session:
        assignment = assignment_for(session, "Siân", "Child A")
        set_grade(assignment.grades[0], evidence="Seen weekly by the health visitor.")
    with auditor.session() as session:
        returned = export_return(session, the_audit(session), folder / "return.lgfx")
    auditor.close()
    Database.open(folder / "empty.sqlite3").close()
    keys.use_for_this_sitting(None)
    return {"coordinator": folder / "coordinator.sqlite3", "package": package, "return": returned,
            "empty": folder / "empty.sqlite3"}


def _with(source: Path, target: Path, part: str, change) -> Path:
    """``source`` with one JSON part changed (or replaced by raw text), its manifest made to match."""
    package = read_package(source)
    parts = dict(package.parts)
    value = package.json(part)
    changed = change(copy.deepcopy(value))
    parts[part] = changed.encode("utf-8", "surrogatepass") if isinstance(changed, str) else json.dumps(changed).encode()
    return write_package(target, kind=package.kind, author=package.author, description=package.manifest["description"],
                         scope=package.scope, parts=parts, sealing=sealing_as_test_user())


def _grade(data: dict) -> dict:
    return data["assignments"][0]["grades"][0]


def _set(target: dict, **values) -> dict:
    target.update(values)
    return target


def _return_change(fn):
    def change(data):
        fn(data)
        return data
    return change


RETURNS = {
    # wrong types
    "evidence is a number": (_return_change(lambda d: _grade(d).update(evidence=12345)), "evidence should be text"),
    "revision is text": (_return_change(lambda d: _grade(d).update(auditor_rev="3")), "should be a whole number"),
    "revision is true": (_return_change(lambda d: _grade(d).update(auditor_rev=True)), "should be a whole number"),
    "concern is text": (_return_change(lambda d: d["assignments"][0].update(immediate_concern="yes")), "true or false"),
    "grades is an object": (_return_change(lambda d: d["assignments"][0].update(grades={})), "should be a list"),
    "assignments is null": (_return_change(lambda d: d.update(assignments=None)), "should be a list"),
    "the part is a list": (lambda d: [d], "should be an object"),
    # missing keys
    "no grades": (_return_change(lambda d: d["assignments"][0].pop("grades")), "grades is missing"),
    "no auditor": (_return_change(lambda d: d.pop("auditor_uuid")), "auditor_uuid is missing"),
    "no revision": (_return_change(lambda d: _grade(d).pop("coordinator_rev")), "coordinator_rev is missing"),
    "an unknown key": (_return_change(lambda d: d.update({"\x1b[31mevil": 1})), "not part of this format"),
    # nesting
    "nested 100,000 deep": (lambda d: DEEP, "nests deeper"),
    "evidence nested 100,000 deep": (lambda d: json.dumps(d).replace('"Seen weekly by the health visitor."', DEEP),
                                     "nests deeper"),
    # sizes
    "30 MB of evidence": (_return_change(lambda d: _grade(d).update(evidence="x" * 30_000_000)), "longer than the 20,000"),
    "evidence just over the limit": (_return_change(lambda d: _grade(d).update(evidence="x" * 20_001)), "longer than"),
    # numbers
    "revision 1e300": (_return_change(lambda d: _grade(d).update(auditor_rev=1e300)), "should be a whole number"),
    "revision 10**400": (_return_change(lambda d: _grade(d).update(auditor_rev=10 ** 400)), "out of range"),
    "revision 1e400": (lambda d: json.dumps(d).replace('"auditor_rev": 1', '"auditor_rev": 1e400', 1), "whole number"),
    "revision of 5,000 digits": (lambda d: json.dumps(d).replace('"auditor_rev": 1', '"auditor_rev": 1' + "0" * 5000, 1),
                                 "not valid JSON"),
    "revision NaN": (lambda d: json.dumps(d).replace('"auditor_rev": 1', '"auditor_rev": NaN', 1), "not valid JSON"),
    "revision negative": (_return_change(lambda d: _grade(d).update(auditor_rev=-1)), "out of range"),
    # choices
    "voice heard 'maybe'": (_return_change(lambda d: d["assignments"][0].update(voice_heard="maybe")), "allowed values"),
    "a grade not on the scale": (_return_change(lambda d: _grade(d).update(option_uuid="00000000-0000-4000-8000-00000000abcd")),
                                 "not on this audit's scale"),
    "a uuid that is not one": (_return_change(lambda d: _grade(d).update(uuid="'; DROP TABLE grade; --")), "is not an id"),
    # duplicates
    "a grade listed twice": (_return_change(lambda d: d["assignments"][0]["grades"].append(dict(_grade(d)))), "twice"),
    "a grade for one question twice": (
        _return_change(lambda d: d["assignments"][0]["grades"][1].update(question_uuid=_grade(d)["question_uuid"])), "twice"),
    "a case listed twice": (_return_change(lambda d: d["assignments"].append(copy.deepcopy(d["assignments"][0]))), "twice"),
    # text
    "a lone surrogate": (lambda d: json.dumps(d).replace("Seen weekly", "Seen \\ud800 weekly"), "lone surrogate"),
    "a NUL character": (lambda d: json.dumps(d).replace("Seen weekly", "Seen \\u0000 weekly"), "NUL"),
    "not UTF-8": (lambda d: json.dumps(d).replace("Seen weekly", "Seen \udcff weekly"), "not valid JSON"),
    "a concern with no words": (_return_change(lambda d: d["assignments"][0].update(immediate_concern=True, concern_text=" ")),
                                "without saying why"),
}

PACKAGES = {
    "voice heard 'maybe'": ("cases.json", _return_change(lambda d: d[0]["assignment"].update(voice_heard="maybe")), "allowed values"),
    "a grade not on the scale": ("cases.json", _return_change(
        lambda d: d[0]["assignment"]["grades"][0].update(option_uuid="00000000-0000-4000-8000-00000000abcd")), "scale"),
    "a question not in the tool": ("cases.json", _return_change(
        lambda d: d[0]["assignment"]["grades"][0].update(question_uuid="00000000-0000-4000-8000-00000000abcd")),
        "question its audit tool does not have"),
    "a case listed twice": ("cases.json", lambda d: d + [copy.deepcopy(d[0])], "twice"),
    "a grade in two cases": ("cases.json", _return_change(
        lambda d: d[1]["assignment"]["grades"][0].update(uuid=d[0]["assignment"]["grades"][0]["uuid"])), "twice"),
    "an agency listed twice": ("cases.json", _return_change(lambda d: d[0].update(
        agencies=[{"uuid": "00000000-0000-4000-8000-0000000000aa", "name": "Health", "short_name": "", "sector": ""}] * 2)),
        "twice"),
    "a pseudonym of 5,000 characters": ("cases.json", _return_change(lambda d: d[0].update(pseudonym="C" * 5000)), "longer than the 40"),
    "sections nested deep": ("audit.json", lambda d: json.dumps(d).replace('"sections": [', '"sections": [' + DEEP + ",", 1),
                             "nests deeper"),
    "a grade label as a number": ("audit.json", _return_change(lambda d: d["grade_options"][0].update(label=4)), "should be text"),
    "an auditor with no name": ("auditor.json", _return_change(lambda d: d["person"].pop("name")), "name is missing"),
    "a date that is not one": ("audit.json", _return_change(lambda d: d.update(start_date="31/12/2025")), "expected form"),
    "a lone surrogate": ("auditor.json", lambda d: json.dumps(d).replace("Howells", "Howells\\udfff"), "lone surrogate"),
}


def _lgf_import(db_path: Path, path: Path, capsys) -> tuple[int, str]:
    capsys.readouterr()
    status = main(["--db", str(db_path), "import", str(path)])
    captured = capsys.readouterr()
    return status, captured.err


def _assert_one_sentence(status: int, err: str, words: str) -> None:
    assert status == 2, err
    assert err.startswith("lgf: ") and err.count("\n") == 1, err
    assert "internal error" not in err and "Traceback" not in err
    assert words in err, err
    assert "\x1b" not in err and "DROP TABLE" not in err and "xxxxxxxxxx" not in err


@pytest.mark.parametrize("case", sorted(RETURNS))
def test_a_malformed_return_is_one_sentence_and_changes_nothing(files, tmp_path, capsys, case) -> None:
    db_path = tmp_path / "coordinator.sqlite3"
    db_path.write_bytes(files["coordinator"].read_bytes())
    change, words = RETURNS[case]
    bad = _with(files["return"], tmp_path / "bad.lgfx", "return.json", change)
    db = Database.open(db_path)
    before = snapshot(db)
    db.close()
    status, err = _lgf_import(db_path, bad, capsys)
    _assert_one_sentence(status, err, words)
    db = Database.open(db_path)
    try:
        assert snapshot(db) == before
        with db.session() as session:
            assert session.scalar(select(func.count()).select_from(ExchangeImport)) == 0
    finally:
        db.close()


@pytest.mark.parametrize("case", sorted(PACKAGES))
def test_a_malformed_package_is_one_sentence_and_changes_nothing(files, tmp_path, capsys, case) -> None:
    db_path = tmp_path / "auditor.sqlite3"
    db_path.write_bytes(files["empty"].read_bytes())
    part, change, words = PACKAGES[case]
    bad = _with(files["package"], tmp_path / "bad.lgfx", part, change)
    status, err = _lgf_import(db_path, bad, capsys)
    _assert_one_sentence(status, err, words)
    db = Database.open(db_path)
    try:
        assert snapshot(db) == []
    finally:
        db.close()


def test_a_package_that_clashes_with_the_auditors_copy_is_one_sentence(files, tmp_path, capsys) -> None:
    """A re-issued package whose Child A is another case, or whose answer is another row, than the copy has."""
    db_path = tmp_path / "auditor.sqlite3"
    db_path.write_bytes(files["empty"].read_bytes())
    assert _lgf_import(db_path, files["package"], capsys)[0] == 0
    new_id = "00000000-0000-4000-8000-0000000000cc"

    def other_case(cases):
        cases[0]["uuid"] = cases[0]["assignment"]["case_uuid"] = new_id
        return cases

    def other_grade(cases):
        cases[0]["assignment"]["grades"][0]["uuid"] = new_id
        return cases

    for change in (other_case, other_grade):
        package = read_package(files["package"])
        cases = change(package.json("cases.json"))
        scope = dict(package.scope, case_uuids=[c["uuid"] for c in cases])
        bad = write_package(tmp_path / f"{change.__name__}.lgfx", kind="audit-package", author="x",
                            description=package.manifest["description"], scope=scope,
                            parts={**package.parts, "cases.json": json.dumps(cases).encode()}, sealing=sealing_as_test_user())
        db = Database.open(db_path)
        before = snapshot(db)
        db.close()
        _assert_one_sentence(*_lgf_import(db_path, bad, capsys), "does not match the audit in this database")
        db = Database.open(db_path)
        assert snapshot(db) == before
        db.close()


def test_a_manifest_whose_scope_or_description_does_not_match_is_refused(files, tmp_path, capsys) -> None:
    package = read_package(files["return"])
    data = package.json("return.json")
    db_path = tmp_path / "coordinator.sqlite3"
    db_path.write_bytes(files["coordinator"].read_bytes())
    understated = write_package(tmp_path / "a.lgfx", kind="audit-return", author="x", description="Nothing sensitive.",
                                scope=package.scope, parts=package.parts, sealing=sealing_as_test_user())
    _assert_one_sentence(*_lgf_import(db_path, understated, capsys), "does not say that it holds Child A")
    scope = dict(package.scope, case_uuids=package.scope["case_uuids"][:1])
    narrower = write_package(tmp_path / "b.lgfx", kind="audit-return", author="x",
                             description=package.manifest["description"], scope=scope, parts=package.parts, sealing=sealing_as_test_user())
    _assert_one_sentence(*_lgf_import(db_path, narrower, capsys), "says it holds other cases")
    assert data["assignments"]  # the content itself was fine


def test_a_return_claiming_revision_1e300_cannot_freeze_a_grade(files, tmp_path) -> None:
    db_path = tmp_path / "coordinator.sqlite3"
    db_path.write_bytes(files["coordinator"].read_bytes())
    frozen = _with(files["return"], tmp_path / "frozen.lgfx", "return.json",
                   _return_change(lambda d: _grade(d).update(auditor_rev=1e300)))
    db = Database.open(db_path)
    try:
        with pytest.raises(UserError, match="whole number"):
            import_file(db, frozen)
        assert "1 answer(s) updated" in import_file(db, files["return"])  # the genuine return still comes in
    finally:
        db.close()


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3),
    max_leaves=8)


def _paths(value, path=()):
    yield path
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _paths(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _paths(item, (*path, index))


@settings(max_examples=60, deadline=None, database=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_any_value_anywhere_in_a_return_is_taken_or_refused_with_a_sentence(files, tmp_path_factory, data) -> None:
    """Fuzzing: replace one value anywhere in a genuine return by any JSON value: the import either
    succeeds or says one sentence (UserError) — never another exception."""
    good = read_package(files["return"]).json("return.json")
    paths = list(_paths(good))
    path = data.draw(st.sampled_from(paths[1:]))
    replacement = data.draw(json_values)

    def change(value):
        target = value
        for key in path[:-1]:
            target = target[key]
        target[path[-1]] = replacement
        return value

    folder = tmp_path_factory.mktemp("fuzz")
    db_path = folder / "coordinator.sqlite3"
    db_path.write_bytes(files["coordinator"].read_bytes())
    bad = _with(files["return"], folder / "fuzzed.lgfx", "return.json", change)
    db = Database.open(db_path)
    try:
        try:
            import_file(db, bad)
        except UserError as error:
            assert "\n" not in str(error)
    finally:
        db.close()


def test_the_files_and_the_screens_allow_the_same_lengths(files, tmp_path) -> None:
    """What an import refuses, the services behind the screens refuse too (and the reverse)."""
    from lgf_desktop.exchange import schemas
    from lgf_desktop.services.review import workshop as ws
    from lgf_desktop.services.audit.grading import MAX_EVIDENCE_CHARS, set_case_summary

    note = {"note_uuid": "00000000-0000-4000-8000-000000000001", "question_uuid": "00000000-0000-4000-8000-000000000002",
            "theme": "", "question": "", "written_at": None}
    schemas.validate(schemas.Note, {**note, "text": "x" * ws.MAX_RESPONSE_CHARS}, "A note")
    with pytest.raises(UserError, match="longer than the 20,000"):
        schemas.validate(schemas.Note, {**note, "text": "x" * (ws.MAX_RESPONSE_CHARS + 1)}, "A note")
    db_path = tmp_path / "coordinator.sqlite3"
    db_path.write_bytes(files["coordinator"].read_bytes())
    db = Database.open(db_path)
    try:
        with db.session() as session:
            assignment = assignment_for(session, "Siân", "Child A")
            assert set_grade(assignment.grades[0], evidence="x" * MAX_EVIDENCE_CHARS)
            with pytest.raises(UserError, match="at most 20,000"):
                set_grade(assignment.grades[1], evidence="x" * (MAX_EVIDENCE_CHARS + 1))
            with pytest.raises(UserError, match="at most 20,000"):
                set_case_summary(assignment, working_well="x" * (MAX_EVIDENCE_CHARS + 1))
            with pytest.raises(UserError, match="yes, partly or no"):
                set_case_summary(assignment, voice_heard="maybe")
    finally:
        db.close()
