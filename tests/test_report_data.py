"""The report's data apart from storage: read once from the database, rendered without one."""

from __future__ import annotations

import dataclasses
from datetime import date

import docx
import pytest

from lgf_desktop.exports.report_data import (
    ContactData, EntryData, OrganisationData, PanelMemberData, PartnershipData, PersonData, RecommendationData,
    ReportData, ReportTexts, ReviewData, TemplateQuestion, TemplateTheme, read_report,
)
from lgf_desktop.exports.report_docx import render_report
from lgf_desktop.services.review.rounds import find_round


def sample_data(**changes) -> ReportData:
    """A small report built by hand: no database anywhere."""
    template = (TemplateTheme("Safeguarding Structures", (TemplateQuestion("Who leads?", ("Board", "Named lead")),
                                                          TemplateQuestion("How is it reported?"))),
                TemplateTheme("Listening to Children", (TemplateQuestion("How do children shape services?"),)))
    held = ReviewData(
        review_id=1, organisation=OrganisationData("Vale Community Health NHS Trust", "VCH"), status="held",
        included=True, review_date=date(2022, 2, 10), duration_minutes=120, panel_present=("Ann Lee", "Raj Patel"),
        attendees=(PersonData("Sam Cole", "Named Nurse"),), apologies=(PersonData("Jo Reed", "Director"),),
        overall_comment="A thoughtful session.",
        entries=(EntryData("Safeguarding Structures", "Who leads?", ("Board", "Named lead"), 1, "The chief nurse.",
                           (RecommendationData("1", "Name a deputy lead.", 1),)),
                 EntryData("Safeguarding Structures", "How is it reported?", (), 2, "Quarterly."),
                 EntryData("Listening to Children", "How do children shape services?", (), 3, "")),
        recommendations=(RecommendationData("1", "Name a deputy lead.", 1),),
    )
    declined = ReviewData(
        review_id=2, organisation=OrganisationData("Harbour Housing, Care and Support", "HHCS"), status="declined",
        included=True, contacts=(ContactData(date(2021, 11, 3), "email", "Chief Executive Officer", "a workshop"),),
        recommendations=(RecommendationData("2", "Engage with the next round."),),
        loose=(RecommendationData("2", "Engage with the next round."),),
    )
    data = ReportData(
        partnership=PartnershipData("Valeside Safeguarding Children Partnership"), round_label="2022-23",
        report_month=date(2023, 3, 1), workshop_minutes=120,
        panel=(PanelMemberData("Ann Lee", "Ann Lee, Business Manager, VSCP", True),
               PanelMemberData("Raj Patel", "Raj Patel, Designated Nurse, ICB")),
        template=template, texts=ReportTexts("Background text.", "Intro.", "It went well.", "Please prepare."),
        reviews=(held, declined),
        partnership_recommendations=(RecommendationData("A", "Refresh the escalation policy."),),
    )
    return dataclasses.replace(data, **changes)


def test_report_renders_from_plain_data_without_a_database(tmp_path):
    document, preview = render_report(sample_data(), author="Ann Lee")
    path = tmp_path / "report.docx"
    document.save(str(path))
    read = docx.Document(str(path))
    texts = [p.text for p in read.paragraphs]
    assert "Peer Review Vale Community Health NHS Trust" in texts
    assert any("The workshops lasted 120 minutes." in t for t in texts)
    assert "Recommendation 2: Engage with the next round." in texts
    table = [[cell.text for cell in row.cells] for row in read.tables[-2].rows]
    assert table == [["Number", "Recommendations: VCH"], ["1", "Name a deputy lead."],
                     ["", "Recommendations: HHCS"], ["2", "Engage with the next round."],
                     ["Additional Recommendations for Children's Partnership"] * 2, ["A", "Refresh the escalation policy."]]
    assert preview.recommendations == 2 and preview.partnership_recommendations == 1
    assert any("1 question without a response" in w for w in preview.warnings)


def test_report_data_is_frozen_and_read_in_one_place(demo_db):
    with demo_db.session() as session:
        data = read_report(session, find_round(session, "2021-22"))
    # The value outlives its session: rendering after it closed touches no database.
    document, _ = render_report(data)
    assert document.paragraphs
    with pytest.raises(dataclasses.FrozenInstanceError):
        data.round_label = "changed"  # type: ignore[misc]
    assert [r.organisation.name for r in data.included][:1] == ["Northvale and Westmoor Integrated Care Board"]
    assert [r.number for r in data.partnership_recommendations] == ["A", "B", "C"]
