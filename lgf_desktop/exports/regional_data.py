"""The regional Section 11 report as plain, typed data: several partnerships' rounds of one label,
each as its own ``ReportData``, and everything the regional report states computed from them.

The five partnerships of a region each review their own organisations and write a local report;
the regional lead collates them. ``RegionalReportData`` holds the parts (one per partnership, its
report data untouched, so its peer-review sections print exactly as in its local report), the
recommendations the lead makes to the region, the recurring-recommendation groups and the regional
texts. The functions below compute every number and list the regional report prints — partnerships,
organisations per partnership and in all (an organisation reviewed by two partnerships counted
once), panels and their chairs, workshops held and declined, and the summary by theme (themes
matched by title across templates that may differ, with the differences said). Nothing here knows
Word or a database session, except the two readers at the end.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date

from sqlalchemy.orm import Session

from ..errors import UserError
from ..services.regional_report.groups import stored_groups
from ..services.regional_report.texts import lead_texts
from ..services.regional_report.recurring import Item, suggest_groups, suggested_title
from .regional_reading import read_regional_report_data, region_name
from .report_data import OrganisationData, PanelMemberData, RecommendationData, ReportData, TemplateTheme, read_report

REGION_PREFIX = "Region"  # the prefix of the lead's own recommendations to the region ("Region 1")
_SMALL_WORDS = frozenset({"and", "of", "the", "for", "&", "in", "on"})


@dataclass(frozen=True)
class RegionalPart:
    """One partnership's round in the regional report."""

    short_name: str  # the prefix of its recommendation numbers ("BNSSG" → "BNSSG 4")
    report: ReportData

    @property
    def name(self) -> str:
        return self.report.partnership.name


@dataclass(frozen=True)
class RecurringGroup:
    """Recommendations to different organisations that say the same thing, as the lead grouped them."""

    title: str
    keys: tuple[str, ...]  # each a recommendation's ``recommendation_key``
    confirmed: bool = True  # False: the app's suggestion, not yet reviewed by the lead


@dataclass(frozen=True)
class RegionalTexts:
    background: str = ""
    methodology_intro: str = ""
    conclusion: str = ""
    template_cover: str = ""


@dataclass(frozen=True)
class RegionalReportData:
    region: str
    round_label: str
    parts: tuple[RegionalPart, ...]
    regional_recommendations: tuple[RecommendationData, ...] = ()
    recurring: tuple[RecurringGroup, ...] = ()
    texts: RegionalTexts = field(default_factory=RegionalTexts)
    report_month: date | None = None


@dataclass(frozen=True)
class RegionalRecommendation:
    """A recommendation as the regional table prints it: its partnership's number, prefixed."""

    key: str
    label: str  # "BNSSG 4", "BNSSG A", "Region 1"
    text: str  # its wording in the recommendations table (the full one when there is one)
    partnership: str  # short name; "" for the region's own
    organisation: str  # the organisation's full name; "" for a partnership's or the region's own
    theme: str  # the theme it was agreed under, as printed; "" when not tied to a question


@dataclass(frozen=True)
class RegionalOrganisation:
    """An organisation of the region, listed once however many partnerships reviewed it."""

    organisation: OrganisationData
    partnerships: tuple[str, ...]  # short names, in part order
    statuses: tuple[str, ...]  # each partnership's review status ("held", "declined"), same order


@dataclass(frozen=True)
class PanelSummary:
    partnership: str  # short name
    chair: PanelMemberData | None
    members: int


@dataclass(frozen=True)
class ThemeSummary:
    title: str
    partnerships: tuple[str, ...]  # whose templates hold the theme
    organisations: int  # distinct organisations reviewed on it (held reviews)
    reviews: int  # held reviews that covered it
    recommendations: int
    recurring: tuple[RecurringGroup, ...] = ()
    missing_from: tuple[str, ...] = ()  # partnerships whose templates lack it
    differs_in: tuple[str, ...] = ()  # partnerships whose questions under it differ from the shared template


# --- names and keys --------------------------------------------------------------------------------


def normalised(text: str) -> str:
    """A title or name compared across partnerships: case, '&'/'and', punctuation and spacing aside."""
    text = text.casefold().replace("&", " and ")
    return " ".join(re.findall(r"[a-z0-9]+", text))


def initials(name: str) -> str:
    """A partnership's short name from its name: "Bristol, North Somerset and South Gloucestershire"
    → "BNSSG"."""
    letters = [w[0] for w in re.findall(r"[A-Za-z0-9][\w'’-]*", name) if w.casefold() not in _SMALL_WORDS]
    return "".join(letters).upper() or name[:8]


def unique_short_names(names: Sequence[str], given: Sequence[str] | None = None) -> tuple[str, ...]:
    """One distinct prefix per partnership: the given ones, else initials; clashes get a number."""
    chosen = [(given[i] if given and i < len(given) and given[i].strip() else initials(n)).strip()
              for i, n in enumerate(names)]
    counts = Counter(chosen)
    seen: Counter[str] = Counter()
    result = []
    for short in chosen:
        seen[short] += 1
        result.append(short if counts[short] == 1 else f"{short}{seen[short]}")
    return tuple(result)


def recommendation_key(part: RegionalPart, rec: RecommendationData) -> str:
    return rec.uuid or f"{part.name}:{rec.number}"


# --- what the report states ---------------------------------------------------------------------------


def partnership_count(data: RegionalReportData) -> int:
    return len(data.parts)


def organisations_per_partnership(data: RegionalReportData) -> tuple[tuple[str, int], ...]:
    """Each partnership (short name) with the number of organisations in its report (held or declined)."""
    return tuple((part.short_name, len(part.report.included)) for part in data.parts)


def _organisations(data: RegionalReportData) -> tuple[tuple[RegionalOrganisation, ...], dict[int, int]]:
    """The region's organisations once each, and ``id(review)`` → the index of its organisation."""
    found: list[tuple[OrganisationData, list[str], list[str]]] = []
    by_key: dict[str, int] = {}
    of_review: dict[int, int] = {}
    for part in data.parts:
        for review in part.report.included:
            org = review.organisation
            keys = [f"name:{normalised(org.name)}"] + ([f"id:{org.identity}"] if org.identity else [])
            index = next((by_key[k] for k in keys if k in by_key), None)
            if index is None:
                index = len(found)
                found.append((org, [], []))
            for key in keys:
                by_key.setdefault(key, index)
            found[index][1].append(part.short_name)
            found[index][2].append(review.status)
            of_review[id(review)] = index
    return tuple(RegionalOrganisation(o, tuple(names), tuple(statuses)) for o, names, statuses in found), of_review


def regional_organisations(data: RegionalReportData) -> tuple[RegionalOrganisation, ...]:
    """Every organisation in the region's reports once, in the order first reported, with the
    partnerships that reviewed it. Two reviews are of the same organisation when they share its
    identity (an ODS code or the lead's confirmation, in a regional database) or its name."""
    return _organisations(data)[0]


def total_organisations(data: RegionalReportData) -> int:
    return len(regional_organisations(data))


def shared_organisations(data: RegionalReportData) -> tuple[RegionalOrganisation, ...]:
    return tuple(o for o in regional_organisations(data) if len(o.partnerships) > 1)


def panels(data: RegionalReportData) -> tuple[PanelSummary, ...]:
    return tuple(PanelSummary(p.short_name, p.report.chair, len(p.report.panel)) for p in data.parts)


def workshops(data: RegionalReportData) -> tuple[int, int]:
    """(workshops held, reviews declined) across the region; each partnership's review counts."""
    held = sum(len(p.report.held) for p in data.parts)
    included = sum(len(p.report.included) for p in data.parts)
    return held, included - held


def shared_template(data: RegionalReportData) -> tuple[TemplateTheme, ...]:
    """The template most partnerships used (the first part's on a tie): the report's appendix."""
    if not data.parts:
        return ()
    counts = Counter(p.report.template for p in data.parts)
    best = max(counts.values())
    return next(p.report.template for p in data.parts if counts[p.report.template] == best)


def template_differences(data: RegionalReportData) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """For each partnership whose template is not the shared one: (short name, what differs, in words)."""
    shared = shared_template(data)
    shared_by_title = {normalised(t.title): t for t in shared}
    out = []
    for part in data.parts:
        template = part.report.template
        if template == shared:
            continue
        own_by_title = {normalised(t.title): t for t in template}
        notes: list[str] = []
        added = [t.title for t in template if normalised(t.title) not in shared_by_title]
        missing = [t.title for t in shared if normalised(t.title) not in own_by_title]
        changed = [t.title for t in template if normalised(t.title) in shared_by_title
                   and t.questions != shared_by_title[normalised(t.title)].questions]
        if added:
            notes.append(f"adds {_listed(added)}")
        if missing:
            notes.append(f"has no {_listed(missing)}")
        if changed:
            notes.append(f"asks different questions under {_listed(changed)}")
        if not notes:
            notes.append("orders its themes differently")
        out.append((part.short_name, tuple(notes)))
    return tuple(out)


def _listed(titles: Sequence[str]) -> str:
    quoted = [f"‘{t}’" for t in titles]
    return quoted[0] if len(quoted) == 1 else ", ".join(quoted[:-1]) + " and " + quoted[-1]


def regional_recommendations(data: RegionalReportData) -> tuple[RegionalRecommendation, ...]:
    """Every recommendation of the regional table in order: each partnership's, numbered as in its
    local report and prefixed with its short name, then the region's own."""
    out: list[RegionalRecommendation] = []
    for part in data.parts:
        themes = {r.uuid or r.number: e.theme for review in part.report.held for e in review.entries
                  for r in e.recommendations}
        for review in part.report.included:
            for rec in review.recommendations:
                out.append(RegionalRecommendation(
                    recommendation_key(part, rec), f"{part.short_name} {rec.number}", rec.table_text, part.short_name,
                    review.organisation.name, themes.get(rec.uuid or rec.number, "")))
        for rec in part.report.partnership_recommendations:
            out.append(RegionalRecommendation(recommendation_key(part, rec), f"{part.short_name} {rec.number}",
                                              rec.table_text, part.short_name, "", ""))
    for index, rec in enumerate(data.regional_recommendations, start=1):
        out.append(RegionalRecommendation(rec.uuid or f"region:{index}", f"{REGION_PREFIX} {rec.number or index}",
                                          rec.text, "", "", ""))
    return tuple(out)


def suggested_groups(data: RegionalReportData) -> tuple[RecurringGroup, ...]:
    """The app's suggestion of recurring recommendations (to organisations only), not yet confirmed."""
    recs = [r for r in regional_recommendations(data) if r.organisation]
    by_key = {r.key: r for r in recs}
    keys = suggest_groups([Item(r.key, normalised(r.organisation), r.text) for r in recs])
    return tuple(RecurringGroup(suggested_title([by_key[k].text for k in group]), group, confirmed=False)
                 for group in keys)


def group_labels(data: RegionalReportData, group: RecurringGroup) -> tuple[str, ...]:
    """A group's recommendations as the table numbers them ("BNSSG 4"); keys no longer in the
    report (a newer return renumbered or removed them) are left out."""
    labels = {r.key: r.label for r in regional_recommendations(data)}
    return tuple(labels[k] for k in group.keys if k in labels)


def group_theme(recs: dict[str, RegionalRecommendation], group: RecurringGroup) -> str:
    """The theme most of a group's recommendations were agreed under ("" when none is)."""
    themes = Counter(normalised(recs[k].theme) for k in group.keys if k in recs and recs[k].theme)
    return themes.most_common(1)[0][0] if themes else ""


def theme_summary(data: RegionalReportData) -> tuple[ThemeSummary, ...]:
    """For each theme (matched by title across the partnerships' templates, in the order first
    met): who used it, the organisations and reviews that covered it, the recommendations made under
    it, its recurring groups, and where the templates differ."""
    shared = {normalised(t.title): t for t in shared_template(data)}
    order: dict[str, str] = {}
    for part in data.parts:
        for theme in part.report.template:
            order.setdefault(normalised(theme.title), theme.title)
    recs = {r.key: r for r in regional_recommendations(data)}
    one = _organisations(data)[1]
    summaries = []
    for key, title in order.items():
        using = [p for p in data.parts if any(normalised(t.title) == key for t in p.report.template)]
        organisations: set[int] = set()
        reviews = 0
        for part in data.parts:
            for review in part.report.held:
                if any(normalised(e.theme) == key for e in review.entries):
                    organisations.add(one[id(review)])
                    reviews += 1
        made = sum(1 for r in recs.values() if r.theme and normalised(r.theme) == key)
        differs = tuple(p.short_name for p in using if key in shared and next(
            t for t in p.report.template if normalised(t.title) == key).questions != shared[key].questions)
        summaries.append(ThemeSummary(
            title=title, partnerships=tuple(p.short_name for p in using), organisations=len(organisations),
            reviews=reviews, recommendations=made,
            recurring=tuple(g for g in data.recurring if group_theme(recs, g) == key),
            missing_from=tuple(p.short_name for p in data.parts if p not in using), differs_in=differs))
    return tuple(summaries)


def untied_recurring(data: RegionalReportData) -> tuple[RecurringGroup, ...]:
    """Recurring groups whose recommendations are not tied to any theme (printed after the themes)."""
    recs = {r.key: r for r in regional_recommendations(data)}
    return tuple(g for g in data.recurring if not group_theme(recs, g))


def round_problems(data: RegionalReportData) -> list[str]:
    """What the lead should know before sending the report (warnings, never blockers)."""
    problems = []
    if not data.texts.conclusion.strip():
        problems.append("The regional conclusion is empty: the report prints a computed summary instead.")
    if data.recurring and not all(g.confirmed for g in data.recurring):
        problems.append("The recurring recommendations are the app's suggestions; review them "
                        "(Export → Recurring recommendations…) before sending.")
    for part in data.parts:
        if part.report.chair is None:
            problems.append(f"{part.name} has no chair recorded for its panel.")
        if not part.report.included:
            problems.append(f"{part.name} has no held or declined review in round {data.round_label} yet: its "
                            "part says so.")
    return problems


# --- making the value -------------------------------------------------------------------------------


def regional_report_data(region: str, round_label: str, reports: Iterable[ReportData], *,
                         short_names: Sequence[str] | None = None, recurring: Sequence[RecurringGroup] | None = None,
                         regional_recommendations: Sequence[RecommendationData] = (),
                         texts: RegionalTexts | None = None, report_month: date | None = None) -> RegionalReportData:
    """The regional report's data from each partnership's report data (in the order given).
    ``recurring`` None means none grouped yet: the app's suggestions are used, marked unconfirmed."""
    reports = list(reports)
    if not reports:
        raise UserError(f"There are no partnerships' rounds labelled {round_label} to collate.")
    wrong = [r.partnership.name for r in reports if r.round_label != round_label]
    if wrong:
        raise UserError(f"{wrong[0]}'s round is not labelled {round_label}; a regional report collates one round.")
    names = unique_short_names([r.partnership.name for r in reports], short_names)
    months = [r.report_month for r in reports if r.report_month]
    data = RegionalReportData(
        region=region.strip() or "The region", round_label=round_label,
        parts=tuple(RegionalPart(short, report) for short, report in zip(names, reports)),
        regional_recommendations=tuple(regional_recommendations), texts=texts or default_texts(),
        report_month=report_month or (max(months) if months else None),
    )
    if recurring is None:
        return _with_groups(data, suggested_groups(data))
    return _with_groups(data, tuple(recurring))


def _with_groups(data: RegionalReportData, groups: tuple[RecurringGroup, ...]) -> RegionalReportData:
    return replace(data, recurring=groups)


def default_texts() -> RegionalTexts:
    """The shipped Background and template cover, as a partnership's new round has them."""
    from ..services.review.rounds import default_texts as shipped

    texts = shipped()
    return RegionalTexts(background=texts.get("background", ""), template_cover=texts.get("template_cover", ""))


def read_from_sessions(region: str, round_label: str, sessions: Sequence[Session], **options) -> RegionalReportData:
    """The regional report from several partnership databases (one session each): each database's
    round ``round_label`` read with ``report_data.read_report``."""
    from ..services.review.rounds import find_round

    return regional_report_data(region, round_label,
                                [read_report(s, find_round(s, round_label)) for s in sessions], **options)


def read_regional(session: Session, round_label: str, **options) -> RegionalReportData:
    """The regional report from one regional database (each partnership's round of ``round_label``,
    read by ``regional_reading.read_regional_report_data``, in the order of the partnerships'
    names), with the lead's stored groups of recurring recommendations (the app's suggestions until
    there are), texts and recommendations to the region. The region's name is the one most of the
    partnerships give."""
    reports = read_regional_report_data(session, round_label)
    region = options.pop("region", None) or region_name(session, round_label)
    if "recurring" not in options:
        stored = stored_groups(session, round_label)
        options["recurring"] = None if stored is None else [RecurringGroup(title, keys) for title, keys in stored]
    lead = lead_texts(session, round_label)
    if "texts" not in options:
        options["texts"] = replace(default_texts(), methodology_intro=lead.methodology_intro, conclusion=lead.conclusion)
    if "regional_recommendations" not in options:
        options["regional_recommendations"] = [RecommendationData(str(n), text, uuid=uuid)
                                               for n, (uuid, text) in enumerate(lead.recommendations, start=1)]
    return regional_report_data(region, round_label, reports, **options)


__all__ = [
    "PanelSummary", "RecurringGroup", "RegionalOrganisation", "RegionalPart", "RegionalRecommendation",
    "RegionalReportData", "RegionalTexts", "ThemeSummary", "group_labels", "initials", "normalised",
    "organisations_per_partnership", "panels", "partnership_count", "read_from_sessions", "read_regional",
    "recommendation_key", "regional_organisations", "regional_recommendations", "regional_report_data",
    "round_problems", "shared_organisations", "shared_template", "suggested_groups", "template_differences",
    "theme_summary", "total_organisations", "untied_recurring", "workshops",
]
