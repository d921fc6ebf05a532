"""The regional Section 11 report as a Word document: the region's title block, Background,
Methodology computed from the data, one part per partnership (its peer-review sections printed by
``report_docx.write_review``, exactly as in its local report), the regional summary by theme, the
regional recommendations table (each partnership's numbers kept and prefixed, "BNSSG 4", then the
region's own), Conclusion, and the shared question template as the appendix.

Rendered from ``regional_data.RegionalReportData`` alone; every number and list in the text comes
from the functions there, so the Methodology, the summary and the table cannot disagree.
"""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Callable, Sequence

from docx.document import Document
from docx.shared import Cm
from sqlalchemy.orm import Session

from ..dates import month_year
from ..services.privacy.leaving import docx_pieces, guard
from ..services.review.report_texts import fill
from .docx_common import Cell, StyleIds, TableBuilder, add_paragraph, add_text, new_document, save_docx, set_list
from .regional_data import (
    RecurringGroup, RegionalReportData, group_labels, organisations_per_partnership, panels, regional_organisations,
    regional_recommendations, round_problems, shared_template, template_differences, theme_summary,
    total_organisations, untied_recurring, workshops,
)
from .report_docx import organisations_paragraph, write_review
from .report_prose import Names, join_names, number_word, plural
from .template_docx import template_themes, title_lines, write_question_table
from .word_template import KeptTemplate, TemplateSource, stored_template, usable_package

Progress = Callable[[int, int, str], None]


def placeholder_values(data: RegionalReportData) -> dict[str, str]:
    """The regional texts' placeholders: the same names a partnership's texts use, for the region."""
    template = shared_template(data)
    held, declined = workshops(data)
    return {
        "partnership": data.region, "region": data.region, "round": data.round_label,
        "report_month": month_year(data.report_month),
        "partnership_count": number_word(len(data.parts)),
        "organisation_count": number_word(total_organisations(data)),
        "organisations": join_names([o.organisation.name for o in regional_organisations(data)]),
        "held_count": number_word(held), "declined_count": number_word(declined),
        "theme_count": number_word(len(template)), "themes": join_names([t.title for t in template]),
        "question_count": str(sum(len(t.questions) for t in template)),
        "workshop_minutes": str(workshop_minutes(data)), "chair": "",
    }


def workshop_minutes(data: RegionalReportData) -> int:
    """The workshops' length most partnerships set (90 in the seed's region)."""
    counts = Counter(p.report.workshop_minutes for p in data.parts)
    return counts.most_common(1)[0][0] if counts else 90


def heading(document: Document, styles: StyleIds, text: str, style: str = "Heading 1", *, new_page: bool = True):
    """A heading that starts a new page by its own property: a separate page-break paragraph falling
    just past a full page left an empty page in the render (seen before the first part and the summary)."""
    p = add_paragraph(document.element.body, styles, text, style)
    if new_page:
        p.get_or_add_pPr().pageBreakBefore_val = True
    return p


# --- the computed sentences -------------------------------------------------------------------------------


def partnerships_paragraph(data: RegionalReportData) -> str:
    per = organisations_per_partnership(data)
    counts = {n for _, n in per}
    each = (f"each reviewed {plural(counts.pop(), 'organisation')}" if len(counts) == 1 else
            "they reviewed " + join_names([f"{plural(n, 'organisation')} ({short})" for short, n in per]))
    names = join_names([f"{p.name} ({p.short_name})" for p in data.parts])
    text = (f"In {data.round_label} the {plural(len(data.parts), 'partnership')} of {data.region} worked together: "
            f"{names}. Each partnership formed its own peer review panel and {each}; "
            f"{number_word(total_organisations(data))} organisation{'s' if total_organisations(data) != 1 else ''} "
            "took part in all.")
    shared = [o for o in regional_organisations(data) if len(o.partnerships) > 1]
    if shared:
        listed = join_names([f"{o.organisation.name} ({join_names(list(o.partnerships))})" for o in shared])
        text += (f" {listed} {'was' if len(shared) == 1 else 'were'} reviewed by more than one partnership "
                 f"and {'is' if len(shared) == 1 else 'are'} counted once.")
    return text


def workshops_paragraph(data: RegionalReportData) -> str:
    held, declined = workshops(data)
    text = f"{number_word(held).capitalize()} workshop{'s' if held != 1 else ''} took place"
    if declined:
        who = [f"{o.organisation.name} ({join_names([p for p, s in zip(o.partnerships, o.statuses) if s == 'declined'])})"
               for o in regional_organisations(data) if "declined" in o.statuses]
        text += (f"; {number_word(declined)} organisation{'s' if declined != 1 else ''} did not engage with the "
                 f"process, so {'its review' if declined == 1 else 'their reviews'} did not take place: {join_names(who)}")
    return text + "."


def template_paragraph(data: RegionalReportData) -> str:
    template = shared_template(data)
    differences = template_differences(data)
    same = len(data.parts) - len(differences)
    themes = f"{plural(len(template), 'theme')} and {plural(sum(len(t.questions) for t in template), 'question')}"
    if not differences:
        return (f"All {plural(len(data.parts), 'partnership')} used the same question template, of {themes}; "
                "it is in the appendix of this report.")
    told = "; ".join(f"{short}'s template {' and '.join(notes)}" for short, notes in differences)
    return (f"{number_word(same).capitalize()} of the {plural(len(data.parts), 'partnership')} used the shared "
            f"question template, of {themes} (in the appendix); {told}. Each part prints the questions its "
            "partnership asked, and the summary by theme matches themes by title.")


def group_line(data: RegionalReportData, group: RecurringGroup) -> str:
    labels = group_labels(data, group)
    recs = {r.key: r for r in regional_recommendations(data)}
    organisations = {recs[k].organisation for k in group.keys if k in recs}
    mark = "" if group.confirmed else " (suggested)"
    return f"{group.title}{mark}: {join_names(list(labels))} — {plural(len(organisations), 'organisation')}."


# --- the sections ------------------------------------------------------------------------------------------


def write_methodology(document: Document, styles: StyleIds, data: RegionalReportData, values: dict[str, str]) -> None:
    body = document.element.body
    heading(document, styles, "Methodology", new_page=False)
    add_text(body, styles, fill(data.texts.methodology_intro, values))
    add_paragraph(body, styles, partnerships_paragraph(data))
    table = TableBuilder(document, (4.7, 3.2, 2.5, 4.4, 2.2), styles=styles)
    table.header(("Partnership", "Organisations", "Held / declined", "Panel chair", "Panel"))
    chairs = {p.partnership: p for p in panels(data)}
    for part in data.parts:
        held = len(part.report.held)
        chair = chairs[part.short_name].chair
        table.row([f"{part.name} ({part.short_name})", str(len(part.report.included)),
                   f"{held} / {len(part.report.included) - held}", chair.described if chair else "No chair recorded",
                   plural(chairs[part.short_name].members, "member")])
    held, declined = workshops(data)
    table.row([Cell("Region", bold=True), Cell(str(total_organisations(data)), bold=True),
               Cell(f"{held} / {declined}", bold=True), Cell("", span=2)])
    add_paragraph(body, styles, workshops_paragraph(data))
    add_paragraph(body, styles, template_paragraph(data))
    add_paragraph(body, styles, "The organisations that took part:")
    for org in regional_organisations(data):
        item = add_paragraph(body, styles, f"{org.organisation.name} — {join_names(list(org.partnerships))}",
                             "List Bullet")
        set_list(item, styles.list_id("bullet"))


def write_part(document: Document, styles: StyleIds, index: int, part, progress: Progress, total: int) -> None:
    """One partnership's part: its organisations and panel, then each peer review as in its local report."""
    body = document.element.body
    report = part.report
    heading(document, styles, f"Part {index}: {part.name}")
    names = Names()
    if not report.included:
        add_paragraph(body, styles, f"No peer review of {part.name} was held or declined in round "
                      f"{report.round_label} by the time of this report.")
        return
    add_paragraph(body, styles, organisations_paragraph(report.included, names))
    chair = report.chair
    others = [m.described for m in report.panel if m is not chair]
    if chair is not None:
        add_paragraph(body, styles, f"Its panel was chaired by {chair.described}"
                      + (f"; its other members were {'; '.join(others)}." if others else "."))
    # Recommendation numbers in the part are the partnership's own; the regional table prefixes them.
    add_paragraph(body, styles, f"Recommendation numbers in this part are {part.name}'s own; the regional "
                  f"recommendations table prints them as “{part.short_name} 1”, “{part.short_name} 2” and so on.",
                  italic=True)
    for review in report.included:
        progress(index, total, f"Writing {part.short_name}'s peer review of {review.organisation.display_name}")
        write_review(document, styles, review, names, report, heading="Heading 2", new_page=review is not report.included[0])


def write_theme_summary(document: Document, styles: StyleIds, data: RegionalReportData) -> None:
    body = document.element.body
    heading(document, styles, "Regional Summary by Theme")
    summaries = theme_summary(data)
    table = TableBuilder(document, (5.0, 4.2, 3.7, 4.1), styles=styles)
    table.header(("Theme", "Partnerships asking it", "Organisations reviewed", "Recommendations"))
    for summary in summaries:
        who = "All" if not summary.missing_from else join_names(list(summary.partnerships))
        table.row([summary.title, who, str(summary.organisations), str(summary.recommendations)])
    for summary in summaries:
        add_paragraph(body, styles, summary.title, "Heading 2")
        text = (f"{number_word(summary.organisations).capitalize()} "
                f"organisation{'s' if summary.organisations != 1 else ''} "
                f"{'was' if summary.organisations == 1 else 'were'} reviewed on this theme"
                + (f" in {plural(summary.reviews, 'workshop')}" if summary.reviews != summary.organisations else "")
                + f", and {plural(summary.recommendations, 'recommendation')} "
                + f"{'was' if summary.recommendations == 1 else 'were'} made under it.")
        if summary.missing_from:
            text += f" It was not in the template of {join_names(list(summary.missing_from))}."
        if summary.differs_in:
            text += (f" {join_names(list(summary.differs_in))} asked different questions under it "
                     "(see their parts).")
        add_paragraph(body, styles, text)
        if summary.recurring:
            add_paragraph(body, styles, "Recurring recommendations across organisations:")
            for group in summary.recurring:
                set_list(add_paragraph(body, styles, group_line(data, group), "List Bullet"), styles.list_id("bullet"))
    loose = untied_recurring(data)
    if loose:
        add_paragraph(body, styles, "Recurring recommendations not tied to a theme", "Heading 2")
        for group in loose:
            set_list(add_paragraph(body, styles, group_line(data, group), "List Bullet"), styles.list_id("bullet"))


def write_recommendations(document: Document, styles: StyleIds, data: RegionalReportData) -> int:
    """Number | Recommendation, grouped by partnership and organisation, numbers prefixed; then the
    region's own."""
    table = TableBuilder(document, (2.8, 14.2), styles=styles)
    table.header(("Number", "Recommendation"))
    written = 0
    current = None
    for rec in regional_recommendations(data):
        if rec.partnership:
            part = next(p for p in data.parts if p.short_name == rec.partnership)
            # The local report's group heading with the partnership after it (seen in the render:
            # "NSCP: Recommendations: …" read as two headings run together).
            group = (f"Recommendations: {rec.organisation} ({part.short_name})" if rec.organisation else
                     f"{fill(part.report.texts.partnership_heading, {'partnership': part.name})} ({part.short_name})")
        else:
            group = f"Recommendations to {data.region}"
        if group != current:
            table.row([Cell(group, span=2, bold=True, fill="F2F2F2")])
            current = group
        table.row([Cell(rec.label, bold=True), rec.text])
        written += 1
    if not written:
        table.row([Cell("No recommendations were made in this round.", span=2, italic=True)])
    return written


def conclusion_text(data: RegionalReportData, values: dict[str, str]) -> str:
    if data.texts.conclusion.strip():
        return fill(data.texts.conclusion, values)
    held, _ = workshops(data)
    recs = [r for r in regional_recommendations(data)]
    confirmed = [g for g in data.recurring if g.confirmed]
    return (f"The {plural(len(data.parts), 'partnership')} of {data.region} held {plural(held, 'workshop')} with "
            f"{plural(total_organisations(data), 'organisation')} and made {plural(len(recs), 'recommendation')}"
            + (f", {number_word(len(confirmed))} of them themes recurring across organisations" if confirmed else "")
            + ".")


def chosen_regional_template(data: RegionalReportData, chosen: str | os.PathLike[str] | None,
                             warnings: list[str], stored: KeptTemplate | str = "") -> TemplateSource:
    """As ``template_docx.chosen_template``: a template chosen for this export (checked), else the
    regional database's own partnership's stored one (a broken one falls back, with a warning)."""
    if chosen:
        usable_package(chosen)
        return str(chosen)
    source, problem = stored_template(stored)
    if problem:
        warnings.append(problem)
    return source


def render_regional_report(data: RegionalReportData, *, author: str = "", progress: Progress | None = None,
                           template: str | os.PathLike[str] | None = None,
                           stored_template: KeptTemplate | str = "") -> tuple[Document, list[str]]:
    """The regional report as a python-docx Document (not yet saved) and its warnings."""
    progress = progress or (lambda done, total, message: None)
    warnings = round_problems(data)
    template = chosen_regional_template(data, template, warnings, stored_template)
    total = len(data.parts) + 2
    progress(0, total, "Writing the title page, Background and Methodology")
    title = f"Regional Section 11 Report {data.round_label}"
    organisations = total_organisations(data)
    document = new_document(
        title=title, header_text=data.region, author=author, subject=f"Section 11 {data.round_label}",
        comments=f"The peer reviews of {plural(organisations, 'organisation')} by {plural(len(data.parts), 'partnership')}"
                 ", with the names and roles of the professionals who took part, and the recommendations.",
        template=template,
    )
    styles = StyleIds(document)
    body = document.element.body
    title_lines(document, styles, data.region, None, title, month_year(data.report_month), space_before_cm=4.0)
    note = add_paragraph(body, styles, f"This report collates the peer reviews of "
                         f"{plural(organisations, 'organisation')} by the {plural(len(data.parts), 'partnership')} "
                         f"of {data.region}, the recommendations agreed and the question template. It names the "
                         "professionals who took part.", italic=True)
    note.get_or_add_pPr().spacing_before = Cm(6)
    values = placeholder_values(data)
    heading(document, styles, "Background")
    add_text(body, styles, fill(data.texts.background, values))
    write_methodology(document, styles, data, values)
    for index, part in enumerate(data.parts, start=1):
        write_part(document, styles, index, part, progress, total)
    progress(total - 1, total, "Writing the summary by theme, recommendations, Conclusion and appendix")
    write_theme_summary(document, styles, data)
    heading(document, styles, "Regional Recommendations")
    write_recommendations(document, styles, data)
    heading(document, styles, "Conclusion")
    add_text(body, styles, conclusion_text(data, values))
    heading(document, styles, "Appendix: Question Template")
    add_text(body, styles, fill(data.texts.template_cover, values))
    differences = template_differences(data)
    if differences:
        add_paragraph(body, styles, "This is the template most partnerships used. "
                      + "; ".join(f"{short}'s template {' and '.join(notes)}" for short, notes in differences)
                      + ": the questions each partnership asked are in its part.", italic=True)
    write_question_table(document, styles, template_themes(shared_template(data)))
    return document, warnings


def export_regional_report(session: Session, data: RegionalReportData, target: str | os.PathLike[str], *,
                           author: str = "", progress: Progress | None = None, override_identifying: bool = False,
                           template: str | os.PathLike[str] | None = None,
                           stored_template: KeptTemplate | str = "") -> list[str]:
    """Write the regional report to ``target`` atomically after the identifying-data check (in
    ``session``'s database, whose change history records an override); returns the warnings."""
    document, warnings = render_regional_report(data, author=author, progress=progress, template=template,
                                                stored_template=stored_template)
    checked = guard(session, f"The regional Section 11 report {data.round_label}", docx_pieces(document),
                    override=override_identifying)
    document.core_properties.comments = f"{document.core_properties.comments} {checked}"[:255]
    save_docx(document, target)
    if progress:
        progress(1, 1, "Done")
    return warnings


__all__ = ["export_regional_report", "placeholder_values", "render_regional_report"]
