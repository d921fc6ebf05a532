"""Checks free text in an audit for what looks like identifying data about a child or family.

Audited children are pseudonymised, yet evidence is typed from real case records, where identifiers
can slip in. Each check returns warnings for the person typing; the text itself is
never altered — they decide. What is looked for: a 10-digit number passing the NHS-number check
digit, a full date that could be a date of birth, a UK postcode, a UK phone number, an e-mail address.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

# A date of birth of a child or a young parent falls within this many years before today.
DOB_YEARS = 25

MONTHS = {
    name: number
    for number, names in enumerate(
        (("jan", "january"), ("feb", "february"), ("mar", "march"), ("apr", "april"), ("may",),
         ("jun", "june"), ("jul", "july"), ("aug", "august"), ("sep", "sept", "september"),
         ("oct", "october"), ("nov", "november"), ("dec", "december")),
        start=1,
    )
    for name in names
}

_TEN_DIGITS = re.compile(r"(?<![\d+])(\d{3})[ -]?(\d{3})[ -]?(\d{4})(?!\d)")
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_POSTCODE = re.compile(r"\b([A-Z]{1,2}\d[A-Z\d]?) ?(\d[A-Z]{2})\b", re.IGNORECASE)
_PHONE = re.compile(r"(?<![\w+])(?:\+44 ?(?:\(0\) ?)?|0)\d(?:[ -]?\d){8,9}(?!\d)")
_NUMERIC_DATE = re.compile(r"(?<![\d/.-])(\d{1,2})[/.-](\d{1,2})[/.-](\d{4}|\d{2})(?![\d/.-])")
_WORDED_DATE = re.compile(r"\b(\d{1,2})(?:st|nd|rd|th)? ([A-Za-z]{3,9})\.? (\d{4})\b")
_DOB_CUE = re.compile(r"\b(?:d\.?o\.?b\.?|born|date of birth|birthday)\b", re.IGNORECASE)


@dataclass(frozen=True)
class IdentifyingWarning:
    kind: str       # "NHS number", "date of birth", "postcode", "phone number", "e-mail address"
    text: str       # the matched text, as typed
    start: int
    end: int

    @property
    def message(self) -> str:
        advice = {
            "NHS number": "remove it; cases are known by their pseudonym only",
            "date of birth": "use the child's age band instead of a date of birth",
            "postcode": "remove it; no addresses are kept for audited children",
            "phone number": "remove it; no contact details are kept for audited children",
            "e-mail address": "remove it unless it is a professional's work address",
        }[self.kind]
        article = "an" if self.kind[0] in "AEIOUaeiou" or self.kind.startswith("NHS") else "a"
        return f"'{self.text}' looks like {article} {self.kind}: {advice}."


def nhs_number_is_valid(digits: str) -> bool:
    """The NHS number check digit (modulus 11): weights 10…2 on the first nine digits."""
    digits = re.sub(r"[ -]", "", digits)
    if len(digits) != 10 or not digits.isdigit():
        return False
    total = sum(int(d) * w for d, w in zip(digits[:9], range(10, 1, -1)))
    check = 11 - total % 11
    if check == 11:
        check = 0
    return check != 10 and check == int(digits[9])


def _year(text: str) -> int:
    year = int(text)
    if len(text) == 2:  # 2-digit years: 00-39 → 2000s, otherwise 1900s
        year += 2000 if year < 40 else 1900
    return year


def _plausible_dob(day: int, month: int, year: int, today: date, cued: bool) -> bool:
    try:
        when = date(year, month, day)
    except ValueError:
        return False
    if when > today:
        return False
    return cued or when.year >= today.year - DOB_YEARS


def _dates(text: str, today: date) -> list[IdentifyingWarning]:
    found = []
    for match in _NUMERIC_DATE.finditer(text):
        day, month, year = int(match[1]), int(match[2]), _year(match[3])
        cued = bool(_DOB_CUE.search(text[max(0, match.start() - 20):match.start()]))
        if _plausible_dob(day, month, year, today, cued):
            found.append(IdentifyingWarning("date of birth", match[0], match.start(), match.end()))
    for match in _WORDED_DATE.finditer(text):
        month = MONTHS.get(match[2].lower())
        cued = bool(_DOB_CUE.search(text[max(0, match.start() - 20):match.start()]))
        if month and _plausible_dob(int(match[1]), month, int(match[3]), today, cued):
            found.append(IdentifyingWarning("date of birth", match[0], match.start(), match.end()))
    return found


def _overlaps(span: tuple[int, int], taken: list[tuple[int, int]]) -> bool:
    return any(span[0] < end and start < span[1] for start, end in taken)


def find_identifying(text: str, *, today: date | None = None) -> list[IdentifyingWarning]:
    """Everything in ``text`` that looks like identifying data, in the order it appears."""
    if not text:
        return []
    today = today or date.today()
    found: list[IdentifyingWarning] = []
    taken: list[tuple[int, int]] = []

    def add(warning: IdentifyingWarning) -> None:
        if not _overlaps((warning.start, warning.end), taken):
            found.append(warning)
            taken.append((warning.start, warning.end))

    for match in _EMAIL.finditer(text):
        add(IdentifyingWarning("e-mail address", match[0], match.start(), match.end()))
    for match in _TEN_DIGITS.finditer(text):
        if nhs_number_is_valid(match[0]):
            add(IdentifyingWarning("NHS number", match[0], match.start(), match.end()))
    for match in _PHONE.finditer(text):
        add(IdentifyingWarning("phone number", match[0], match.start(), match.end()))
    for warning in _dates(text, today):
        add(warning)
    for match in _POSTCODE.finditer(text):
        add(IdentifyingWarning("postcode", match[0], match.start(), match.end()))
    return sorted(found, key=lambda w: w.start)


def warning_text(text: str, *, today: date | None = None) -> str:
    """All warnings for ``text`` as one line each (empty when nothing was found)."""
    return "\n".join(w.message for w in find_identifying(text, today=today))
