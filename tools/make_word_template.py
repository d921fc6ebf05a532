"""Build the Word template shipped with LGF Desktop (``lgf_desktop/resources/word/report-template.docx``).

Run it after changing the house style: ``.venv/bin/python tools/make_word_template.py``. It starts
from python-docx's own blank document and makes it a proper UK document: British English proofing
(``w:lang`` in the style defaults, the theme font language in the settings), Arial throughout (a
readable sans font every Windows and Mac has; LibreOffice substitutes its metric twin Liberation
Sans), dark blue headings, the character styles the report uses for links and footnotes, and empty
core properties (the exports set their own author, never "python-docx" or a login name).
"""

from __future__ import annotations

import io
import re
import sys
import zipfile
from pathlib import Path

import docx
from docx.oxml import parse_xml
from docx.oxml.ns import qn

ROOT = Path(__file__).resolve().parent.parent
TARGET = ROOT / "lgf_desktop" / "resources" / "word" / "report-template.docx"
FONT = "Arial"
HEADING_COLOUR = "1F3864"  # a dark blue that prints well in greyscale too
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"

EXTRA_STYLES = f"""
<w:styles xmlns:w="{W}">
<w:style w:type="character" w:styleId="Hyperlink"><w:name w:val="Hyperlink"/><w:basedOn w:val="DefaultParagraphFont"/>
  <w:uiPriority w:val="99"/><w:unhideWhenUsed/><w:rPr><w:color w:val="0563C1"/><w:u w:val="single"/></w:rPr></w:style>
<w:style w:type="paragraph" w:styleId="FootnoteText"><w:name w:val="footnote text"/><w:basedOn w:val="Normal"/>
  <w:uiPriority w:val="99"/><w:unhideWhenUsed/><w:pPr><w:spacing w:after="0" w:line="240" w:lineRule="auto"/></w:pPr>
  <w:rPr><w:sz w:val="18"/><w:szCs w:val="18"/></w:rPr></w:style>
<w:style w:type="character" w:styleId="FootnoteReference"><w:name w:val="footnote reference"/>
  <w:basedOn w:val="DefaultParagraphFont"/><w:uiPriority w:val="99"/><w:unhideWhenUsed/>
  <w:rPr><w:vertAlign w:val="superscript"/></w:rPr></w:style>
</w:styles>"""


def set_fonts(rpr) -> None:
    """Replace theme fonts with the house font in one run-properties element."""
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = parse_xml(f'<w:rFonts xmlns:w="{W}"/>')
        rpr.insert(0, fonts)
    for attr in list(fonts.attrib):
        del fonts.attrib[attr]
    for attr in ("ascii", "hAnsi", "eastAsia", "cs"):
        fonts.set(qn(f"w:{attr}"), FONT)


def build() -> bytes:
    document = docx.Document()
    styles = document.styles.element
    defaults = styles.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    set_fonts(defaults)
    lang = defaults.find(qn("w:lang"))
    lang.set(qn("w:val"), "en-GB")
    lang.set(qn("w:eastAsia"), "en-GB")
    for style in styles.findall(qn("w:style")):
        rpr = style.find(qn("w:rPr"))
        if rpr is None:
            continue
        if rpr.find(qn("w:rFonts")) is not None:
            set_fonts(rpr)
        style_id = style.get(qn("w:styleId"))
        if re.fullmatch(r"Heading[1-9](Char)?|Title(Char)?", style_id or ""):
            colour = rpr.find(qn("w:color"))
            if colour is not None:
                for attr in list(colour.attrib):
                    del colour.attrib[attr]
                colour.set(qn("w:val"), HEADING_COLOUR)
    for style in parse_xml(EXTRA_STYLES).findall(qn("w:style")):
        if styles.find(f"{qn('w:style')}[@{qn('w:styleId')}='{style.get(qn('w:styleId'))}']") is None:
            styles.append(style)
    settings = document.settings.element
    settings.find(qn("w:themeFontLang")).set(qn("w:val"), "en-GB")
    settings.find(qn("w:themeFontLang")).attrib.pop(qn("w:eastAsia"), None)
    # Word 2010's copy of the styles (it would keep the old fonts) and the blank page's thumbnail go.
    for rels in (document.part.rels, document.part.package.rels):
        for rid, rel in list(rels.items()):
            if rel.reltype.endswith(("/stylesWithEffects", "/thumbnail")):
                del rels[rid]
    props = document.core_properties
    props.author = props.last_modified_by = props.title = props.subject = props.comments = props.keywords = ""
    props.revision = 1
    buffer = io.BytesIO()
    document.save(buffer)
    return _theme_fonts(buffer.getvalue())


def _theme_fonts(package: bytes) -> bytes:
    """The theme's heading and body fonts become the house font too (Word's font menu shows them)."""
    source = zipfile.ZipFile(io.BytesIO(package))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "word/theme/theme1.xml":
                data = re.sub(rb'(<a:(?:major|minor)Font><a:latin typeface=")[^"]*"', rb'\g<1>' + FONT.encode() + b'"', data)
            target.writestr(item, data)
    return out.getvalue()


def main() -> int:
    TARGET.parent.mkdir(parents=True, exist_ok=True)
    TARGET.write_bytes(build())
    print(f"Wrote {TARGET.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
