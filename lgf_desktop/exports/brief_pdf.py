"""The one-page learning brief of a multi-agency audit, as an A4 PDF (reportlab).

What practitioners read after an audit: the partnership and its logo, theme and quarter, what was
done (counted from the data), the grade distribution as a chart, what is working well, what needs to
improve, the learning points, and clickable links to training and resources. DejaVu Sans is embedded
so names such as Siân or Łukasz print correctly. The brief is exactly one page: content that does
not fit is refused with what to shorten — it never spills onto a second page.
"""

from __future__ import annotations

import io
import re
from datetime import date
from pathlib import Path
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, Frame, Image, Paragraph, Spacer, Table, TableStyle
from sqlalchemy.orm import Session

from .. import APP_NAME, app_version
from ..atomic import atomic_write
from ..dates import day_month, long_date
from ..errors import UserError
from ..models import Audit
from ..paths import resource
from ..services.partnership import logo_bytes
from ..services.audit.findings import agencies_involved, distribution_by_agency, overall_distribution, points
from ..services.privacy.leaving import Place, clear_to_leave, scan_for_session

FONT, BOLD = "DejaVuSans", "DejaVuSans-Bold"
MARGIN = 14 * mm
ACCENT = colors.HexColor("#1f4e79")
NUMBER_WORDS = ("no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def _fonts() -> None:
    if FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont(FONT, str(resource("fonts/DejaVuSans.ttf"))))
        pdfmetrics.registerFont(TTFont(BOLD, str(resource("fonts/DejaVuSans-Bold.ttf"))))
        pdfmetrics.registerFontFamily(FONT, normal=FONT, bold=BOLD, italic=FONT, boldItalic=BOLD)


def _styles() -> dict[str, ParagraphStyle]:
    base = ParagraphStyle("body", fontName=FONT, bulletFontName=FONT, fontSize=9.5, leading=12.5)
    return {
        "body": base,
        "small": ParagraphStyle("small", parent=base, fontSize=7.5, leading=9.5, textColor=colors.HexColor("#444444")),
        "title": ParagraphStyle("title", parent=base, fontName=BOLD, fontSize=17, leading=21, textColor=ACCENT),
        "kicker": ParagraphStyle("kicker", parent=base, fontName=BOLD, fontSize=9, textColor=colors.HexColor("#555555")),
        "heading": ParagraphStyle("heading", parent=base, fontName=BOLD, fontSize=11, leading=14, textColor=ACCENT,
                                  spaceBefore=7, spaceAfter=2),
        "bullet": ParagraphStyle("bullet", parent=base, leftIndent=10, bulletIndent=1, spaceAfter=1.5),
    }


def _text(value: str) -> str:
    """Plain text made safe for a reportlab paragraph (no control characters, XML escaped)."""
    return escape(_CONTROL.sub("", value))


def _count(n: int) -> str:
    return NUMBER_WORDS[n] if 0 <= n < len(NUMBER_WORDS) else str(n)


class _Sketch(Flowable):
    """A fixed-size drawing of rectangles and text in the brief's own font (the charts)."""

    def __init__(self, width: float, height: float) -> None:
        super().__init__()
        self.width, self.height = width, height
        self.shapes: list[tuple] = []

    def rect(self, x: float, y: float, w: float, h: float, colour: str) -> None:
        self.shapes.append(("rect", x, y, w, h, colour))

    def text(self, x: float, y: float, text: str, size: float = 8.5) -> None:
        self.shapes.append(("text", x, y, text, size))

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        return self.width, self.height

    def draw(self) -> None:
        canvas = self.canv
        for shape in self.shapes:
            if shape[0] == "rect":
                _, x, y, w, h, colour = shape
                canvas.setFillColor(colors.HexColor(colour))
                canvas.rect(x, y, w, h, stroke=0, fill=1)
            else:
                _, x, y, text, size = shape
                canvas.setFillColor(colors.black)
                canvas.setFont(FONT, size)
                canvas.drawString(x, y, text)


def _tag(flowable: Flowable, section: str) -> Flowable:
    flowable._brief_section = section  # what to tell the user to shorten if this does not fit
    return flowable


def _logo(audit: Audit) -> Flowable | None:
    logo = logo_bytes(audit.partnership)
    if logo is None:
        return None
    image = Image(io.BytesIO(logo))
    scale = 16 * mm / image.imageHeight
    image.drawHeight, image.drawWidth = image.imageHeight * scale, image.imageWidth * scale
    return image


def _chart(session: Session, audit: Audit, width: float, styles: dict) -> list[Flowable]:
    counted, counts = overall_distribution(session, audit)
    options = [o for o in audit.grade_options if not o.is_not_applicable]
    total = sum(counts[o.id] for o in options)
    if not total:
        return [Paragraph("No grades have been recorded yet.", styles["body"])]
    row, label_w, number_w = 13, 42 * mm, 26 * mm
    drawing = _Sketch(width, row * len(options) + 2)
    bar_w = width - label_w - number_w
    biggest = max(counts[o.id] for o in options) or 1
    for index, option in enumerate(options):
        y = (len(options) - 1 - index) * row + 3
        drawing.text(0, y + 2, option.label)
        length = bar_w * counts[option.id] / biggest
        drawing.rect(label_w, y, max(length, 0.5), row - 4, option.colour)
        share = round(100 * counts[option.id] / total)
        drawing.text(label_w + length + 4, y + 2, f"{counts[option.id]} ({share}%)")
    note = Paragraph(f"{total} {counted} on the {_text(audit.scale_name)} scale, not counting 'not applicable'.", styles["small"])
    return [drawing, note, Spacer(1, 5), *_agency_chart(audit, width, styles)]


def _agency_chart(audit: Audit, width: float, styles: dict) -> list[Flowable]:
    """One bar per agency, split by the share of each grade its auditors gave."""
    options = [o for o in audit.grade_options if not o.is_not_applicable]
    rows = [(agency, counts) for agency, counts in distribution_by_agency(audit).items()
            if sum(counts[o.id] for o in options)]
    if len(rows) < 2:
        return []
    row, label_w = 13, 42 * mm
    bar_w = width - label_w - 4
    drawing = _Sketch(width, row * (len(rows) + 1) + 2)
    for index, (agency, counts) in enumerate(rows):
        y = (len(rows) - index) * row + 3
        drawing.text(0, y + 2, agency[:28])
        total, x = sum(counts[o.id] for o in options), label_w
        for option in options:
            length = bar_w * counts[option.id] / total
            if length:
                drawing.rect(x, y, max(length - 0.6, 0.3), row - 4, option.colour)  # a hairline gap between grades
            x += length
    x = label_w
    for option in options:  # the legend
        drawing.rect(x, 4, 7, 7, option.colour)
        drawing.text(x + 10, 4.5, option.label, 7.5)
        x += 16 + pdfmetrics.stringWidth(option.label, FONT, 7.5)
    caption = Paragraph("Share of each grade given by each agency's auditors.", styles["small"])
    return [drawing, caption]


def _bullets(text: str, style: ParagraphStyle, section: str, empty: str) -> list[Flowable]:
    items = points(text) or [empty]
    return [_tag(Paragraph(_text(p), style, bulletText="•"), section) for p in items]


def _story(session: Session, audit: Audit, width: float, *, children_named: bool = False) -> list[Flowable]:
    s = _styles()
    partnership = audit.partnership.name if audit.partnership else ""
    head = [Paragraph(_text(f"{partnership} · Multi-agency audit learning brief".lstrip(" ·")), s["kicker"]),
            Paragraph(_text(audit.theme), s["title"]),
            Paragraph(_text(audit.quarter or ""), s["kicker"])]
    logo = _logo(audit)
    if logo is not None:
        table = Table([[head, logo]], colWidths=[width - logo.drawWidth - 4 * mm, logo.drawWidth + 4 * mm])
        table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("FONTNAME", (0, 0), (-1, -1), FONT), ("ALIGN", (1, 0), (1, 0), "RIGHT"),
                                   ("LEFTPADDING", (0, 0), (-1, -1), 0), ("RIGHTPADDING", (0, 0), (-1, -1), 0)]))
        story: list[Flowable] = [_tag(table, "the title")]
    else:
        story = [_tag(f, "the title") for f in head]

    auditors = len(audit.auditors)
    agencies = agencies_involved(audit)
    when = ""
    if audit.start_date and audit.end_date:
        when = f" between {day_month(audit.start_date)} and {long_date(audit.end_date)}"
    did = (f"The quality-assurance sub-group audited {_count(len(audit.cases))} children's cases{when} on the theme "
           f"above. {_count(auditors).capitalize()} auditor{'s' if auditors != 1 else ''} from "
           f"{_count(len(agencies))} agenc{'ies' if len(agencies) != 1 else 'y'} ({', '.join(agencies) or 'none recorded'}) "
           f"graded each agency's involvement against the {len(audit.questions)} questions of the "
           f"{audit.tool_name or 'audit tool'}." + ("" if children_named else " Children are not named here."))
    story += [_tag(Paragraph("What we did", s["heading"]), "what we did"), _tag(Paragraph(_text(did), s["body"]), "what we did")]
    story.append(_tag(Paragraph("How the cases were graded", s["heading"]), "the chart"))
    story += [_tag(f, "the chart") for f in _chart(session, audit, width, s)]

    half = (width - 6 * mm) / 2
    well = [Paragraph("What is working well", s["heading"])] + _bullets(audit.working_well, s["bullet"], "", "Not recorded yet.")
    improve = [Paragraph("What needs to improve", s["heading"])] + _bullets(audit.needs_improve, s["bullet"], "", "Not recorded yet.")
    columns = Table([[well, improve]], colWidths=[half + 3 * mm, half + 3 * mm])
    columns.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("FONTNAME", (0, 0), (-1, -1), FONT), ("LEFTPADDING", (0, 0), (-1, -1), 0),
                                 ("RIGHTPADDING", (0, 0), (-1, -1), 6), ("BOTTOMPADDING", (0, 0), (-1, -1), 0)]))
    story.append(_tag(columns, "'What is working well' or 'What needs to improve'"))

    story.append(_tag(Paragraph("Learning points", s["heading"]), "the learning points"))
    story += _bullets(audit.key_learning, s["bullet"], "the learning points", "Not recorded yet.")
    if audit.links:
        story.append(_tag(Paragraph("Training and resources", s["heading"]), "the links"))
        for link in audit.links:
            url = _text(link.url)
            text = (f'<a href="{url}" color="#1a5fb4"><u>{_text(link.title)}</u></a> '
                    f'<font size="7" color="#666666">{url}</font>')
            story.append(_tag(Paragraph(text, s["bullet"], bulletText="•"), "the links"))
    story.append(Spacer(1, 4))
    story.append(_tag(Paragraph(_text(f"Published {long_date(date.today())}" + (f" by {partnership}" if partnership else "")
                                      + ". Please share this brief with your team."), s["small"]), "the footer"))
    return story


def brief_pieces(audit: Audit) -> list[tuple[Place, str]]:
    """The typed text the brief prints, each with its record (for "go to")."""
    pieces = [(Place(f"the brief's {name.replace('_', ' ')}", "audit", audit.uuid, name), getattr(audit, name))
              for name in ("theme", "quarter", "working_well", "needs_improve", "key_learning")]
    for link in audit.links:
        pieces += [(Place(f"the link '{link.title[:40]}'", "audit_link", link.uuid, name), getattr(link, name))
                   for name in ("title", "url")]
    return pieces


def write_brief(session: Session, audit: Audit, target: str | Path, *, override_identifying: bool = False) -> Path:
    """Write the audit's learning brief to ``target`` (one A4 page) and return the path. Refused with
    ``IdentifyingDataFound`` if its text holds identifying data, unless ``override_identifying``."""
    if audit.is_auditor_copy:
        raise UserError("The learning brief is published by the coordinator, from the coordinator's database.")
    findings = scan_for_session(session, brief_pieces(audit))
    clear_to_leave(session, f"The learning brief for '{audit.theme}'", findings, override=override_identifying,
                   record_uuid=audit.uuid)
    _fonts()
    width, height = A4
    story = _story(session, audit, width - 2 * MARGIN, children_named=bool(findings))

    def draw(path: Path) -> None:
        canvas = Canvas(str(path), pagesize=A4, pageCompression=1, initialFontName=FONT)
        canvas.setTitle(f"Learning brief: {audit.theme} {audit.quarter}".strip())
        canvas.setAuthor(audit.partnership.name if audit.partnership else "LGF Desktop")
        canvas.setSubject("Multi-agency audit learning brief")
        canvas.setCreator(f"{APP_NAME} {app_version()}")
        canvas.setFillColor(ACCENT)
        canvas.rect(0, height - 6 * mm, width, 6 * mm, stroke=0, fill=1)
        frame = Frame(MARGIN, MARGIN, width - 2 * MARGIN, height - 2 * MARGIN - 4 * mm, leftPadding=0, rightPadding=0,
                      topPadding=0, bottomPadding=0, showBoundary=0)
        left = list(story)
        frame.addFromList(left, canvas)
        if left:
            section = next((getattr(f, "_brief_section", "") for f in left if getattr(f, "_brief_section", "")), "the text")
            raise UserError(f"The learning brief does not fit on one A4 page: shorten {section} "
                            f"(or the sections above it) and export again.")
        canvas.showPage()
        canvas.save()

    return atomic_write(target, draw)
