"""Exporting a regional-size Section 11 report: 15 organisations, every question answered with about
150 words, 3 recommendations each; against a minimal python-docx script writing the same text into
the same number of plain tables and paragraphs (the floor this library allows); and the same export
with a partnership's own Word template (its colours, fonts, header text and logo) beside the app's
own template (target: at most 1.2 times as long).

Run alone with ``python -m benchmarks.bench_report`` or with the others via ``python -m benchmarks``.
"""

from __future__ import annotations

import random
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

import docx

from benchmarks.figures import figure, median
from lgf_desktop.db import Database
from lgf_desktop.exports.report_docx import export_report
from lgf_desktop.models import (
    Organisation, Partnership, Person, Recommendation, Representative, Review, ReviewPanelPresence,
)
from lgf_desktop.services.review.responses import set_response
from lgf_desktop.services.review.rounds import add_panel_member, create_round, find_round, set_chair

ORGANISATIONS = 15
WORDS_PER_RESPONSE = 150
RECOMMENDATIONS_EACH = 3
RUNS = 3
WORDS = ("safeguarding staff training supervision children families practice learning review partnership "
         "information sharing referral escalation policy induction exploitation wellbeing support team "
         "designated lead manager assurance audit quality service young people voice").split()


def _words(rng: random.Random, n: int) -> str:
    text = " ".join(rng.choice(WORDS) for _ in range(n))
    # A paragraph break and two bullet lines, as minutes usually have.
    words = text.split()
    third = len(words) // 3
    return (" ".join(words[:third]).capitalize() + ".\n" + " ".join(words[third:-20]).capitalize() + ".\n- "
            + " ".join(words[-20:-10]) + "\n- " + " ".join(words[-10:]))


def build_round(db: Database) -> str:
    rng = random.Random(11)
    with db.session() as session:
        partnership = Partnership(name="Benchmark Children's Partnership", region="Benchmark region")
        session.add(partnership)
        session.flush()
        round_ = create_round(session, "2030-31", report_month=date(2031, 3, 1))
        round_.conclusion_text = _words(rng, 120)
        for index in range(6):
            org = Organisation(name=f"Panel organisation {index}")
            person = Person(name=f"Panel member {index}", role_title="Safeguarding lead", organisation=org)
            session.add(person)
            (set_chair if index == 0 else add_panel_member)(round_, person)
        session.flush()
        questions = round_.questions
        for index in range(ORGANISATIONS):
            org = Organisation(name=f"Reviewed organisation {index + 1}")
            review = Review(round=round_, organisation=org, status="held", position=index,
                            review_date=date(2031, 1, 10 + index))
            review.overall_comment = _words(rng, 40)
            for member in round_.panel[:3]:
                review.panel_present.append(ReviewPanelPresence(panel_member=member))
            for r in range(3):
                review.representatives.append(Representative(name=f"Representative {r}", role="Manager", position=r))
            session.add(review)
            session.flush()
            for question in questions:
                set_response(session, review, question, _words(rng, WORDS_PER_RESPONSE))
            for r, question in enumerate(rng.sample(questions, RECOMMENDATIONS_EACH)):
                session.add(Recommendation(round=round_, review=review, question=question, organisation=org,
                                           text=_words(rng, 30).replace("\n- ", " "), position=r))
        for r in range(3):
            session.add(Recommendation(round=round_, is_partnership=True, text=f"Partnership recommendation {r}",
                                       position=r))
    return "2030-31"


def minimal_script(db: Database, label: str, target: Path) -> None:
    """The floor: the same text in plain python-docx calls, plain tables, no merges or styling."""
    with db.session() as session:
        round_ = find_round(session, label)
        document = docx.Document()
        document.add_paragraph(round_.partnership.name)
        document.add_paragraph(f"Section 11 Report {round_.label}")
        for text in (round_.background_text, round_.methodology_intro):
            for line in text.splitlines():
                document.add_paragraph(line)
        for review in round_.reviews:
            document.add_paragraph(f"Peer Review {review.organisation.name}")
            document.add_paragraph(review.overall_comment)
            table = document.add_table(rows=0, cols=3)
            by_question = {r.question_id: r for r in review.responses}
            recs = {r.question_id: r for r in session.query(Recommendation).filter_by(review_id=review.id)}
            for question in round_.questions:
                cells = table.add_row().cells
                cells[0].text = question.theme.title
                cells[1].text = question.text
                cells[2].text = by_question[question.id].text
                if question.id in recs:
                    cells = table.add_row().cells
                    cells[1].text = recs[question.id].text
        document.add_paragraph(round_.conclusion_text)
        table = document.add_table(rows=0, cols=2)
        for rec in session.query(Recommendation).filter_by(round_id=round_.id):
            cells = table.add_row().cells
            cells[0].text, cells[1].text = str(rec.id), rec.text
        table = document.add_table(rows=0, cols=3)
        for question in round_.questions:
            cells = table.add_row().cells
            cells[0].text, cells[1].text = question.theme.title, question.text
        document.save(str(target))


def house_template(path: Path) -> Path:
    """A partnership's template as Word would save it: heading colour, body font, header with a logo."""
    from docx.shared import Cm, RGBColor

    from lgf_desktop.paths import resource

    document = docx.Document()
    document.styles["Heading 1"].font.color.rgb = RGBColor(0xC0, 0x00, 0x00)
    document.styles["Normal"].font.name = "Georgia"
    header = document.sections[0].header.paragraphs[0]
    header.text = "Benchmark Children's Partnership — OFFICIAL"
    header.add_run().add_picture(str(resource("demo-logo.png")), width=Cm(3))
    document.save(str(path))
    return path


def _time(fn) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def run() -> list[str]:
    with tempfile.TemporaryDirectory() as folder:
        folder = Path(folder)
        db = Database.open(folder / "bench.sqlite3")
        try:
            label = build_round(db)

            def ours() -> None:
                with db.session() as session:
                    export_report(session, find_round(session, label), folder / "report.docx")

            template = house_template(folder / "house.docx")

            def with_template() -> None:
                with db.session() as session:
                    export_report(session, find_round(session, label), folder / "house-report.docx",
                                  template=template)

            ours_times, floor_times, house_times = [], [], []
            for _ in range(RUNS):  # interleaved so all see the same machine load
                ours_times.append(_time(ours))
                floor_times.append(_time(lambda: minimal_script(db, label, folder / "floor.docx")))
                house_times.append(_time(with_template))
        finally:
            db.close()
    ours_s, floor_s, house_s = median(ours_times), median(floor_times), median(house_times)
    return [
        figure("s11 report export (15 organisations, regional size)", ours_s, "s", "< 3 s"),
        figure("minimal python-docx script, same text", floor_s, "s", "reference"),
        figure("s11 report export / minimal script", ours_s / floor_s, "ratio", "<= 1.5"),
        figure("s11 report export with a partnership's Word template", house_s, "s", "reference"),
        figure("custom template / the app's own template", house_s / ours_s, "ratio", "<= 1.2"),
    ]


if __name__ == "__main__":
    for line in run():
        print(line)
    sys.exit(0)
