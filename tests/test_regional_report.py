"""The regional Section 11 report: five partnerships' databases built through the services (one with
a template of its own, one with an organisation that declined, one organisation reviewed by two),
collated and written to Word, then read back with python-docx: the parts in order, every count, the
numbering prefixed and complete, the summary by theme, the shared organisation listed once."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import docx
import pytest

from benchmarks.generate_region import (
    CHANGED_QUESTION, DIFFERENT_TEMPLATE, PARTNERSHIPS, RECURRING, REGION, ROUND, SHARED, SHORT, WITH_DECLINED,
    make_region,
)
from lgf_desktop.db import Database
from lgf_desktop.exports import regional_data as rd
from lgf_desktop.exports.regional_docx import render_regional_report
from lgf_desktop.exports.report_data import read_report
from lgf_desktop.services.review.rounds import find_round

SHIPPED_THEMES = ["Safeguarding Structures", "Learning & Development", "Impact of Covid-19", "Listening to Children",
                  "Information Sharing", "Child Exploitation", "Children's Partnerships"]


@pytest.fixture(scope="module")
def region(tmp_path_factory):
    folder = tmp_path_factory.mktemp("region")
    return make_region(folder, 3)


def read_all(region) -> list:
    reports = []
    for built in region:
        db = Database.open(built.path)
        try:
            with db.session() as session:
                reports.append(read_report(session, find_round(session, ROUND)))
        finally:
            db.close()
    return reports


@pytest.fixture(scope="module")
def data(region):
    return rd.regional_report_data(REGION, ROUND, read_all(region))


@pytest.fixture(scope="module")
def document(data, tmp_path_factory):
    path = tmp_path_factory.mktemp("regional-doc") / "regional.docx"
    doc, _ = render_regional_report(data, author="Regional Lead")
    doc.save(str(path))
    return path


def texts(path: Path) -> list[str]:
    return [p.text for p in docx.Document(str(path)).paragraphs]


def body_text(path: Path) -> str:
    document = docx.Document(str(path))
    cells = [c.text for t in document.tables for row in t.rows for c in row.cells]
    return "\n".join([p.text for p in document.paragraphs] + cells)


def test_the_data_counts_what_the_partnerships_recorded(data, region):
    assert [p.short_name for p in data.parts] == list(SHORT)
    assert rd.partnership_count(data) == 5
    assert rd.organisations_per_partnership(data) == tuple((s, 3) for s in SHORT)
    # 15 reviews, the ICB reviewed by two partnerships: 14 organisations.
    assert rd.total_organisations(data) == 14
    assert [o.organisation.name for o in rd.shared_organisations(data)] == [SHARED]
    assert rd.workshops(data) == (14, 1)
    assert [p.chair.name for p in rd.panels(data)] == [f"{n.split()[0]} Panellist 1" for n in PARTNERSHIPS]


def test_the_summary_by_theme_matches_titles_and_says_where_templates_differ(data):
    summaries = {s.title: s for s in rd.theme_summary(data)}
    assert list(summaries) == SHIPPED_THEMES + ["Neglect"]
    # Every held review answers every question: a theme's organisations are those of the partnerships
    # asking it, the shared ICB once. Held reviews: 3, 3, 3, 2, 3.
    structures = summaries["Safeguarding Structures"]
    assert (structures.organisations, structures.reviews, structures.recommendations) == (13, 14, 14)
    covid = summaries["Impact of Covid-19"]
    assert covid.missing_from == (SHORT[DIFFERENT_TEMPLATE],)
    assert (covid.organisations, covid.reviews, covid.recommendations) == (10, 11, 0)
    neglect = summaries["Neglect"]
    assert neglect.partnerships == (SHORT[DIFFERENT_TEMPLATE],)
    assert (neglect.organisations, neglect.reviews) == (3, 3)
    listening = summaries["Listening to Children"]
    assert listening.differs_in == (SHORT[DIFFERENT_TEMPLATE],) and listening.recommendations == 14
    # The recurring recommendation is suggested as one group under its theme.
    assert len(listening.recurring) == 1
    assert len(listening.recurring[0].keys) == 14 and not listening.recurring[0].confirmed
    assert not structures.recurring


def test_suggestions_join_rewordings_and_never_one_organisations_own():
    from lgf_desktop.services.regional_report.recurring import Item, suggest_groups

    items = [Item("a", "Org A", RECURRING[0]), Item("b", "Org B", RECURRING[1]), Item("c", "Org C", RECURRING[2]),
             Item("d", "Org D", "Appoint a named governor for safeguarding."),
             Item("e", "Org A", RECURRING[1])]
    assert suggest_groups(items) == [("a", "b", "c", "e")]
    assert suggest_groups([Item("x", "Org A", RECURRING[0]), Item("y", "Org A", RECURRING[1])]) == []


def test_the_regional_report_reads_back_with_parts_counts_and_prefixed_numbers(document, data, region):
    paragraphs = texts(document)
    text = body_text(document)
    # Title block, then the sections in order, then the parts in partnership order.
    headings = [p.text for p in docx.Document(str(document)).paragraphs if p.style.name == "Heading 1"]
    assert headings == (["Background", "Methodology"] + [f"Part {i}: {n}" for i, n in enumerate(PARTNERSHIPS, 1)]
                        + ["Regional Summary by Theme", "Regional Recommendations", "Conclusion",
                           "Appendix: Question Template"])
    assert paragraphs[1] == "Regional Section 11 Report 2021-22" or "Regional Section 11 Report 2021-22" in paragraphs
    methodology = next(p for p in paragraphs if p.startswith("In 2021-22 the five partnerships"))
    assert "each reviewed three organisations; fourteen organisations took part in all" in methodology
    assert f"{SHARED} (NSCP and WCP) was reviewed by more than one partnership and is counted once" in methodology
    assert "Fourteen workshops took place; one organisation did not engage" in text
    assert "Four of the five partnerships used the shared question template, of seven themes" in text
    # The shared organisation is listed once among the organisations that took part.
    listed = [p for p in paragraphs if p.startswith(f"{SHARED} — ")]
    assert listed == [f"{SHARED} — NSCP and WCP"]
    # Each part prints its reviews as the local report does, one heading level down.
    reviews = [p.text for p in docx.Document(str(document)).paragraphs if p.style.name == "Heading 2"
               and p.text.startswith("Peer Review ")]
    assert len(reviews) == 15 and reviews.count(f"Peer Review {SHARED}") == 2
    # Every recommendation is in the regional table, each partnership's numbers kept and prefixed.
    table = docx.Document(str(document)).tables
    numbers = [row.cells[0].text for t in table for row in t.rows if t.rows[0].cells[0].text == "Number"]
    numbered = [n for n in numbers if re.fullmatch(r"[A-Z]+ [0-9A-Z]+", n)]
    expected = []
    for short, built in zip(SHORT, region):
        expected += [f"{short} {n}" for n in range(1, built.recommendations + 1)]
        expected += [f"{short} {chr(65 + n)}" for n in range(built.partnership_recommendations)]
    assert numbered == expected
    assert f"Recommendations: {SHARED} (NSCP)" in numbers and f"Recommendations: {SHARED} (WCP)" in numbers
    assert "Additional Recommendations for Children's Partnership (NSCP)" in numbers


def test_the_summary_by_theme_in_the_document(document):
    document_ = docx.Document(str(document))
    summary = next(t for t in document_.tables if t.rows[0].cells[0].text == "Theme"
                   and t.rows[0].cells[1].text == "Partnerships asking it")
    rows = {r.cells[0].text: [c.text for c in r.cells[1:]] for r in summary.rows[1:]}
    assert rows["Safeguarding Structures"] == ["All", "13", "14"]
    assert rows["Impact of Covid-19"] == ["NSCP, WCP, SCSP and RPC", "10", "0"]
    assert rows["Neglect"] == ["ESP", "3", "0"]
    paragraphs = texts(document)
    assert any(p.startswith("Ten organisations were reviewed on this theme in eleven workshops") and
               "It was not in the template of ESP." in p for p in paragraphs)
    recurring = [p for p in paragraphs if "(suggested):" in p]
    # Fourteen recommendations to thirteen organisations (the ICB's two reviews are one organisation).
    assert len(recurring) == 1 and recurring[0].startswith("Gather children's views safeguarding training offer")
    assert "NSCP 2, NSCP 4, NSCP 6, WCP 2" in recurring[0] and "— thirteen organisations." in recurring[0]


def test_each_part_keeps_its_own_template(document, data):
    text = body_text(document)
    assert CHANGED_QUESTION in text  # Eastbrook's own question, in its part's tables
    assert "ESP's template adds ‘Neglect’ and has no ‘Impact of Covid-19’ and asks different questions under " \
           "‘Listening to Children’" in text


def test_a_declined_organisation_prints_its_contact_history(document):
    text = body_text(document)
    assert "Southcombe Service 3" in text
    assert "did not engage" in text


def test_no_partnerships_is_one_sentence():
    from lgf_desktop.errors import UserError

    with pytest.raises(UserError, match="no partnerships' rounds labelled 2099-00"):
        rd.regional_report_data(REGION, "2099-00", [])


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
def test_libreoffice_converts_the_regional_report(document, tmp_path):
    out = tmp_path / "pdf"
    subprocess.run(["soffice", "--headless", f"-env:UserInstallation=file://{tmp_path}/lo", "--convert-to", "pdf",
                    "--outdir", str(out), str(document)], check=True, capture_output=True, timeout=240)
    pdf = out / "regional.pdf"
    assert pdf.exists() and pdf.stat().st_size > 10_000
    shown = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert "Regional Section 11 Report" in shown and "NSCP 1" in shown


def test_the_regional_report_passes_the_schema_check(document, data, tmp_path):
    from test_docx_schema import problems
    from test_word_template import house_template

    assert problems(document) == []
    # In the lead's own Word template too (its styles, header and page setup).
    house = house_template(tmp_path / "house.docx")
    doc, warnings = render_regional_report(data, template=house)
    path = tmp_path / "house-regional.docx"
    doc.save(str(path))
    assert problems(path) == []
    assert "Peer Review " + SHARED in [p.text for p in docx.Document(str(path)).paragraphs]


def test_the_regional_report_starts_from_the_template_kept_in_the_database(data, tmp_path):
    from test_word_template import assert_house_style, house_template

    from lgf_desktop.services.partnership import KeptTemplate

    house = house_template(tmp_path / "house.docx")
    kept = KeptTemplate(house.name, house.read_bytes())
    house.unlink()  # only the bytes, as a database keeps them
    doc, warnings = render_regional_report(data, stored_template=kept)
    doc.save(str(tmp_path / "regional.docx"))
    assert not [w for w in warnings if "template" in w]
    assert_house_style(tmp_path / "regional.docx")


def test_cli_exports_the_regional_report_with_the_leads_groups(region, tmp_path, capsys):
    from lgf_desktop.cli import main
    from lgf_desktop.services.regional_report.groups import save_groups

    path = tmp_path / "lead.sqlite3"
    shutil.copyfile(region[0].path, path)
    out = tmp_path / "regional.docx"
    assert main(["--db", str(path), "export", "regional-report", "--round", ROUND, "--out", str(out)]) == 0
    captured = capsys.readouterr()
    assert "1 partnership(s), 3 review(s)" in captured.out
    assert "the app's suggestions" in captured.err  # a warning: the lead has not reviewed the groups
    assert "Part 1: " + PARTNERSHIPS[0] in texts(out)
    db = Database.open(path)
    try:
        with db.session() as session:
            data = rd.read_regional(session, ROUND)
            keys = [r.key for r in rd.regional_recommendations(data) if r.theme == "Listening to Children"]
            save_groups(session, ROUND, [("Children's views shape training", keys)])
    finally:
        db.close()
    assert main(["--db", str(path), "export", "regional-report", "--round", ROUND, "--out", str(out)]) == 0
    assert "the app's suggestions" not in capsys.readouterr().err
    assert "Children's views shape training: NSCP 2, NSCP 4 and NSCP 6 — three organisations." in texts(out)
    # A round no partnership here has: one sentence, exit 2, nothing written.
    missing = tmp_path / "missing.docx"
    assert main(["--db", str(path), "export", "regional-report", "--round", "2030-31", "--out", str(missing)]) == 2
    assert "no partnerships' rounds labelled 2030-31" in capsys.readouterr().err and not missing.exists()


def test_groups_need_a_name_two_recommendations_and_one_group_each(region, tmp_path):
    from lgf_desktop.errors import UserError
    from lgf_desktop.services.regional_report.groups import save_groups, stored_groups

    path = tmp_path / "lead.sqlite3"
    shutil.copyfile(region[0].path, path)
    db = Database.open(path)
    try:
        for groups, said in (([("  ", ["a", "b"])], "needs a name"), ([("One", ["a"])], "fewer than two"),
                             ([("One", ["a", "b"]), ("Two", ["b", "c"])], "in two groups")):
            with pytest.raises(UserError, match=said):
                with db.session() as session:
                    save_groups(session, ROUND, groups)
            with db.read() as session:
                assert stored_groups(session, ROUND) is None  # refused: nothing stored
    finally:
        db.close()


def test_an_organisation_named_differently_is_one_by_its_identity(data):
    """In a regional database the same organisation may carry each partnership's own name; the
    identity the lead confirmed (or its ODS code) makes it one."""
    import dataclasses

    def renamed(part, name, identity):
        reviews = tuple(dataclasses.replace(r, organisation=dataclasses.replace(r.organisation, name=name,
                                                                                identity=identity))
                        if r.organisation.name == SHARED else r for r in part.report.reviews)
        return dataclasses.replace(part, report=dataclasses.replace(part.report, reviews=reviews))

    parts = list(data.parts)
    parts[0] = renamed(parts[0], SHARED, "icb-uuid")
    parts[1] = renamed(parts[1], "Avonvale ICB (Westmoor locality)", "icb-uuid")
    same = dataclasses.replace(data, parts=tuple(parts))
    assert rd.total_organisations(same) == 14
    assert [o.partnerships for o in rd.shared_organisations(same)] == [("NSCP", "WCP")]
    summaries = {s.title: s for s in rd.theme_summary(same)}
    assert summaries["Safeguarding Structures"].organisations == 13
    # Without the identity the two names are two organisations.
    parts[1] = renamed(data.parts[1], "Avonvale ICB (Westmoor locality)", "")
    assert rd.total_organisations(dataclasses.replace(data, parts=tuple(parts))) == 15


def test_a_partnership_with_nothing_to_report_yet_is_a_part_that_says_so(region, tmp_path):
    from lgf_desktop.models import Review
    from lgf_desktop.services import editing

    path = tmp_path / "lead.sqlite3"
    shutil.copyfile(region[0].path, path)
    db = Database.open(path)
    try:
        with db.session() as session:
            for review in find_round(session, ROUND).reviews:
                editing.update(session, Review, review.id, status="planned")
        with db.read() as session:
            data = rd.read_regional(session, ROUND)
    finally:
        db.close()
    assert rd.total_organisations(data) == 0 and rd.workshops(data) == (0, 0)
    assert any("has no held or declined review in round 2021-22 yet" in p for p in rd.round_problems(data))
    document, _ = render_regional_report(data)
    out = tmp_path / "empty.docx"
    document.save(str(out))
    assert f"No peer review of {PARTNERSHIPS[0]} was held or declined in round 2021-22 by the time of this report." \
        in texts(out)


def test_a_group_keeps_its_recommendations_when_they_are_renumbered(region, tmp_path):
    from lgf_desktop.services.regional_report.groups import save_groups
    from lgf_desktop.services.review import workshop

    path = tmp_path / "lead.sqlite3"
    shutil.copyfile(region[0].path, path)
    db = Database.open(path)
    try:
        with db.session() as session:
            data = rd.read_regional(session, ROUND)
            keys = [r.key for r in rd.regional_recommendations(data) if r.theme == "Listening to Children"]
            save_groups(session, ROUND, [("Children's views", keys)])
        assert rd.group_labels(data, rd.RecurringGroup("x", tuple(keys))) == ("NSCP 2", "NSCP 4", "NSCP 6")
        # A recommendation agreed on the first question of the first review: every later number moves.
        with db.session() as session:
            round_ = find_round(session, ROUND)
            review = sorted(round_.reviews, key=lambda r: r.position)[0]
            workshop.add_recommendation(session, review, round_.questions[0].id, "Name a deputy for the lead.")
        with db.read() as session:
            later = rd.read_regional(session, ROUND)
    finally:
        db.close()
    assert [rd.group_labels(later, g) for g in later.recurring] == [("NSCP 3", "NSCP 5", "NSCP 7")]


def test_end_to_end_round_files_into_a_regional_database_then_the_report(region, tmp_path, capsys):
    """The whole regional path: each partnership exports its round (kind "round"), the lead imports
    the five into a new regional database, and lgf export regional-report writes the report."""
    from lgf_desktop.cli import main
    from lgf_desktop.importing import import_file
    from lgf_desktop.keys import this_sitting
    from lgf_desktop.services.region.round_file import export_round

    files = []
    for index, built in enumerate(region):
        copy = tmp_path / f"p{index}.sqlite3"
        shutil.copyfile(built.path, copy)
        db = Database.open(copy)
        try:
            with db.session() as session:
                written, _ = export_round(session, ROUND, tmp_path / f"round-{index}.lgfx", to=this_sitting().public)
            files.append(written)
        finally:
            db.close()
    regional_db = Database.open(tmp_path / "regional.sqlite3")
    try:
        for path in files:
            assert "imported for the regional report" in import_file(regional_db, path)
        with regional_db.read() as session:
            data = rd.read_regional(session, ROUND)
    finally:
        regional_db.close()
    assert data.region == REGION and len(data.parts) == 5
    assert rd.total_organisations(data) == 14 and rd.workshops(data) == (14, 1)
    out = tmp_path / "regional.docx"
    assert main(["--db", str(tmp_path / "regional.sqlite3"), "export", "regional-report", "--round", ROUND,
                 "--out", str(out)]) == 0
    paragraphs = texts(out)
    assert [p for p in paragraphs if p.startswith(f"{SHARED} — ")] == [f"{SHARED} — NSCP and WCP"]
    numbers = [row.cells[0].text for t in docx.Document(str(out)).tables for row in t.rows
               if t.rows[0].cells[0].text == "Number"]
    # A regional database orders the parts by the partnerships' names.
    expected = []
    for short, built in sorted(zip(SHORT, region), key=lambda pair: pair[1].partnership):
        expected += [f"{short} {n}" for n in range(1, built.recommendations + 1)]
        expected += [f"{short} {chr(65 + n)}" for n in range(built.partnership_recommendations)]
    assert [n for n in numbers if re.fullmatch(r"[A-Z]+ [0-9A-Z]+", n)] == expected
