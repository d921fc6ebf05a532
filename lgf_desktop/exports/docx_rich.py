"""Links and footnotes in the text of a Word export.

A response, recommendation or report text may hold ``[text](https://…)`` or a bare ``https://…``
address: each becomes a real Word hyperlink (a ``w:hyperlink`` with an external relationship, in the
Hyperlink character style). A footnote is written ``[^name]`` in the text with its words on a line
of their own, ``[^name]: the note`` (as in Markdown): each becomes a real Word footnote in the
document's footnotes part, numbered by Word.

python-docx has no footnote API, so the footnotes part is written here: created on first use with
the separator and continuation-separator notes Word expects (ids -1 and 0), or, when the Word
template already has one, appended to. A reference with no definition is printed as typed.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from docx.enum.style import WD_STYLE_TYPE
from docx.opc.constants import CONTENT_TYPE as CT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import PartFactory, XmlPart
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from lxml.etree import SubElement

# A footnotes part read from a Word template is kept as XML (python-docx would keep it as bytes and
# could not add to it).
PartFactory.part_type_for.setdefault(CT.WML_FOOTNOTES, XmlPart)

LINK = re.compile(r"\[([^\[\]\n]+)\]\((https?://[^\s()]+)\)|(?<![\w/])(https?://[^\s<>\"]+[^\s<>\".,;:!?)\]'])")
NOTE = re.compile(r"\[\^([^\]\s]+)\]")
DEFINITION = re.compile(r"^\s*\[\^([^\]\s]+)\]:\s*(.+?)\s*$", re.MULTILINE)
W_HYPERLINK, W_R, W_RPR, W_RSTYLE, W_VAL = qn("w:hyperlink"), qn("w:r"), qn("w:rPr"), qn("w:rStyle"), qn("w:val")


def footnote_definitions(text: object) -> tuple[object, dict[str, str]]:
    """``text`` without its ``[^name]: …`` lines, and those notes by name."""
    if not isinstance(text, str) or "[^" not in text:
        return text, {}
    notes = {m.group(1): m.group(2) for m in DEFINITION.finditer(text)}
    return DEFINITION.sub("", text), notes


def has_markup(text: str) -> bool:
    return "http" in text or "[^" in text


def add_rich_text(p, styles, text: object, add_run: Callable, *, bold: bool = False, italic: bool = False,
                  notes: dict[str, str] | None = None) -> None:
    """Append ``text`` to paragraph ``p`` with its links and footnote references made real."""
    text = "" if text is None else str(text)
    if not has_markup(text):
        add_run(p, text, bold=bold, italic=italic)
        return
    notes = notes or {}
    position = 0
    for match in _tokens(text, notes):
        start, end, kind, value, shown = match
        if start > position:
            add_run(p, text[position:start], bold=bold, italic=italic)
        if kind == "link":
            add_hyperlink(p, styles, value, shown, add_run, bold=bold, italic=italic)
        else:
            add_footnote_reference(p, styles, notes[value], add_run)
        position = end
    if position < len(text):
        add_run(p, text[position:], bold=bold, italic=italic)


def _tokens(text: str, notes: dict[str, str]) -> list[tuple[int, int, str, str, str]]:
    tokens = []
    for m in LINK.finditer(text):
        if m.group(2):
            tokens.append((m.start(), m.end(), "link", m.group(2), m.group(1)))
        else:
            tokens.append((m.start(), m.end(), "link", m.group(3), m.group(3)))
    for m in NOTE.finditer(text):
        if m.group(1) in notes and not any(s <= m.start() < e for s, e, *_ in tokens):
            tokens.append((m.start(), m.end(), "note", m.group(1), ""))
    return sorted(tokens)


def _character_style(styles, name: str) -> str | None:
    key = ("character", name)
    if key not in styles._ids:
        try:
            styles._ids[key] = styles.document.styles.get_style_id(name, WD_STYLE_TYPE.CHARACTER)
        except (KeyError, ValueError):
            styles._ids[key] = None
    return styles._ids[key]


def _style_run(r, style_id: str | None) -> None:
    if not style_id:
        return
    rpr = r.find(W_RPR)
    if rpr is None:
        rpr = SubElement(r, W_RPR)
        r.remove(rpr)
        r.insert(0, rpr)
    rstyle = parse_xml(f'<w:rStyle {nsdecls("w")} w:val="{style_id}"/>')
    rpr.insert(0, rstyle)


def add_hyperlink(p, styles, url: str, shown: str, add_run: Callable, *, bold: bool = False,
                  italic: bool = False) -> None:
    """A real Word hyperlink to ``url`` showing ``shown``."""
    r_id = styles.document.part.relate_to(url, RT.HYPERLINK, is_external=True)
    link = SubElement(p, W_HYPERLINK, {qn("r:id"): r_id, qn("w:history"): "1"})
    r = add_run(link, shown, bold=bold, italic=italic)
    _style_run(r, _character_style(styles, "Hyperlink"))


def footnotes_part(document) -> XmlPart:
    """The document's footnotes part, made (with Word's two separator notes) on first use."""
    part = document.part
    for rel in part.rels.values():
        if rel.reltype == RT.FOOTNOTES and not rel.is_external:
            return rel.target_part
    element = parse_xml(
        f'<w:footnotes {nsdecls("w", "r")}>'
        '<w:footnote w:type="separator" w:id="-1"><w:p><w:pPr><w:spacing w:after="0" w:line="240" '
        'w:lineRule="auto"/></w:pPr><w:r><w:separator/></w:r></w:p></w:footnote>'
        '<w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:pPr><w:spacing w:after="0" w:line="240" '
        'w:lineRule="auto"/></w:pPr><w:r><w:continuationSeparator/></w:r></w:p></w:footnote>'
        '</w:footnotes>')
    notes = XmlPart(PackURI("/word/footnotes.xml"), CT.WML_FOOTNOTES, element, part.package)
    part.relate_to(notes, RT.FOOTNOTES)
    return notes


def add_footnote_reference(p, styles, note: str, add_run: Callable) -> int:
    """A footnote with the words ``note``, referenced here; returns its id."""
    notes = footnotes_part(styles.document).element
    ids = [int(n.get(qn("w:id"))) for n in notes.findall(qn("w:footnote"))]
    note_id = max([0, *ids]) + 1
    reference_style = _character_style(styles, "footnote reference")
    text_style = styles["footnote text"]
    footnote = SubElement(notes, qn("w:footnote"), {qn("w:id"): str(note_id)})
    fp = SubElement(footnote, qn("w:p"))
    if text_style:
        fp.append(parse_xml(f'<w:pPr {nsdecls("w")}><w:pStyle w:val="{text_style}"/></w:pPr>'))
    mark = SubElement(fp, W_R)
    _style_run(mark, reference_style)
    SubElement(mark, qn("w:footnoteRef"))
    add_run(fp, " " + note)
    r = SubElement(p, W_R)
    _style_run(r, reference_style)
    SubElement(r, qn("w:footnoteReference"), {qn("w:id"): str(note_id)})
    return note_id


__all__ = ["add_footnote_reference", "add_hyperlink", "add_rich_text", "footnote_definitions", "footnotes_part"]
