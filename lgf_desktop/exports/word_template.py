"""The Word template every export starts from: the partnership's own (.docx or .dotx) or the one
shipped with the app (``resources/word/report-template.docx``, a UK document in Arial).

A chosen template brings its styles, fonts, colours, page setup, header and footer (with its logo);
its body text is dropped. The exports write with built-in style names (Title, Heading 1, List Bullet,
Table Grid…), so the content takes the template's look. ``check_template`` says whether a file can be
used — it must open, and must not be macro-enabled (a .docm/.dotm, or a package with a VBA project, is
refused: an export must never carry code) — and which of the styles the exports use it lacks; those
are copied in from the app's own template, so the document is always complete.
"""

from __future__ import annotations

import copy
import io
import os
import zipfile
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import docx
from docx.document import Document
from docx.enum.style import WD_STYLE_TYPE
from docx.oxml.ns import qn

from ..errors import UserError
from ..paths import resource
from ..services.attachments import read_for_attachment
from ..services.attachments import KeptTemplate

DEFAULT_TEMPLATE = "word/report-template.docx"
TEMPLATE_SUFFIXES = (".docx", ".dotx")
MACRO_SUFFIXES = (".docm", ".dotm")
DOCUMENT_MAIN = b"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
TEMPLATE_MAIN = b"application/vnd.openxmlformats-officedocument.wordprocessingml.template.main+xml"
# The styles the exports write with, by their built-in names (as python-docx names them).
NEEDED_STYLES = (
    ("Normal", WD_STYLE_TYPE.PARAGRAPH), ("Title", WD_STYLE_TYPE.PARAGRAPH), ("Subtitle", WD_STYLE_TYPE.PARAGRAPH),
    ("Heading 1", WD_STYLE_TYPE.PARAGRAPH), ("Heading 2", WD_STYLE_TYPE.PARAGRAPH),
    ("List Bullet", WD_STYLE_TYPE.PARAGRAPH), ("List Paragraph", WD_STYLE_TYPE.PARAGRAPH),
    ("Header", WD_STYLE_TYPE.PARAGRAPH), ("Footer", WD_STYLE_TYPE.PARAGRAPH),
    ("footnote text", WD_STYLE_TYPE.PARAGRAPH), ("footnote reference", WD_STYLE_TYPE.CHARACTER),
    ("Hyperlink", WD_STYLE_TYPE.CHARACTER), ("Table Grid", WD_STYLE_TYPE.TABLE),
)
# Word writes these into a document only once they are first used, so most templates lack them: they
# are added without a word.
ADDED_QUIETLY = ("footnote text", "footnote reference", "Hyperlink")


@dataclass(frozen=True)
class TemplateCheck:
    """What checking a template found: the styles it lacks (the app's own are used for those)."""

    name: str
    missing_styles: tuple[str, ...] = ()

    def summary(self) -> str:
        if not self.missing_styles:
            return f"{self.name} has every style the exports use."
        names = ", ".join(self.missing_styles)
        return (f"{self.name} has no style for {names}: LGF Desktop's own "
                f"{'is' if len(self.missing_styles) == 1 else 'are'} used for "
                f"{'it' if len(self.missing_styles) == 1 else 'those'}.")


# A template named at export time (a file), the partnership's kept in the database, or None/"" for the app's own.
TemplateSource = str | os.PathLike[str] | KeptTemplate | None


def default_template() -> Path:
    return resource(DEFAULT_TEMPLATE)


def template_file_bytes(path: str | os.PathLike[str]) -> bytes:
    """A template file's bytes, refused with a sentence when it is macro-enabled, not a Word file by its
    name, a folder, missing, unreadable or larger than a file kept in the database may be."""
    path = Path(path).expanduser()
    name = path.name
    if path.suffix.lower() in MACRO_SUFFIXES:
        raise UserError(f"{name} is a macro-enabled Word file; save the template as a .docx or .dotx "
                        "(without macros) and choose that.")
    if path.suffix.lower() not in TEMPLATE_SUFFIXES:
        raise UserError(f"{name} is not a Word document or template: choose a .docx or .dotx file.")
    if path.is_dir():
        raise UserError(f"{path} is a folder, not a Word template.")
    if not path.exists():
        raise UserError(f"The Word template {path} cannot be found.")
    return read_for_attachment(path)


def _package_bytes(source: str | os.PathLike[str] | KeptTemplate) -> tuple[bytes, str]:
    """The template's bytes as a Word document package (a .dotx's main part relabelled) and its name
    for sentences, or UserError. The checks run on the bytes, wherever they came from."""
    if isinstance(source, KeptTemplate):
        data, name = source.data, source.name
    else:
        data, name = template_file_bytes(source), Path(source).name
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            names = package.namelist()
            types = package.read("[Content_Types].xml")
    except (zipfile.BadZipFile, KeyError):
        raise UserError(f"{name} is not a Word file that can be opened (it may be damaged or of another "
                        "program).") from None
    if any(n.lower().endswith("vbaproject.bin") for n in names) or b"macroEnabled" in types:
        raise UserError(f"{name} contains macros; save the template as a .docx or .dotx without macros and "
                        "choose that.")
    if TEMPLATE_MAIN in types:
        # python-docx opens documents only: the same package labelled a document is the template's content.
        out = io.BytesIO()
        with zipfile.ZipFile(io.BytesIO(data)) as source_zip, \
                zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
            for item in source_zip.infolist():
                content = source_zip.read(item.filename)
                if item.filename == "[Content_Types].xml":
                    content = content.replace(TEMPLATE_MAIN, DOCUMENT_MAIN)
                target.writestr(item, content)
        data = out.getvalue()
    elif DOCUMENT_MAIN not in types:
        raise UserError(f"{name} is not a Word document or template (it holds no Word document part).")
    return data, name


def usable_package(source: str | os.PathLike[str] | KeptTemplate) -> None:
    """The package-level check (it exists, is a Word file, holds no macros) without parsing it: the
    export opens the template once, and a part it cannot read is refused then."""
    _package_bytes(source)


def _open(source: str | os.PathLike[str] | KeptTemplate) -> tuple[Document, str]:
    data, name = _package_bytes(source)
    try:
        return docx.Document(io.BytesIO(data)), name
    except Exception:  # noqa: BLE001 - any failure to read the package is the file's fault, said as such
        raise UserError(f"{name} could not be opened as a Word template (it may be damaged).") from None


def _has_style(document: Document, name: str, kind: WD_STYLE_TYPE) -> bool:
    try:
        return document.styles[name].type == kind
    except KeyError:
        return False


def check_template(source: str | os.PathLike[str] | KeptTemplate) -> TemplateCheck:
    """Open ``source`` (a file, or bytes about to be kept) as a Word template and list the styles it
    lacks; UserError when it cannot be used."""
    document, name = _open(source)
    missing = tuple(style for style, kind in NEEDED_STYLES
                    if style not in ADDED_QUIETLY and not _has_style(document, style, kind))
    return TemplateCheck(name, missing)


@lru_cache(maxsize=1)
def _default_bytes() -> bytes:
    return default_template().read_bytes()


def stored_template(stored: str | KeptTemplate) -> tuple[str | KeptTemplate, str | None]:
    """The partnership's template (kept in the database; a path is one named at an upgrade that could
    not be found) if it can be used, else "" (the app's own) and a sentence saying why: an export never
    fails because the template went missing or broke, it says so."""
    if not stored:
        return "", None
    if not isinstance(stored, KeptTemplate):
        return "", (f"The Word template {stored} was not found when this database was upgraded to keep its "
                    "template inside it; LGF Desktop's own template was used instead.")
    try:
        usable_package(stored)
    except UserError as exc:
        return "", f"{exc} LGF Desktop's own template was used instead."
    return stored, None


def open_template(source: TemplateSource) -> Document:
    """A new document with the template's styles, page setup, header and footer and an empty body.
    ``None`` (or "") is the app's own template."""
    if not source:
        document = docx.Document(io.BytesIO(_default_bytes()))
    else:
        document, _name = _open(source)
        _add_missing_styles(document)
        _drop_styles_with_effects(document)
    body = document.element.body
    for child in list(body):
        if child.tag != qn("w:sectPr"):
            body.remove(child)
    return document


def _drop_styles_with_effects(document: Document) -> None:
    """Drop Word 2010's second copy of the styles: once styles are added it would disagree with
    styles.xml, which Word may call unreadable content (Word writes a new one when it saves)."""
    for rels in (document.part.rels,):
        for r_id, rel in list(rels.items()):
            if rel.reltype.endswith("/stylesWithEffects"):
                del rels[r_id]


def _add_missing_styles(document: Document) -> None:
    """Copy the styles the template lacks from the app's own template (without list numbering, which
    would point into the other document's numbering part)."""
    own = None
    for name, kind in NEEDED_STYLES:
        if _has_style(document, name, kind):
            continue
        own = own or docx.Document(io.BytesIO(_default_bytes()))
        element = copy.deepcopy(own.styles[name].element)
        ppr = element.find(qn("w:pPr"))
        if ppr is not None and ppr.find(qn("w:numPr")) is not None:
            ppr.remove(ppr.find(qn("w:numPr")))
        based_on = element.find(qn("w:basedOn"))
        if based_on is not None and document.styles.element.get_by_id(based_on.get(qn("w:val"))) is None:
            element.remove(based_on)
        for link in element.findall(qn("w:link")):
            element.remove(link)
        document.styles.element.append(element)


__all__ = ["DEFAULT_TEMPLATE", "KeptTemplate", "TemplateCheck", "TemplateSource", "check_template",
           "default_template", "open_template", "stored_template", "template_file_bytes", "usable_package"]
