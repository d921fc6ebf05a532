"""What every Word export shares: clean text, an A4 page with the partnership in the header and
"Page X of Y" in the footer, core properties, paragraphs with bullet lines, and tables built row by row
(repeating header rows, rows kept on one page, cells merged across columns and down rows).

Every text that goes into a document passes through ``clean_text`` (via ``add_run``), so characters
pasted from other programs that are illegal in Word's XML (form feeds, vertical tabs, other control
characters) can never break an export. Everything uses Word's built-in styles (Title, Heading 1/2,
List Bullet, Table Grid) so a user can restyle a whole document in Word.

Tables are built with ``TableBuilder``: python-docx's ``Table.cell()`` rebuilds the cell grid on every
call (quadratic over a long table), so rows and their merges are written straight into the XML.
"""

from __future__ import annotations

import io

import os
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from docx.document import Document
from docx.enum.section import WD_ORIENT
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from lxml.etree import SubElement
from docx.shared import Cm, Mm

from .. import APP_NAME, app_version
from ..atomic import atomic_write
from .docx_rich import add_rich_text as _add_rich_text
from .docx_rich import footnote_definitions
from .word_template import TemplateSource, open_template

# XML 1.0 allows tab, newline and carriage return among the control characters; nothing else below
# 0x20, no lone surrogates, and not U+FFFE/U+FFFF.
_ILLEGAL_XML = re.compile("[\x00-\x08\x0e-\x1f\x7f\ud800-\udfff\ufffe\uffff]")
# Vertical tab (Word's own manual line break when pasted as text) and form feed (a page break)
# separate lines: keep them as line breaks rather than gluing words together.
_LINE_BREAKS = re.compile("\r\n|[\r\x0b\x0c\x85\u2028\u2029]")

W_B, W_BR, W_CANTSPLIT, W_COLOR, W_FILL, W_GRIDSPAN, W_I, W_P, W_PPR, W_PSTYLE, W_R, W_RPR = (
    qn(f"w:{name}") for name in
    ("b", "br", "cantSplit", "color", "fill", "gridSpan", "i", "p", "pPr", "pStyle", "r", "rPr")
)
W_SECTPR, W_SHD, W_T, W_TAB, W_TBLHEADER, W_TC, W_TCPR, W_TCW, W_TR, W_TRPR, W_TYPE, W_VAL, W_VMERGE, W_W = (
    qn(f"w:{name}") for name in
    ("sectPr", "shd", "t", "tab", "tblHeader", "tc", "tcPr", "tcW", "tr", "trPr", "type", "val", "vMerge", "w")
)
W_DRAWING, W_PICT = qn("w:drawing"), qn("w:pict")
W_NUMPR, W_ILVL, W_NUMID = qn("w:numPr"), qn("w:ilvl"), qn("w:numId")
W_DOCPR = qn("wp:docPr")
XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
BULLET_MARKS = ("- ", "• ")
TICK_MARK = "✓ "
A4_MARGIN_CM = 2.0
HEADER_FILL = "D9E2F3"  # a pale blue that prints well in greyscale too


def clean_text(text: object) -> str:
    """``text`` as a string that is legal in Word's XML: line separators become newlines, other
    control characters are dropped. None becomes the empty string."""
    if text is None:
        return ""
    return _ILLEGAL_XML.sub("", _LINE_BREAKS.sub("\n", str(text)))


def text_blocks(text: object, bullets: Sequence[str] = BULLET_MARKS) -> list[tuple[str, str]]:
    """Split multi-line text into ``("para" | "bullet" | "tick", line)`` blocks, skipping blank lines.

    Lines starting with a bullet mark ("- ", "• ") are bullet points; "✓ " starts a tick-list item.
    """
    blocks = []
    for raw in clean_text(text).split("\n"):
        line = raw.strip()
        if not line:
            continue
        mark = next((m for m in bullets if line.startswith(m)), None)
        if mark is not None:
            blocks.append(("bullet", line[len(mark):].strip()))
        elif line.startswith(TICK_MARK.strip()):
            blocks.append(("tick", line[1:].strip()))
        else:
            blocks.append(("para", line))
    return blocks


# --- the document and its page ---------------------------------------------------------------------


def new_document(
    *,
    title: str,
    header_text: str,
    author: str = "",
    subject: str = "",
    comments: str = "",
    created: datetime | None = None,
    margin_cm: float = A4_MARGIN_CM,
    template: TemplateSource = None,
) -> Document:
    """An empty document from the Word ``template`` (the partnership's; None for the app's own) with
    the header, "Page X of Y" footer and core properties set.

    The app's own template gives an A4 portrait page with ``header_text`` in the header. A
    partnership's template keeps its page setup, and its header and footer when they have anything in
    them (text, a logo); an empty header gets ``header_text`` and an empty footer "Page X of Y".
    """
    document = open_template(template)
    section = document.sections[0]
    if not template:
        set_a4_portrait(section, margin_cm)
    if _is_empty(section.header):
        set_header_text(section, header_text)
    if _is_empty(section.footer):
        add_page_x_of_y(section.footer.paragraphs[0])
    set_core_properties(document, title=title, author=author, subject=subject, comments=comments,
                        created=created)
    return document


def _is_empty(header_or_footer) -> bool:
    """No header/footer of its own, or one with no text, field or picture in it."""
    if header_or_footer.is_linked_to_previous:
        return True
    element = header_or_footer._element
    return not "".join(element.itertext()).strip() and not any(
        True for tag in (W_DRAWING, W_PICT) for _ in element.iter(tag))


def set_a4_portrait(section, margin_cm: float = A4_MARGIN_CM) -> None:
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(210), Mm(297)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Cm(margin_cm))
    section.header_distance = section.footer_distance = Cm(1.0)


def text_width_cm(section) -> float:
    """The width between the margins, in centimetres (what a full-width table may use); 0 when the
    section does not say."""
    if None in (section.page_width, section.left_margin, section.right_margin):
        return 0.0
    return (section.page_width - section.left_margin - section.right_margin) / 360000


def set_header_text(section, text: str) -> None:
    paragraph = section.header.paragraphs[0]
    paragraph.style = "Header"
    paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    add_run(paragraph._p, text)


def add_page_x_of_y(paragraph) -> None:
    """'Page X of Y' as real PAGE and NUMPAGES fields, so Word keeps the numbers right."""
    paragraph.style = "Footer"
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    p = paragraph._p
    add_run(p, "Page ")
    add_field(p, "PAGE", "1")
    add_run(p, " of ")
    add_field(p, "NUMPAGES", "1")


def add_field(p, instruction: str, shown: str = "") -> None:
    """A complex field (begin / instruction / separate / result / end) appended to paragraph ``p``."""

    def char_run(kind: str) -> None:
        r = p.add_r()
        r.append(OxmlElement("w:fldChar", attrs={qn("w:fldCharType"): kind}))

    char_run("begin")
    instr = OxmlElement("w:instrText", attrs={qn("xml:space"): "preserve"})
    instr.text = f" {instruction} "
    p.add_r().append(instr)
    char_run("separate")
    add_run(p, shown)
    char_run("end")


def set_core_properties(
    document: Document, *, title: str, author: str = "", subject: str = "", comments: str = "",
    created: datetime | None = None,
) -> None:
    def one_line(text: str) -> str:
        # Core properties are single lines of at most 255 characters.
        text = " ".join(clean_text(text).split())
        return text if len(text) <= 255 else text[:254] + "…"

    created = created or datetime.now(timezone.utc).replace(microsecond=0)
    props = document.core_properties
    props.title = one_line(title)
    props.author = props.last_modified_by = one_line(author)
    props.subject = one_line(subject)
    props.comments = one_line(comments)
    props.created = props.modified = created
    props.revision = 1
    props.keywords = ""
    props.category = ""
    # Which release wrote it, for whoever is sent the file (File → Properties in Word).
    props.version = f"{APP_NAME} {app_version()}"


# --- paragraphs and runs (the low-level path every text goes through) -------------------------------


def add_run(p, text: object, *, bold: bool = False, italic: bool = False):
    """Append a run with ``text`` (cleaned; newlines become line breaks, tabs tabs) to the ``w:p``.

    Built with lxml directly: python-docx's ``run.text`` setter walks the text one character at a
    time, which dominated the time of a long report.
    """
    r = SubElement(p, W_R)
    if bold or italic:
        rpr = SubElement(r, W_RPR)
        if bold:
            SubElement(rpr, W_B)  # <w:b/> with no value means on
        if italic:
            SubElement(rpr, W_I)
    for index, line in enumerate(clean_text(text).split("\n")):
        if index:
            SubElement(r, W_BR)
        for part, chunk in enumerate(line.split("\t")):
            if part:
                SubElement(r, W_TAB)
            if chunk:
                t = SubElement(r, W_T)
                t.text = chunk
                if chunk[0].isspace() or chunk[-1].isspace():
                    t.set(XML_SPACE, "preserve")
    return r


def add_rich_text(p, styles: StyleIds, text: object, *, bold: bool = False, italic: bool = False,
                  notes: dict[str, str] | None = None) -> None:
    """``text`` appended to ``p`` with its links and footnotes made real (``docx_rich``)."""
    _add_rich_text(p, styles, text, add_run, bold=bold, italic=italic, notes=notes)


def new_p(parent):
    """A new ``w:p`` at the end of ``parent`` (before a body's closing ``w:sectPr``)."""
    p = OxmlElement("w:p")
    last = parent[-1] if len(parent) else None
    if last is not None and last.tag == W_SECTPR:
        last.addprevious(p)
    else:
        parent.append(p)
    return p


def set_style(p, style_id: str) -> None:
    """Give a fresh ``w:p`` (no properties yet) a paragraph style."""
    ppr = p.find(W_PPR)
    if ppr is None:
        ppr = OxmlElement("w:pPr")
        p.insert(0, ppr)
    SubElement(ppr, W_PSTYLE).set(W_VAL, style_id)


# Word list definitions (numbering part): a bullet list and the Background's tick list. Real lists,
# not typed characters, so Word's list tools, indents and screen readers treat them as lists.
LIST_DEFINITIONS = {
    "bullet": ("\u2022", "Symbol-free", 720, 360),
    "tick": ("\u2713", "Segoe UI Symbol", 720, 360),
    # In a table cell a page's indent wastes a narrow column (seen in the render): a small one.
    "bullet-cell": ("\u2022", "Symbol-free", 284, 227),
    "tick-cell": ("\u2713", "Segoe UI Symbol", 284, 227),
}


def _abstract_num(abstract_id: int, kind: str):
    mark, font, left, hanging = LIST_DEFINITIONS[kind]
    font_xml = "" if font == "Symbol-free" else (
        f'<w:rFonts w:ascii="{font}" w:hAnsi="{font}" w:cs="{font}" w:hint="default"/>')
    return parse_xml(
        f'<w:abstractNum {nsdecls("w")} w:abstractNumId="{abstract_id}">'
        f'<w:multiLevelType w:val="singleLevel"/>'
        f'<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="bullet"/><w:lvlText w:val="{mark}"/>'
        f'<w:lvlJc w:val="left"/><w:pPr><w:ind w:left="{left}" w:hanging="{hanging}"/></w:pPr>'
        f'<w:rPr>{font_xml}</w:rPr></w:lvl></w:abstractNum>')


class StyleIds:
    """Paragraph style names → style ids, looked up once per document (the lookup is a search), and
    the document's list definitions, made once when first used."""

    def __init__(self, document: Document) -> None:
        self.document = document
        self._ids: dict[str, str | None] = {}
        self._lists: dict[str, int] = {}

    def list_id(self, kind: str) -> int:
        """The ``w:numId`` of the "bullet" or "tick" list, added to the numbering part when first asked."""
        if kind not in self._lists:
            numbering = self.document.part.numbering_part.element
            abstract_ids = [int(a.get(qn("w:abstractNumId"))) for a in numbering.findall(qn("w:abstractNum"))]
            abstract_id = max(abstract_ids, default=-1) + 1
            abstract = _abstract_num(abstract_id, kind)
            # Schema order: every abstractNum before the first num.
            first_num = numbering.find(qn("w:num"))
            if first_num is not None:
                first_num.addprevious(abstract)
            else:
                numbering.append(abstract)
            num = numbering.add_num(abstract_id)
            self._lists[kind] = num.numId
        return self._lists[kind]

    def __getitem__(self, name: str | None) -> str | None:
        if name is None:
            return None
        if name not in self._ids:
            self._ids[name] = self.document.styles.get_style_id(name, WD_STYLE_TYPE.PARAGRAPH)
        return self._ids[name]


def body_of(target) -> object:
    """The XML element new paragraphs go into: a Document's body, a cell's ``w:tc``, or the element."""
    if isinstance(target, Document):
        return target.element.body
    return getattr(target, "_tc", None) or getattr(target, "_element", None) or target


def add_paragraph(parent, styles: StyleIds, text: object = "", style: str | None = None, *,
                  label: str = "", bold: bool = False, italic: bool = False, p=None,
                  notes: dict[str, str] | None = None):
    """A paragraph in ``parent`` (``w:body`` / ``w:tc``) with an optional bold lead-in ``label``;
    ``p`` reuses an existing empty ``w:p`` (a new cell's first paragraph). Links in the text
    (``[text](https://…)`` or a bare https:// address) become Word hyperlinks, and ``[^name]`` a
    footnote when ``notes`` holds its text (see ``rich_text``)."""
    if p is None:
        p = new_p(parent)
    style_id = styles[style]
    if style_id:
        set_style(p, style_id)
    if label:
        add_run(p, label + (" " if text else ""), bold=True)
    if text or not label:
        add_rich_text(p, styles, text, bold=bold, italic=italic, notes=notes)
    return p


def add_text(parent, styles: StyleIds, text: object, style: str | None = None, *,
             bullet_style: str = "List Bullet", label: str = "", p=None) -> int:
    """Multi-line text as paragraphs: bullet lines as ``bullet_style``, "✓ " lines as a tick list.
    ``label`` leads the first paragraph in bold. Returns the number of paragraphs written."""
    text, notes = footnote_definitions(text)
    blocks = text_blocks(text)
    if not blocks:
        if label:
            add_paragraph(parent, styles, "", style, label=label, p=p)
            return 1
        return 0
    for index, (kind, line) in enumerate(blocks):
        first = index == 0
        if kind in ("bullet", "tick"):
            item = add_paragraph(parent, styles, line, bullet_style if kind == "bullet" else "List Paragraph",
                                 label=label if first else "", p=p if first else None, notes=notes)
            set_list(item, styles.list_id(kind + ("-cell" if getattr(parent, "tag", None) == W_TC else "")))
        else:
            add_paragraph(parent, styles, line, style, label=label if first else "", p=p if first else None,
                          notes=notes)
    return len(blocks)


def set_list(p, num_id: int) -> None:
    """Make paragraph ``p`` an item of Word list ``num_id`` (level 0)."""
    ppr = p.find(W_PPR)
    if ppr is None:
        ppr = OxmlElement("w:pPr")
        p.insert(0, ppr)
    if all(child.tag == W_PSTYLE for child in ppr):
        # A fresh paragraph (at most its style): numPr goes straight after it, in schema order, without
        # python-docx's search for the insertion point (a third of a long report's time).
        num_pr = SubElement(ppr, W_NUMPR)
        SubElement(num_pr, W_ILVL).set(W_VAL, "0")
        SubElement(num_pr, W_NUMID).set(W_VAL, str(num_id))
    else:
        ppr._insert_numPr(parse_xml(f'<w:numPr {nsdecls("w")}><w:ilvl w:val="0"/><w:numId w:val="{num_id}"/>'
                                    '</w:numPr>'))


def set_hanging_indent(p, *, left_cm: float, hanging_cm: float) -> None:
    ind = p.get_or_add_pPr().get_or_add_ind()
    ind.left = Cm(left_cm)
    ind.hanging = Cm(hanging_cm)


def add_page_break(document: Document) -> None:
    p = document.element.body.add_p()
    p.add_r().append(OxmlElement("w:br", attrs={qn("w:type"): "page"}))


def add_picture(document: Document, image: bytes, width_cm: float, align=WD_ALIGN_PARAGRAPH.LEFT) -> None:
    """A picture (its bytes, as kept in the database) in a paragraph of its own."""
    document.add_picture(io.BytesIO(image), width=Cm(width_cm))
    document.paragraphs[-1].alignment = align


def save_docx(document: Document, target: str | os.PathLike[str]) -> Path:
    """Save atomically (a temporary file renamed into place); any failure is one plain sentence and
    leaves the old file, if any, as it was."""
    unique_drawing_ids(document)
    return atomic_write(Path(target), lambda temp: document.save(str(temp)))


def unique_drawing_ids(document: Document) -> None:
    """Number every picture's ``wp:docPr`` id once across the body, headers and footers: python-docx
    counts per part, so a template's header logo and the title page's logo both got id 1, which Word
    repairs as a damaged file."""
    parts = [document.part] + [rel.target_part for rel in document.part.rels.values()
                               if not rel.is_external and rel.reltype.endswith(("/header", "/footer"))]
    next_id = 1
    for part in parts:
        element = getattr(part, "element", None)
        if element is None:
            continue
        for doc_pr in element.iter(W_DOCPR):
            doc_pr.set("id", str(next_id))
            next_id += 1


# --- tables ------------------------------------------------------------------------------------------


@dataclass
class Cell:
    """One cell of a table row.

    ``span`` is how many grid columns it covers (a horizontal merge); ``merge`` is "restart" to
    start a vertical merge or "continue" to extend the cell above down into this row (its text is
    ignored). ``label`` is a bold lead-in ("Recommendation 3:"); ``text`` may hold several lines and
    bullet lines; ``fill`` is a background colour such as "D9E2F3".
    """

    text: object = ""
    span: int = 1
    merge: str | None = None
    bold: bool = False
    label: str = ""
    italic: bool = False
    fill: str | None = None
    style: str | None = None


class TableBuilder:
    """A table appended to a document and filled row by row, in linear time.

    ``widths_cm`` fixes the columns (Word and LibreOffice both honour the grid and cell widths).
    """

    def __init__(self, document: Document, widths_cm: Sequence[float], *, style: str = "Table Grid",
                 styles: StyleIds | None = None) -> None:
        self.document = document
        self.styles = styles or StyleIds(document)
        # A partnership's template may have narrower paper or wider margins than the A4 the widths were
        # chosen for: the table is scaled down to fit between its margins (seen on a Letter template).
        available = text_width_cm(document.sections[-1])
        if sum(widths_cm) > available > 0:
            widths_cm = [w * available / sum(widths_cm) for w in widths_cm]
        self.widths = [Cm(w) for w in widths_cm]
        self.twips = [round(w * 567) for w in widths_cm]  # 1 cm = 566.9 twentieths of a point
        self.table = document.add_table(rows=0, cols=len(widths_cm))
        self.table.style = style
        self.table.autofit = False  # a fixed layout: long words never widen a column
        self.tbl = self.table._tbl
        for grid_col, width in zip(self.tbl.tblGrid.gridCol_lst, self.widths, strict=True):
            grid_col.w = width
        self.rows = 0

    def header(self, titles: Iterable[str], *, fill: str | None = HEADER_FILL):
        """The heading row: bold, repeated at the top of every page the table runs onto."""
        return self.row([Cell(t, bold=True, fill=fill) for t in titles], header=True)

    def row(self, cells: Sequence[Cell | str], *, header: bool = False, cant_split: bool = True,
            keep_with_next: bool = False):
        """Append a row. ``cant_split`` keeps the row on one page when it fits on one;
        ``keep_with_next`` keeps it on the same page as the row after it (a question and the
        recommendation agreed on it)."""
        cells = [c if isinstance(c, Cell) else Cell(c) for c in cells]
        if sum(c.span for c in cells) != len(self.widths):
            raise ValueError(f"a row of this table must cover {len(self.widths)} columns")
        tr = SubElement(self.tbl, W_TR)
        if cant_split or header:
            tr_pr = SubElement(tr, W_TRPR)  # children in schema order: cantSplit before tblHeader
            if cant_split:
                SubElement(tr_pr, W_CANTSPLIT)
            if header:
                SubElement(tr_pr, W_TBLHEADER)
        column = 0
        for cell in cells:
            # tcPr children in schema order: tcW, gridSpan, vMerge, shd; then the cell's paragraph.
            tc = SubElement(tr, W_TC)
            tc_pr = SubElement(tc, W_TCPR)
            width = sum(self.twips[column:column + cell.span])
            SubElement(tc_pr, W_TCW, {W_W: str(width), W_TYPE: "dxa"})
            if cell.span > 1:
                SubElement(tc_pr, W_GRIDSPAN, {W_VAL: str(cell.span)})
            if cell.merge == "restart":
                SubElement(tc_pr, W_VMERGE, {W_VAL: "restart"})
            elif cell.merge == "continue":
                SubElement(tc_pr, W_VMERGE)  # no value means continue
            if cell.fill:
                SubElement(tc_pr, W_SHD, {W_VAL: "clear", W_COLOR: "auto", W_FILL: cell.fill})
            p = SubElement(tc, W_P)  # a cell must hold at least one paragraph
            column += cell.span
            if cell.merge != "continue":
                self._fill(tc, cell, p)
        if keep_with_next:
            for p in tr.iter(W_P):
                p.get_or_add_pPr().keepNext_val = True
        self.rows += 1
        return tr

    def _fill(self, tc, cell: Cell, first_p) -> None:
        if cell.bold or cell.italic:
            add_paragraph(tc, self.styles, cell.text, cell.style, label=cell.label, bold=cell.bold,
                          italic=cell.italic, p=first_p)
        else:
            add_text(tc, self.styles, cell.text, cell.style, label=cell.label, p=first_p)


__all__ = [
    "A4_MARGIN_CM", "BULLET_MARKS", "Cell", "StyleIds", "TableBuilder", "add_field", "add_page_break",
    "add_page_x_of_y", "add_paragraph", "add_picture", "add_run", "add_text", "body_of", "clean_text",
    "new_document", "save_docx", "set_a4_portrait", "set_core_properties", "set_header_text", "set_hanging_indent",
    "set_list",
    "text_blocks", "text_width_cm",
]
