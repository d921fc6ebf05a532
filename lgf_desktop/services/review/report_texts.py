"""The report's editable texts and their placeholders (no Qt).

Every fixed sentence of the Section 11 report is a text of its round (Background, Methodology
introduction, the declined-review paragraph, Conclusion, the appendix cover, the heading of the
partnership's own recommendations). A text may hold placeholders such as ``{organisation_count}`` or
``{workshop_minutes}``, filled from the report's data when it is written, so each number has one
source and the Methodology and the appendix can never disagree. A placeholder the report cannot fill
is refused when the text is saved (``check_placeholders``), naming the ones it knows.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from ...errors import UserError

PLACEHOLDER = re.compile(r"\{([A-Za-z_][A-Za-z0-9_ ]*)\}")
PLACEHOLDERS = {
    "partnership": "the partnership's name",
    "round": "the round's label, e.g. 2021-22",
    "report_month": "the report's month, e.g. March 2022",
    "organisation_count": "how many organisations the report covers, in words",
    "organisations": "their names, listed",
    "held_count": "how many reviews took place, in words",
    "declined_count": "how many organisations declined, in words",
    "workshop_minutes": "the length of a workshop in minutes",
    "theme_count": "how many themes the template has, in words",
    "themes": "the themes, listed",
    "question_count": "how many questions the template has",
    "chair": "the name of the panel's chair",
    "template_appendix": "the question template's appendix, e.g. Appendix 2",
}
# Texts with a placeholder of their own.
ONLY_IN = {"declined_text": {"organisation": "the organisation that declined"}}
ROUND_TEXTS = {
    "background_text": "Background",
    "methodology_intro": "Methodology introduction",
    "declined_text": "Declined review",
    "conclusion_text": "Conclusion",
    "template_cover_text": "Template cover",
    "partnership_recommendations_heading": "Partnership recommendations heading",
}


def allowed(field: str) -> dict[str, str]:
    return {**PLACEHOLDERS, **ONLY_IN.get(field, {})}


def check_placeholders(field: str, text: str) -> None:
    """Refuse (UserError) a text with a placeholder the report cannot fill."""
    known = allowed(field)
    unknown = [m.group(1) for m in PLACEHOLDER.finditer(text or "") if m.group(1) not in known]
    if unknown:
        first = unknown[0]
        names = ", ".join(f"{{{name}}}" for name in known)
        raise UserError(f"{{{first}}} is not something the report can fill in; use one of {names}.")


def fill(text: str, values: Mapping[str, str]) -> str:
    """``text`` with its placeholders replaced by ``values``; anything else (a lone brace, a
    placeholder without a value) stays as typed."""
    return PLACEHOLDER.sub(lambda m: str(values[m.group(1)]) if m.group(1) in values else m.group(0), text or "")


__all__ = ["PLACEHOLDERS", "ROUND_TEXTS", "allowed", "check_placeholders", "fill"]
