"""Prose that reads as written: the declined paragraph for any contact log, short names introduced
once, counts that ignore punctuation in names, one UK date style; and the round's editable texts
with placeholders filled from one source."""

from __future__ import annotations

import dataclasses
import re
from datetime import date

import docx
import pytest

from lgf_desktop.errors import UserError
from lgf_desktop.exports.report_data import ContactData, OrganisationData, ReportTexts
from lgf_desktop.exports.report_docx import export_report, render_report
from lgf_desktop.exports.report_prose import Names, contact_history, join_names
from lgf_desktop.exports.template_docx import export_template
from lgf_desktop.models import Round
from lgf_desktop.services.editing import update
from lgf_desktop.services.review.rounds import find_round

from test_report_data import sample_data

ROUND = "2021-22"
AWKWARD = [
    ContactData(date(2021, 11, 3), "email", "Chief Executive Officer", "offering invitation and template sent", "no reply"),
    ContactData(date(2021, 12, 1), "Phone", "steve curry", "Offered: four dates in January.", ""),
    ContactData(date(2022, 1, 10), "", "", "", "Declined - capacity"),
    ContactData(date(2022, 1, 24), "letter", "the Director", "template re-sent", "N/A"),
    ContactData(date(2022, 2, 14), "in person", "", "  a meeting at the network's AGM; ", "They said they would reply."),
]


def check_english(text: str) -> None:
    """What mechanical assembly gets wrong, and a reader notices."""
    assert "  " not in text and ".." not in text and " ," not in text and " ." not in text
    assert "offering offer" not in text.lower() and "offering invitation and template sent" not in text
    assert "Response:" not in text
    for each in re.split(r"(?<=[.!?]) ", text):
        assert each[:1].isupper() and each[-1] in ".!?", each
    assert not re.search(r"\b\d{1,2}/\d{1,2}/\d{2,4}\b|\d{4}-\d{2}-\d{2}|\b\d+(st|nd|rd|th)\b", text)


@pytest.mark.parametrize("attempts", range(6))
def test_the_declined_paragraph_reads_as_written_for_zero_to_five_attempts(attempts):
    text = contact_history(AWKWARD[:attempts], "CVS")
    check_english(text)
    if attempts == 0:
        assert text == "No attempts to contact CVS are recorded."
        return
    dates = ["3 November 2021", "1 December 2021", "10 January 2022", "24 January 2022", "14 February 2022"]
    assert all(d in text for d in dates[:attempts])
    if attempts >= 2:
        assert text.startswith(f"The partnership contacted CVS {['', '', 'twice', 'three times', 'four times', 'five times'][attempts]}.")
    assert "Invitation and template were sent." in text
    assert "writing to the Chief Executive Officer" in text
    assert "No response was received." in text
    if attempts >= 2:
        assert "by telephone on 1 December 2021, speaking to steve curry, offering four dates in January." in text
    if attempts >= 3:
        assert "It last contacted CVS on 10 January 2022. Declined - capacity." in text or \
            "It contacted CVS again on 10 January 2022. Declined - capacity." in text
    if attempts >= 4:
        assert re.search(r"contacted CVS (again )?by letter on 24 January 2022, writing to the Director\. "
                         r"Template was re-sent\.", text)
    if attempts == 5:
        assert "It last contacted CVS in person on 14 February 2022, offering a meeting at the network's AGM." in text
        assert "They said they would reply." in text


def test_short_names_are_introduced_once_and_used_after():
    names = Names()
    vch = OrganisationData("Vale Community Health NHS Trust", "VCH")
    assert names.mention(vch) == "Vale Community Health NHS Trust (VCH)"
    assert names.mention(vch) == "VCH"
    assert names.mention(OrganisationData("Westmoor Police")) == "Westmoor Police"

    document, _ = render_report(sample_data())
    text = "\n".join(p.text for p in document.paragraphs)
    assert text.count("Vale Community Health NHS Trust (VCH)") == 1
    assert text.count("(HHCS)") == 1
    assert "The representatives for VCH were Sam Cole (Named Nurse)." in text
    assert "Harbour Housing, Care and Support (HHCS) did not engage" not in text  # introduced earlier
    assert "HHCS did not engage with the Section 11 process." in text


def test_counts_never_depend_on_commas_in_names():
    assert join_names(["A", "B", "C"]) == "A, B and C"
    assert join_names(["Harbour Housing, Care and Support", "VCH", "Police"]) == \
        "Harbour Housing, Care and Support; VCH and Police"
    document, _ = render_report(sample_data())
    text = "\n".join(p.text for p in document.paragraphs)
    assert "This report contains the peer reviews of two organisations: Vale Community Health NHS Trust (VCH) and " \
           "Harbour Housing, Care and Support (HHCS)." in text


@pytest.mark.parametrize("field, attribute", [
    ("background", "background"), ("methodology_intro", "methodology_intro"), ("conclusion", "conclusion"),
    ("template_cover", "template_cover"), ("declined", "declined"), ("partnership_heading", "partnership_heading"),
])
def test_each_editable_text_prints_with_its_placeholders_filled(field, attribute):
    typed = ("{partnership} reviewed {organisation_count} organisations ({held_count} held, {declined_count} declined) "
             "in {workshop_minutes}-minute workshops on {theme_count} themes: {themes}; chair {chair}; round {round}, "
             "{report_month}; {question_count} questions")
    if field == "declined":
        typed = "{organisation} did not take part in round {round}."
    data = sample_data(texts=dataclasses.replace(sample_data().texts, **{attribute: typed}))
    document, _ = render_report(data)
    paragraphs = [p.text for p in document.paragraphs]
    cells = [c.text for t in document.tables for row in t.rows for c in row.cells]
    everything = "\n".join(paragraphs + cells)
    assert "{" not in everything
    if field == "declined":
        assert "HHCS did not take part in round 2022-23. The partnership contacted HHCS by email on 3 November 2021" \
               in everything
    else:
        assert ("Valeside Safeguarding Children Partnership reviewed two organisations (one held, one declined) in "
                "120-minute workshops on two themes: Safeguarding Structures and Listening to Children; chair Ann Lee; "
                "round 2022-23, March 2023; 3 questions") in everything


def test_an_unknown_placeholder_is_refused_when_typed_and_nothing_changes(demo_db):
    with demo_db.session() as session:
        round_ = find_round(session, ROUND)
        before, round_id = round_.conclusion_text, round_.id
    with pytest.raises(UserError, match=r"\{organisations_count\} is not something the report can fill in; use one "
                                        r"of \{partnership\}, \{round\}"):
        with demo_db.session() as session:
            update(session, Round, round_id, conclusion_text="We met {organisations_count} organisations.")
    with pytest.raises(UserError, match=r"\{organisation\} is not something"):
        with demo_db.session() as session:
            update(session, Round, round_id, conclusion_text="{organisation} did well.")  # only the declined text
    with demo_db.session() as session:
        assert session.get(Round, round_id).conclusion_text == before
        update(session, Round, round_id, declined_text="{organisation} chose not to take part. {not a placeholder")


def test_a_120_minute_round_says_120_everywhere(demo_db, tmp_path):
    with demo_db.session() as session:
        round_id = find_round(session, ROUND).id
        update(session, Round, round_id, workshop_minutes=120)
    with demo_db.session() as session:
        round_ = find_round(session, ROUND)
        preview = export_report(session, round_, tmp_path / "report.docx")
        export_template(session, round_, tmp_path / "template.docx")
    for name in ("report", "template"):
        document = docx.Document(str(tmp_path / f"{name}.docx"))
        # Every text the app writes (the demo's contact notes are what was typed at the time: left out).
        text = "\n".join(p.text for p in document.paragraphs if not p.text.startswith("This review did not take place"))
        assert "120-minute workshop" in text
        assert not re.search(r"\b90[- ]minute", text), name
    report = docx.Document(str(tmp_path / "report.docx"))
    methodology = "\n".join(p.text for p in report.paragraphs)
    assert "The workshops lasted 120 minutes." in methodology
    # The demo's reviews ran their clocks for 90 minutes: the preview says the report prints 120.
    assert any("clock was set to 90 minutes, but the round's workshops are 120 minutes" in w for w in preview.warnings)


def test_texts_without_placeholders_print_as_typed():
    data = sample_data(texts=ReportTexts("Plain {background} with a { lone brace.", "", "", ""))
    document, _ = render_report(data)
    assert "Plain {background} with a { lone brace." in [p.text for p in document.paragraphs]


def test_the_round_form_shows_the_text_as_printed_and_refuses_an_unknown_placeholder(qtbot, demo_db):
    from lgf_desktop.ui.main_window import MainWindow

    window = MainWindow(demo_db)
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    details = window.page("round").details
    details.tabs.setCurrentIndex([key for key, *_ in details_texts()].index("template_cover_text"))
    cover = details.texts["template_cover_text"]
    qtbot.waitUntil(lambda: "during a 90-minute workshop with members of the Westmoor Children's Partnership "
                    "peer review panel" in details.printed.text(), timeout=10_000)  # values read on a worker
    cover.setPlainText("Come to a {workshop_minutes}-minute workshop with {organisations_count} others.")
    assert details.printed.text().startswith("{organisations_count} is not something the report can fill in")
    qtbot.waitUntil(lambda: details.text_error.isVisible(), timeout=3000)
    assert "{organisations_count} is not something the report can fill in" in details.text_error.text()
    with demo_db.session() as session:
        assert "{organisations_count}" not in find_round(session, ROUND).template_cover_text
    cover.setPlainText("Come to a {workshop_minutes}-minute workshop with {organisation_count} organisations.")
    assert details.printed.text() == "As it will print: Come to a 90-minute workshop with three organisations."
    qtbot.waitUntil(lambda: not cover.pending(), timeout=3000)
    with demo_db.session() as session:
        assert find_round(session, ROUND).template_cover_text.endswith("{organisation_count} organisations.")
    assert not details.text_error.isVisible()


def details_texts():
    from lgf_desktop.ui.forms.round_details import TEXTS

    return TEXTS


def test_who_was_to_conduct_a_declined_review_is_said():
    data = sample_data()
    declined = dataclasses.replace(data.reviews[1], panel_present=("Ann Lee", "Raj Patel"))
    document, _ = render_report(dataclasses.replace(data, reviews=(data.reviews[0], declined)))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "Ann Lee and Raj Patel had agreed to conduct the peer review of HHCS." in text
