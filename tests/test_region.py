"""Regional collation: five partnerships' rounds, built through the services in their own databases,
exported as "round" exchange files and imported into one regional database — kept whole and
read-only, the same file again changing nothing, a newer export replacing the earlier one and saying
what changed, refusals leaving the database as it was, one organisation across partnerships."""

from __future__ import annotations

import dataclasses
import json
import os
import shutil
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest
from sqlalchemy import func, select

from lgf_desktop import keys
from lgf_desktop.db import Database
from lgf_desktop.errors import UserError
from lgf_desktop.exchange.container import write_package
from lgf_desktop.exports.regional_reading import read_regional_report_data
from lgf_desktop.exports.report_data import read_report
from lgf_desktop.importing import import_file
from lgf_desktop.models import ChangeLog, Organisation, Partnership, Recommendation, Response, Review, Round
from lgf_desktop.services import editing
from lgf_desktop.services.region import organisations as one_org
from lgf_desktop.services.region.round_file import export_round
from lgf_desktop.services.review import workshop as ws
from lgf_desktop.services.review.rounds import create_round, find_round
from lgf_desktop.services.tracker.actions import set_status
from conftest import close_into_one_file
from region_support import LABEL, build_partnership, export_for_region, five_partnerships
from sealing_support import sealed_bytes, unsealed
from workshop_support import snapshot

PLANS = five_partnerships()


@pytest.fixture(scope="module")
def _built(tmp_path_factory: pytest.TempPathFactory, _one_key_pair) -> Path:
    """The five partnerships' databases and their files, built once for the module (as the test user)."""
    folder = tmp_path_factory.mktemp("partnerships")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("HOME", str(folder / "home"))
        patch.setenv("XDG_DATA_HOME", str(folder / "home" / "data"))
        keys.use_for_this_sitting(_one_key_pair[0])
        for index, plan in enumerate(PLANS):
            db = build_partnership(folder / f"p{index}" / "lgf.sqlite3", plan)
            export_for_region(db, folder / f"{plan.short}.lgfx")
            close_into_one_file(db)
        keys.use_for_this_sitting(None)
    return folder


@pytest.fixture
def partnerships(_built: Path, tmp_path: Path) -> list[tuple[Database, Path]]:
    """The five partnerships' databases (copies of their own) and the files each sends the regional lead."""
    made = []
    for index, plan in enumerate(PLANS):
        path = tmp_path / f"p{index}" / "lgf.sqlite3"
        path.parent.mkdir()
        shutil.copyfile(_built / f"p{index}" / "lgf.sqlite3", path)
        shutil.copyfile(_built / f"{plan.short}.lgfx", tmp_path / f"{plan.short}.lgfx")
        db = Database.open(path)
        db.set_user(f"{plan.short} Business Manager")
        made.append((db, tmp_path / f"{plan.short}.lgfx"))
    yield made
    for db, _ in made:
        db.close()


@pytest.fixture
def region(tmp_path: Path) -> Database:
    db = Database.open(tmp_path / "region" / "region.sqlite3")
    db.set_user("Regional Lead")
    yield db
    db.close()


def plain(report):
    """A report's content without this database's row ids and uuids (the same round read in two
    databases; an imported record's uuid is derived from the partnership's, stable across imports)."""
    def strip(value):
        if dataclasses.is_dataclass(value):
            return tuple((f.name, strip(getattr(value, f.name))) for f in dataclasses.fields(value)
                         if f.name not in ("review_id", "question_id", "identity", "logo", "uuid"))
        if isinstance(value, tuple):
            return tuple(strip(v) for v in value)
        return value
    return strip(report)


def local_report(db: Database):
    with db.session() as s:
        return read_report(s, find_round(s, LABEL), refuse_empty=False)


def test_five_rounds_collate_whole_and_read_only(partnerships, region):
    summaries = [import_file(region, path) for _, path in partnerships]
    assert all("imported for the regional report" in s and "read-only" in s for s in summaries)
    assert "3 review(s) (2 held)" in summaries[3]  # the partnership whose organisation declined
    reports = read_regional_report_data(region, LABEL)
    by_name = {r.partnership.name: r for r in reports}
    assert sorted(by_name) == sorted(p.name for p in PLANS)
    for (db, _), plan in zip(partnerships, PLANS):
        # Kept whole: the report read in the regional database is the partnership's own, number for number.
        assert plain(by_name[plan.name]) == plain(local_report(db))
    declined = by_name[PLANS[3].name]
    assert [r.status for r in declined.reviews] == ["held", "held", "declined"]
    assert declined.reviews[2].contacts[0].offered == "a workshop in December"
    own_template = by_name[PLANS[1].name]
    assert own_template.themes == ("Leadership and Accountability", "Voice of the Child", "Safer Recruitment")
    assert by_name[PLANS[0].name].themes != own_template.themes
    numbers = [r.number for review in by_name[PLANS[0].name].reviews for r in review.recommendations]
    assert numbers == ["1", "2", "3", "4", "5", "6"]
    assert [r.number for r in by_name[PLANS[0].name].partnership_recommendations] == ["A", "B"]  # one agreed in a review
    # The police, reviewed by two partnerships: one organisation (its ODS code), each partnership's review.
    police = [r.organisation for report in reports for r in report.reviews if r.organisation.name == "Avon and Somerset Police"]
    assert len(police) == 2 and police[0].identity == police[1].identity
    with region.session() as s:
        across = one_org.organisations_across(s, LABEL)
        shared = [o for o in across if len(o.partnerships) > 1]
        assert [(o.name, sorted(o.partnerships)) for o in shared] == [
            ("Avon and Somerset Police", sorted([PLANS[0].name, PLANS[2].name]))]
        assert len(across) == 14  # 15 reviews, one organisation twice
        assert s.scalar(select(func.count(Round.id)).where(Round.read_only.is_(True))) == 5
        assert s.scalar(select(func.count(Partnership.id)).where(Partnership.imported.is_(True))) == 5


def test_imported_rounds_refuse_every_save(partnerships, region):
    for _, path in partnerships:
        import_file(region, path)
    with region.session() as s:
        review = s.scalars(select(Review).order_by(Review.id)).first()
        review_id, round_id = review.id, review.round_id
        question_id = review.responses[0].question_id
        rec_id = s.scalars(select(Recommendation).where(Recommendation.review_id == review_id)).first().id
    before = snapshot(region)[0]
    attempts = [
        lambda s: editing.update(s, Review, review_id, overall_comment="Changed by the lead."),
        lambda s: editing.update(s, Round, round_id, conclusion_text="Our conclusion."),
        lambda s: ws.save_response(s, review_id, question_id, "Typed over the partnership's minutes."),
        lambda s: ws.add_recommendation(s, s.get(Review, review_id), question_id, "A recommendation of our own."),
        lambda s: editing.add_representative(s, review_id, "Someone Else"),
        lambda s: set_status(s, rec_id, "in progress"),
        lambda s: s.delete(s.get(Review, review_id)),
    ]
    for attempt in attempts:
        with pytest.raises(UserError, match="read-only here"):
            with region.session() as s:
                attempt(s)
                s.flush()
    assert snapshot(region)[0] == before


def test_autosave_mid_sitting_is_refused_too(partnerships, region):
    """The autosave's plain-SQL path (a response whose text this person changed minutes ago) skips
    the flush's check: a newer export changing a response puts the lead's own recent text change in
    the history, so the next save of that response takes that path."""
    db, path = partnerships[0]
    import_file(region, path)
    with db.session() as s:
        response = s.scalars(select(Response).order_by(Response.id)).first()
        ws.save_response(s, response.review_id, response.question_id, "Corrected after the workshop.")
    time.sleep(1.1)
    import_file(region, export_for_region(db, path.with_name("newer.lgfx")))
    with region.session() as s:
        response = s.scalars(select(Response).where(Response.text == "Corrected after the workshop.")).one()
        review_id, question_id = response.review_id, response.question_id
    before = snapshot(region)[0]
    with pytest.raises(UserError, match="read-only here"):
        with region.session() as s:
            ws.save_response(s, review_id, question_id, "Overwritten.")
    assert snapshot(region)[0] == before


def test_same_file_again_changes_nothing(partnerships, region):
    for _, path in partnerships:
        import_file(region, path)
    region.engine.dispose()
    before = snapshot(region)
    again = import_file(region, partnerships[2][1])
    assert "already imported" in again and "nothing changed" in again
    region.engine.dispose()
    assert snapshot(region) == before  # every row, and the file's bytes


def test_same_round_exported_again_unchanged_changes_no_round_data(partnerships, region):
    db, path = partnerships[0]
    import_file(region, path)
    time.sleep(1.1)  # a later export: its manifest's time moves on
    again = export_for_region(db, path.with_name("again.lgfx"))
    summary = import_file(region, again)
    assert "is the same as the one already imported; nothing changed" in summary


def test_newer_export_replaces_and_says_what_changed(partnerships, region):
    for _, path in partnerships:
        import_file(region, path)
    db, _ = partnerships[0]
    with db.session() as s:
        round_ = find_round(s, LABEL)
        first = sorted(round_.reviews, key=lambda r: r.position)[0]
        questions = [q.id for q in round_.questions]
        ws.save_response(s, first.id, questions[0], "Rewritten after the workshop: a fuller answer.")
        ws.add_recommendation(s, first, questions[1], "Police to publish the escalation route.")  # renumbers 2… onwards
        org = editing.add_organisation(s, "Bristol Youth Justice Service", "BYJS", "Local authority")
        review = editing.add_review(s, round_.id, org.id)
        editing.update(s, Review, review.id, status="held", review_date=round_.reviews[0].review_date)
        s.flush()
        ws.save_response(s, review.id, questions[0], "Youth justice answered the first question.")
    time.sleep(1.1)
    newer = export_for_region(db, db.path.parent / "newer.lgfx")
    summary = import_file(region, newer)
    assert "replaced by their newer export" in summary
    assert "1 review(s) added (BYJS)" in summary
    assert "1 response(s) changed" in summary
    assert "1 recommendation(s) added" in summary
    assert "renumbered (2 → 3, 3 → 4, 4 → 5, 5 → 6, 6 → 7)" in summary
    reports = {r.partnership.name: r for r in read_regional_report_data(region, LABEL)}
    assert plain(reports[PLANS[0].name]) == plain(local_report(db))
    with region.session() as s:
        # History kept: the earlier text is in the change history of the replaced response.
        old = s.scalars(select(ChangeLog).where(ChangeLog.table_name == "response", ChangeLog.action == "update")).all()
        assert [e.old_value for e in old] == [f"{PLANS[0].organisations[0][1]} answered question 1 fully."]
        assert s.scalar(select(func.count(Round.id))) == 5


def test_refusals_leave_the_regional_database_unchanged(partnerships, region, tmp_path):
    import_file(region, partnerships[0][1])
    db, _ = partnerships[1]
    # Another round label than the one being collated.
    with db.session() as s:
        create_round(s, "2022-23", copy_from=find_round(s, LABEL))
    with db.session() as s:
        other_label, _ = export_round(s, "2022-23", tmp_path / "next-year.lgfx", to=keys.this_sitting().public)
    # Made by a newer version (its round layout).
    body = json.loads(zipfile.ZipFile(unsealed(partnerships[1][1])).read("round.json"))
    body["round_format"] = 2
    body["reviews"][0]["new_field"] = "something this version does not know"
    newer_version = tmp_path / "newer-version.lgfx"
    from sealing_support import sealing_as_test_user
    write_package(newer_version, kind="round", author="BANES", description="a round", parts={
        "round.json": json.dumps(body).encode()}, scope={"partnership_uuid": body["partnership"]["uuid"],
        "round_uuid": body["round"]["uuid"], "round": LABEL, "round_format": 2}, sealing=sealing_as_test_user())
    # A hand-edited file whose numbers do not follow from its reviews.
    body = json.loads(zipfile.ZipFile(unsealed(partnerships[2][1])).read("round.json"))
    body["recommendations"][0]["number"], body["recommendations"][1]["number"] = "2", "1"
    renumbered = tmp_path / "renumbered.lgfx"
    write_package(renumbered, kind="round", author="SOM", description="a round", parts={
        "round.json": json.dumps(body).encode()}, scope={"partnership_uuid": body["partnership"]["uuid"],
        "round_uuid": body["round"]["uuid"], "round": LABEL, "round_format": 1}, sealing=sealing_as_test_user())
    region.engine.dispose()
    before = snapshot(region)
    refusals = {other_label: "but this database collates round 2021-22",
                newer_version: r"exported by a newer version of LGF Desktop \(round format 2\)",
                renumbered: "recommendation numbers in Somerset"}
    for path, sentence in refusals.items():
        with pytest.raises(UserError, match=sentence):
            import_file(region, path)
    region.engine.dispose()
    assert snapshot(region) == before


def test_an_older_export_and_the_own_round_are_refused(partnerships, region):
    db, first = partnerships[0]
    time.sleep(1.1)
    second = export_for_region(db, first.with_name("second.lgfx"))
    import_file(region, second)
    with pytest.raises(UserError, match="older than the export already imported"):
        import_file(region, first)
    # The partnership's own database: its round is already there.
    with pytest.raises(UserError, match="this database's own partnership"):
        import_file(db, second)


def test_planning_warns_when_an_organisation_is_asked_twice(partnerships, region):
    """The lead's own partnership plans its round in the regional database; the police are already
    asked by two partnerships (matched by ODS code), a health trust by name once the lead confirms."""
    for _, path in partnerships:
        import_file(region, path)
    with region.session() as s:
        editing.set_partnership(s, "Regional Lead Partnership")
        round_ = create_round(s, LABEL)
        police = editing.add_organisation(s, "Avon & Somerset Constabulary", "", "Police")
        editing.update(s, Organisation, police.id, ods_code="qas")
        review = editing.add_review(s, round_.id, police.id)
        one_org.link_by_ods_code(s)
        warnings = one_org.asked_elsewhere(s, round_.id, police.id)
        assert len(warnings) == 2 and all("already asked by" in w for w in warnings)
        assert one_org.round_warnings(s, round_.id) == warnings
        trust = editing.add_organisation(s, "The SOM community organisation 3", "", "Health")
        assert one_org.asked_elsewhere(s, round_.id, trust.id)  # the same name, case and "the" aside
        likely = {(p.name, p.same_as_name) for p in one_org.likely_same(s)}
        assert ("The SOM community organisation 3", "SOM Community Organisation 3") in likely
        imported = s.scalar(select(Organisation.id).where(Organisation.name == "SOM Community Organisation 3"))
        one_org.confirm_same(s, trust.id, imported)
        editing.add_review(s, round_.id, trust.id)
        listed = [o for o in one_org.organisations_across(s, LABEL) if o.name == "SOM Community Organisation 3"]
        assert len(listed) == 1 and len(listed[0].reviews) == 2
        assert review.id


def run_lgf(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "lgf_desktop.cli", *args], capture_output=True, text=True,
                          env={**os.environ, **env})


def test_cli_round_return_import_and_partnerships(tmp_path):
    env = {"LGF_PASSPHRASE": "agreed with the regional lead"}
    paths = []
    for index, plan in enumerate(PLANS[:2]):
        db = build_partnership(tmp_path / f"p{index}.sqlite3", plan)
        db.close()
        out = tmp_path / f"{plan.short}.lgfx"
        result = run_lgf("--db", str(db.path), "export", "round-return", "--round", LABEL, "--out", str(out),
                         "--with-passphrase", env=env)
        assert result.returncode == 0, result.stderr
        assert "send it to the regional lead" in result.stdout and out.exists()
        paths.append(out)
    regional = tmp_path / "region.sqlite3"
    result = run_lgf("--db", str(regional), "import", *map(str, paths), env=env)
    assert result.returncode == 0, result.stderr
    assert result.stdout.count("imported for the regional report") == 2
    result = run_lgf("--db", str(regional), "partnerships", env=env)
    assert result.returncode == 0, result.stderr
    assert f"{PLANS[0].name} (imported, read-only)" in result.stdout
    assert "2021-22: 3 review(s) (3 held, 0 declined), 3 organisation(s), 8 recommendation(s)" in result.stdout
    again = run_lgf("--db", str(regional), "import", str(paths[0]), env=env)
    assert again.returncode == 0 and "nothing changed" in again.stdout
    refused = run_lgf("--db", str(tmp_path / "p0.sqlite3"), "export", "round-return", "--round", LABEL,
                      "--out", str(tmp_path / "x.lgfx"), env=env)
    assert refused.returncode == 2 and "Say who the round is for" in refused.stderr
