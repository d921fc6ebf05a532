"""The report's computed sentences: lists of names, numbers in words, short names introduced once, and
the contact history of an organisation that declined, in English that reads as written whatever the
notes typed into the contact log look like.

Nothing here knows Word or the database: each function takes report data and returns text.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from ..dates import long_date
from .report_data import ContactData, OrganisationData, PersonData, ReportData

NUMBER_WORDS = ("no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
                "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen",
                "nineteen", "twenty")
TIMES = {1: "once", 2: "twice"}
# Words that end a note written as a statement ("invitation and template sent"): such a note becomes a
# sentence of its own ("Invitation and template were sent.") rather than what was "offered".
PARTICIPLES = ("sent", "given", "provided", "shared", "made", "arranged", "attached", "forwarded", "emailed",
               "offered", "proposed", "posted", "left", "requested", "suggested", "agreed", "booked")
OFFER_PREFIX = re.compile(r"^(?:offered|offering|offer(?:\s+of)?|an\s+offer\s+of)\b[\s:,-]*", re.IGNORECASE)
NO_REPLY = re.compile(r"^(?:none|no|nil|n/?a|-+|no\s+(?:response|reply|answer))\W*$", re.IGNORECASE)
ROLE_WORDS = re.compile(r"\b(?:officer|director|manager|lead|head|chief|chair|executive|secretary|coordinator|"
                        r"co-ordinator|team|office|department|clerk|principal|governor|administrator|inbox)\b",
                        re.IGNORECASE)


def number_word(n: int) -> str:
    return NUMBER_WORDS[n] if 0 <= n < len(NUMBER_WORDS) else str(n)


def plural(n: int, noun: str) -> str:
    """'one organisation', 'three organisations' (numbers to twenty in words)."""
    return f"{number_word(n)} {noun}{'' if n == 1 else 's'}"


def join_names(names: Sequence[str]) -> str:
    """'A', 'A and B', 'A, B and C' — or 'A; B and C' when a name holds a comma itself, so
    "Pathways Youth Service, Riverside Learning Trust" never reads as two organisations."""
    names = [n for n in names if n]
    if len(names) <= 1:
        return "".join(names)
    separator = "; " if any("," in n for n in names) else ", "
    return separator.join(names[:-1]) + " and " + names[-1]


def sentence(text: str) -> str:
    """``text`` as a sentence: trimmed, one capital to start, one full stop to end."""
    text = " ".join(text.split()).strip()
    if not text:
        return ""
    text = text[0].upper() + text[1:]
    text = text.rstrip(" ,;:-")
    return text if text[-1] in ".!?" else text + "."


def lower_first(text: str) -> str:
    """Lower-case the first letter of an ordinary word ("An offer" → "an offer"), not of "ICB"."""
    if len(text) > 1 and text[0].isupper() and text[1].islower():
        return text[0].lower() + text[1:]
    return text


def with_role(name: str, role: str) -> str:
    return f"{name} ({role})" if role else name


def people(persons: Sequence[PersonData]) -> str:
    """Representatives or apologies as the review's paragraph lists them, each note after its name:
    "Anne Fry (Designated Nurse), although Anne had been part of the preparation for the review". When
    someone before the last has a note, semicolons keep each note with its own name ("A (Role), who left
    at 11; and B (Role)"); a note on the last alone needs none ("A (Role) and B (Role), who joined at 11")."""
    described = [with_role(p.name, p.role) + (f", {p.note}" if p.note.strip() else "") for p in persons]
    if len(described) > 1 and any(p.note.strip() for p in persons[:-1]):
        return "; ".join(described[:-1]) + "; and " + described[-1]
    return join_names(described)


class Names:
    """Organisation names as the report prints them: the first mention introduces a short name —
    "Vale Community Health NHS Trust (VCH)" — and later mentions use "VCH"."""

    def __init__(self) -> None:
        self._introduced: set[str] = set()

    def mention(self, organisation: OrganisationData) -> str:
        short = organisation.short_name.strip()
        if not short or short == organisation.name:
            return organisation.name
        if organisation.name in self._introduced:
            return short
        self._introduced.add(organisation.name)
        return f"{organisation.name} ({short})"

    def full(self, organisation: OrganisationData) -> str:
        """The full name without introducing the short one (headings, table titles)."""
        return organisation.name


# --- the contact history of a declined review ---------------------------------------------------------


def _channel(channel: str) -> str:
    """'email' → 'by email'; 'in person' and 'by letter' stay as typed; '' → ''."""
    channel = " ".join(channel.split()).strip().rstrip(".")
    if not channel:
        return ""
    lowered = channel.lower()
    if lowered.startswith(("by ", "in ", "at ", "through ", "via ", "over ")):
        return lowered
    if lowered in ("phone", "telephone", "call", "phone call", "telephone call"):
        return "by telephone"
    return f"by {lowered}"


def _addressee(contact: str) -> str:
    """A person as typed ("Steve Curry"); a role gets its article ("the Chief Executive Officer")."""
    contact = " ".join(contact.split()).strip().rstrip(".,;")
    if contact and ROLE_WORDS.search(contact) and not re.match(r"(?:the|a|an|our|their)\s", contact, re.IGNORECASE) \
            and not re.search(r"\(", contact):
        return f"the {contact}"
    return contact


def _offered(note: str) -> tuple[str, str]:
    """A note of what was offered, as ``(clause, sentence)``: a noun phrase becomes the clause
    "offering four possible dates"; a statement ("invitation and template sent") a sentence of its own."""
    note = " ".join(note.split()).strip().rstrip(" .;,")
    note = OFFER_PREFIX.sub("", note).strip()
    if not note:
        return "", ""
    words = note.split()
    if words[-1].lower().rsplit("-", 1)[-1] in PARTICIPLES and len(words) > 1:  # "sent", "re-sent"
        subject = " ".join(words[:-1])
        if subject.lower().endswith((" was", " were", " has been", " have been")):
            return "", sentence(note)
        verb = "were" if re.search(r"\band\b|s$", subject, re.IGNORECASE) else "was"
        return "", sentence(f"{subject} {verb} {words[-1].lower()}")
    if words[0].lower() in PARTICIPLES:  # "sent the template": a statement already
        return "", sentence(note)
    return f"offering {lower_first(note)}", ""


def _reply(note: str, org: str) -> str:
    note = " ".join(note.split()).strip()
    if not note:
        return ""
    if NO_REPLY.match(note):
        return "No response was received."
    if re.match(r"(?:no |not |none|nothing|did |didn't|declined|replied|response|reply|they |he |she |it |"
                r"the |an? |" + re.escape(org.lower()) + r")", note, re.IGNORECASE):
        return sentence(note)
    return sentence(f"{org} replied: {lower_first(note)}" if note[0].isupper() and note[1:2].islower()
                    else f"{org} replied: {note}")


def contact_history(contacts: Sequence[ContactData], org: str) -> str:
    """The contacts made with an organisation that declined, in prose, for any number of attempts:
    "The partnership contacted CVS twice. It first contacted CVS by email on 23 November 2021, writing
    to Steve Curry, offering a copy of the template. It last contacted CVS …". ``org`` is the
    organisation as already introduced."""
    contacts = sorted(contacts, key=lambda c: (c.contact_date is None, c.contact_date))
    n = len(contacts)
    if n == 0:
        return f"No attempts to contact {org} are recorded."
    parts = [] if n == 1 else [f"The partnership contacted {org} {TIMES.get(n, number_word(n) + ' times')}."]
    for index, contact in enumerate(contacts):
        if n == 1:
            opening = f"The partnership contacted {org}"
        elif index == 0:
            opening = f"It first contacted {org}"
        elif index == n - 1:
            opening = f"It last contacted {org}"
        else:
            opening = f"It contacted {org} again"
        text = opening
        if channel := _channel(contact.channel):
            text += f" {channel}"
        text += f" on {long_date(contact.contact_date)}" if contact.contact_date else ""
        if addressee := _addressee(contact.contact_name):
            if "email" in channel or "letter" in channel:
                text += f", writing to {addressee}"
            elif "telephone" in channel:
                text += f", speaking to {addressee}"
            else:
                text += f" (contact: {addressee})"
        clause, statement = _offered(contact.offered)
        if clause:
            text += f", {clause}"
        parts.append(sentence(text))
        if statement:
            parts.append(statement)
        if reply := _reply(contact.response, org):
            parts.append(reply)
    return " ".join(parts)




def placeholder_values(data: ReportData) -> dict[str, str]:
    """What each placeholder of the round's texts stands for in this report: one source for each
    number, so the Methodology, the appendix and the template sent in advance agree."""
    from ..dates import month_year

    included = data.included
    held = [r for r in included if r.status == "held"]
    chair = data.chair
    return {
        "partnership": data.partnership.name,
        "round": data.round_label,
        "report_month": month_year(data.report_month),
        "organisation_count": number_word(len(included)),
        "organisations": join_names([r.organisation.name for r in included]),
        "held_count": number_word(len(held)),
        "declined_count": number_word(len(included) - len(held)),
        "workshop_minutes": str(data.workshop_minutes),
        "theme_count": number_word(len(data.themes)),
        "themes": join_names(list(data.themes)),
        "question_count": str(data.question_count),
        "chair": chair.name if chair else "",
        "template_appendix": f"Appendix {data.template_appendix}",
    }


__all__ = ["Names", "contact_history", "join_names", "lower_first", "number_word", "people", "placeholder_values",
           "plural", "sentence", "with_role"]
