"""The identifying-data guard on everything that leaves the machine.

Exports and exchange files are the only way data leaves (a package, a return, a panel member's notes,
the learning brief, the Section 11 report, the tracker). Each runs the text it is about to write
through the one detector (``identifying.find_identifying``, with the audited children's names) and
calls ``clear_to_leave``: with findings, the file is refused (``IdentifyingDataFound``, carrying each
finding and where it is) until the person has seen them and overrides — the GUI's findings dialog, the
CLI's ``--override-identifying`` — and the override is written to the change history (what was sent
and which kinds were found, never the values themselves). Manifests and documents then state what the
check found (``statement``) instead of a fixed claim.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy.orm import Session

from ...errors import UserError
from ...models import ChangeLog, utcnow
from .child_names import child_names
from .identifying import ChildNames, IdentifyingWarning, find_identifying

KINDS_LOOKED_FOR = "children's names, NHS numbers, dates of birth, postcodes, phone numbers and e-mail addresses"
CONTEXT = 30  # characters shown either side of a finding


@dataclass(frozen=True)
class Place:
    """Where a piece of leaving text comes from: words for the person, and the record when known."""

    label: str
    table: str = ""
    uuid: str = ""
    field: str = ""


@dataclass(frozen=True)
class Finding:
    place: Place
    warning: IdentifyingWarning
    context: str  # the finding with a little text around it

    @property
    def kind(self) -> str:
        return self.warning.kind

    @property
    def text(self) -> str:
        return self.warning.text

    @property
    def message(self) -> str:
        return f"{self.place.label}: {self.warning.message}"


def _context(text: str, warning: IdentifyingWarning) -> str:
    start, end = max(0, warning.start - CONTEXT), min(len(text), warning.end + CONTEXT)
    return ("…" if start else "") + " ".join(text[start:end].split()) + ("…" if end < len(text) else "")


def kinds_summary(findings: Iterable[Finding]) -> str:
    counts = Counter(f.kind for f in findings)
    return ", ".join(f"{n} {kind}{'s' if n != 1 and not kind.endswith('s') else ''}"
                     for kind, n in sorted(counts.items()))


class IdentifyingDataFound(UserError):
    """A file refused because it holds what looks like identifying data; ``findings`` says where."""

    def __init__(self, what: str, findings: list[Finding]) -> None:
        self.what = what
        self.findings = findings
        super().__init__(
            f"{what} was not written: it holds {len(findings)} thing{'s' if len(findings) != 1 else ''} that "
            f"look{'s' if len(findings) == 1 else ''} like identifying data ({kinds_summary(findings)}); "
            "look at each, remove it or confirm it may be sent, and export again.")

    @property
    def details(self) -> list[str]:
        return [f"{f.place.label}: {f.kind}: {f.context}" for f in self.findings]


def scan(pieces: Iterable[tuple[Place, str]], names: ChildNames | None = None, *,
         today: date | None = None) -> list[Finding]:
    """Every finding in the given pieces of text, in their order."""
    found = []
    for place, text in pieces:
        if not isinstance(text, str) or not text.strip():
            continue
        for warning in find_identifying(text, today=today, names=names):
            found.append(Finding(place, warning, _context(text, warning)))
    return found


def scan_for_session(session: Session, pieces: Iterable[tuple[Place, str]], *, today: date | None = None) -> list[Finding]:
    return scan(pieces, child_names(session), today=today)


def statement(findings: list[Finding], overridden: bool = False) -> str:
    """What a manifest or document says about the check, from what it actually found."""
    if not findings:
        return f"The identifying-data check ({KINDS_LOOKED_FOR}) found nothing."
    verb = "were sent with the sender's explicit agreement" if overridden else "were found"
    return (f"The identifying-data check ({KINDS_LOOKED_FOR}) found {len(findings)} item"
            f"{'s' if len(findings) != 1 else ''} ({kinds_summary(findings)}), which {verb}.")


def clear_to_leave(session: Session, what: str, findings: list[Finding], *, override: bool,
                   record_uuid: str = "") -> str:
    """Refuse ``what`` with its findings, or — overridden — record that in the change history.

    Returns the sentence to put in the file's manifest or description.
    """
    if findings and not override:
        raise IdentifyingDataFound(what, findings)
    if findings:
        places = sorted({f.place.label for f in findings})
        session.add(ChangeLog(
            at=utcnow(), who=session.info.get("user", ""), action="override", table_name="export",
            record_uuid=record_uuid[:36], record_label=what[:200], field="identifying data",
            old_value=None,
            # Kinds and places, never the values: the history must not become a second copy.
            new_value=(f"Sent with {len(findings)} identifying-data finding(s) seen and overridden: "
                       f"{kinds_summary(findings)}; in {'; '.join(places)[:1500]}"),
        ))
        session.flush()
    return statement(findings, overridden=bool(findings))


def guard(session: Session, what: str, pieces: Iterable[tuple[Place, str]], *, override: bool,
          record_uuid: str = "") -> str:
    """Scan and clear in one step (the usual call from an export)."""
    return clear_to_leave(session, what, scan_for_session(session, pieces), override=override,
                          record_uuid=record_uuid)


# --- What leaves, as pieces of text ------------------------------------------------------------

_LABEL_KEYS = ("pseudonym", "question", "theme", "title", "organisation")


def json_pieces(parts: dict[str, bytes]) -> Iterator[tuple[Place, str]]:
    """Every string in the JSON parts of an exchange file, placed by the nearest record."""

    def walk(value: Any, label: str, record: dict | None, key: str) -> Iterator[tuple[Place, str]]:
        if isinstance(value, dict):
            named = next((str(value[k])[:60] for k in _LABEL_KEYS if isinstance(value.get(k), str)), "")
            here = f"{label} · {named}" if named else label
            for k, v in value.items():
                if k.endswith("uuid") or k in ("sha256", "colour", "key"):
                    continue
                yield from walk(v, here, value, k)
        elif isinstance(value, list):
            for item in value:
                yield from walk(item, label, record, key)
        elif isinstance(value, str):
            uuid = str(record.get("uuid", "")) if record else ""
            yield Place(f"{label} · {key.replace('_', ' ')}", uuid=uuid, field=key), value

    for name, data in sorted(parts.items()):
        try:
            value = json.loads(data.decode("utf-8"))
        except (UnicodeDecodeError, ValueError):
            yield Place(name), data.decode("utf-8", "replace")
            continue
        yield from walk(value, name.removesuffix(".json"), None, "")


def docx_pieces(document: Any) -> Iterator[tuple[Place, str]]:
    """Every paragraph of a python-docx document — body, tables, headers and footers — and its
    core properties, numbered as a reader would count them."""
    from docx.oxml.ns import qn

    def paragraphs(element: Any, where: str) -> Iterator[tuple[Place, str]]:
        for number, p in enumerate(element.iter(qn("w:p")), start=1):
            text = "".join(t.text or "" for t in p.iter(qn("w:t")))
            if text.strip():
                yield Place(f"{where}, paragraph {number}"), text

    yield from paragraphs(document.element.body, "the document")
    for rel in document.part.rels.values():
        if rel.reltype.endswith("/footnotes") and not rel.is_external:
            yield from paragraphs(rel.target_part.element, "the footnotes")
    for index, section in enumerate(document.sections, start=1):
        for part, name in ((section.header, "header"), (section.footer, "footer")):
            if not part.is_linked_to_previous:
                yield from paragraphs(part._element, f"the {name} of section {index}")
    core = document.core_properties
    for name in ("title", "subject", "comments", "keywords", "author"):
        value = getattr(core, name, "")
        if value:
            yield Place(f"the document's {name} property"), value
