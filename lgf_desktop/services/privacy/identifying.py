"""The one detector of identifying data about a child or family in free text.

Audited children are pseudonymised, yet evidence is typed from real case records, where identifiers
can slip in. The same check warns as a person types and guards what leaves the machine
(``services/privacy/leaving.py``); the text itself is never altered here — they decide. What is looked for:
a 10-digit number passing the NHS-number check digit, a full date that could be a date of birth, a UK
postcode, a UK phone number, an e-mail address, and the real names of the audited children.

Children's names are known only as keyed hashes (``ChildNames``): the coordinator types them once, for
checking, and only HMACs of each word and of each pair of neighbouring words are kept, keyed with a
secret in the user's profile folder (``services/privacy/child_names.py``). A plain hash of a first name could
be found by trying every name on a list; without the secret it cannot.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache

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
_DIGIT = re.compile(r"\d")
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_POSTCODE = re.compile(r"\b([A-Z]{1,2}\d[A-Z\d]?) ?(\d[A-Z]{2})\b", re.IGNORECASE)
_PHONE = re.compile(r"(?<![\w+])(?:\+44 ?(?:\(0\) ?)?|0)\d(?:[ -]?\d){8,9}(?!\d)")
_NUMERIC_DATE = re.compile(r"(?<![\d/.-])(\d{1,2})[/.-](\d{1,2})[/.-](\d{4}|\d{2})(?![\d/.-])")
_WORDED_DATE = re.compile(r"\b(\d{1,2})(?:st|nd|rd|th)? ([A-Za-z]{3,9})\.? (\d{4})\b")
_DOB_CUE = re.compile(r"\b(?:d\.?o\.?b\.?|born|date of birth|birthday)\b", re.IGNORECASE)
# "on 10 February 2022", "since 3/4/2023": a date said to be when something happened is an event,
# not a birth (the report's own "This review took place on …" must not be flagged).
_EVENT_CUE = re.compile(r"\b(?:on|from|since|until|till|by|before|after|dated|between|and|to|at)\s*$", re.IGNORECASE)
# A word of a name: letters, with inner apostrophes or hyphens (O'Neil, Smith-Jones).
_WORD = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*")
_BETWEEN_PAIR = re.compile(r"^\s{1,3}$")
MIN_NAME_WORD = 2  # single letters (initials) would match everywhere


def normalise_word(word: str) -> str:
    """A name word as compared: case, accents and a possessive 's ignored (Zoë's → zoe)."""
    word = unicodedata.normalize("NFKD", word.casefold())
    word = "".join(c for c in word if not unicodedata.combining(c)).replace("’", "'")
    return word[:-2] if word.endswith("'s") else word


@lru_cache(maxsize=65536)
def _normalised(word: str) -> str:
    return normalise_word(word)


def name_digest(key: bytes, words: str) -> str:
    return hmac.new(key, words.encode("utf-8"), hashlib.sha256).hexdigest()


def name_digests(key: bytes, name: str) -> set[str]:
    """The keyed hashes kept for one typed name: each word, and each pair of neighbouring words."""
    words = [normalise_word(w) for w in _WORD.findall(name)]
    words = [w for w in words if len(w) >= MIN_NAME_WORD]
    digests = {name_digest(key, w) for w in words}
    digests |= {name_digest(key, f"{a} {b}") for a, b in zip(words, words[1:])}
    return digests


@dataclass(frozen=True)
class ChildNames:
    """The audited children's names as keyed hashes: what the detector needs to flag them."""

    key: bytes = b""
    digests: frozenset[str] = field(default_factory=frozenset)
    # Names received under other keys (an auditor's copy: each audit's own name-check key).
    others: tuple[ChildNames, ...] = ()
    # Words repeat: a report of 40,000 words has a few thousand distinct ones, each hashed once.
    _seen: dict[str, bool] = field(default_factory=dict, compare=False, hash=False, repr=False)

    def __bool__(self) -> bool:
        return bool(self.key and self.digests) or any(self.others)

    def matches(self, words: str) -> bool:
        found = self._seen.get(words)
        if found is None:
            found = bool(self.key and self.digests) and name_digest(self.key, words) in self.digests
            found = self._seen[words] = found or any(other.matches(words) for other in self.others)
        return found


@dataclass(frozen=True)
class IdentifyingWarning:
    kind: str       # "NHS number", "date of birth", "postcode", "phone number", "e-mail address", "child's name"
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
            "child's name": "use the child's pseudonym (Child A …) instead",
        }[self.kind]
        if self.kind == "child's name":
            return f"'{self.text}' is the name of an audited child: {advice}."
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


def _cued(text: str, start: int) -> bool | None:
    """True: said to be a birth date; None: said to be an event's date; False: nothing said."""
    before = text[max(0, start - 20):start]
    if _DOB_CUE.search(before):
        return True
    return None if _EVENT_CUE.search(before) else False


def _dates(text: str, today: date) -> list[IdentifyingWarning]:
    found = []
    for match in _NUMERIC_DATE.finditer(text):
        day, month, year = int(match[1]), int(match[2]), _year(match[3])
        cued = _cued(text, match.start())
        if cued is not None and _plausible_dob(day, month, year, today, cued):
            found.append(IdentifyingWarning("date of birth", match[0], match.start(), match.end()))
    for match in _WORDED_DATE.finditer(text):
        month = MONTHS.get(match[2].lower())
        cued = _cued(text, match.start())
        if cued is not None and month and _plausible_dob(int(match[1]), month, int(match[3]), today, cued):
            found.append(IdentifyingWarning("date of birth", match[0], match.start(), match.end()))
    return found


def _overlaps(span: tuple[int, int], taken: list[tuple[int, int]]) -> bool:
    return any(span[0] < end and start < span[1] for start, end in taken)


def _names(text: str, names: ChildNames) -> Iterable[IdentifyingWarning]:
    words = [(m, _normalised(m[0])) for m in _WORD.finditer(text)]
    i = 0
    while i < len(words):
        match, word = words[i]
        # Every word of a name is kept on its own too, so a pair can only match if its first word does.
        single = len(word) >= MIN_NAME_WORD and names.matches(word)
        if single and i + 1 < len(words):
            after, second = words[i + 1]
            if _BETWEEN_PAIR.match(text[match.end():after.start()]) and names.matches(f"{word} {second}"):
                yield IdentifyingWarning("child's name", text[match.start():after.end()], match.start(), after.end())
                i += 2
                continue
        if single:
            yield IdentifyingWarning("child's name", match[0], match.start(), match.end())
        i += 1


def find_identifying(text: str, *, today: date | None = None, names: ChildNames | None = None) -> list[IdentifyingWarning]:
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

    # Most text has no '@' and no digit: then only names can be in it (a report scan is 40,000 words).
    if "@" in text:
        for match in _EMAIL.finditer(text):
            add(IdentifyingWarning("e-mail address", match[0], match.start(), match.end()))
    if _DIGIT.search(text):
        for match in _TEN_DIGITS.finditer(text):
            if nhs_number_is_valid(match[0]):
                add(IdentifyingWarning("NHS number", match[0], match.start(), match.end()))
        for match in _PHONE.finditer(text):
            add(IdentifyingWarning("phone number", match[0], match.start(), match.end()))
        for warning in _dates(text, today):
            add(warning)
        for match in _POSTCODE.finditer(text):
            add(IdentifyingWarning("postcode", match[0], match.start(), match.end()))
    if names:
        for warning in _names(text, names):
            add(warning)
    return sorted(found, key=lambda w: w.start)


def warning_text(text: str, *, today: date | None = None, names: ChildNames | None = None) -> str:
    """All warnings for ``text`` as one line each (empty when nothing was found)."""
    return "\n".join(w.message for w in find_identifying(text, today=today, names=names))
