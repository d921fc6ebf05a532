"""The partnership's own details after the first round: its name, region, logo and Word template (no Qt).

The logo is shown on the Section 11 report's title page and header, the question template and the
audit learning brief. A chosen image is checked and its bytes KEPT IN THE DATABASE (``attachments``):
the original often sits in Downloads, an e-mail attachment folder or a network drive that is not
there offline, and on a shared database every person's exports need the same picture, not a path on
one machine. A database from before 0010 whose logo file could not be found at the upgrade still
names it in ``logo_path``; the form and the exports say it is missing.

The Word template every export starts from is kept the same way (an attachment, since 0013), checked
on its bytes before they are kept; ``word_template`` names only a file an upgrade could not find.
"""

from __future__ import annotations

import io
from pathlib import Path

from sqlalchemy.orm import Session

from ..errors import UserError
from ..models import Partnership
from ..paths import resource
from .attachments import KeptTemplate, add_attachment, forget_if_unused, read_for_attachment
from .editing import set_partnership
from .review.rounds import the_partnership

TEMPLATE_MEDIA_TYPES = {
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".dotx": "application/vnd.openxmlformats-officedocument.wordprocessingml.template",
}
LOGO_FORMATS = {"PNG": "image/png", "JPEG": "image/jpeg"}  # what both python-docx and reportlab embed


def logo_bytes(partnership: Partnership | None) -> bytes | None:
    """The logo's bytes from the database; None when there is none."""
    if partnership is None or partnership.logo is None:
        return None
    return partnership.logo.data


def logo_problem(partnership: Partnership | None) -> str | None:
    """One sentence when the partnership's logo was lost at an upgrade (its file was not found), else None."""
    if partnership is None or partnership.logo is not None or not partnership.logo_path:
        return None
    return (f"The logo {partnership.logo_path} was not found when this database was upgraded to keep its logo "
            "inside it; the reports have no logo until it is chosen again.")


def check_logo_bytes(data: bytes, name: str) -> str:
    """The image's media type; raises UserError when it is not a readable PNG or JPEG image."""
    from PIL import Image, UnidentifiedImageError  # installed with reportlab; only needed here

    try:
        with Image.open(io.BytesIO(data)) as image:
            kind = image.format
            if kind in LOGO_FORMATS:
                image.load()  # decodes every pixel: a cut-short or damaged file fails here
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        raise UserError(f"{name} is not a readable PNG or JPEG image.") from exc
    if kind not in LOGO_FORMATS:
        raise UserError(f"{name} is a {kind} image; the logo must be a PNG or JPEG image.")
    return LOGO_FORMATS[kind]


def check_logo(path: str | Path) -> str:
    """The image file's media type; raises UserError when it is missing, too large or not a readable one."""
    path = Path(path).expanduser()
    return check_logo_bytes(read_for_attachment(path), path.name)


def _required(session: Session) -> Partnership:
    partnership = the_partnership(session)
    if partnership is None:
        raise UserError("Give the partnership a name first.")
    return partnership


def rename_partnership(session: Session, name: str) -> Partnership:
    """Set the name (creating the partnership on a new database); an empty name is refused."""
    partnership = the_partnership(session)
    return set_partnership(session, name, partnership.region if partnership else "")


def set_region(session: Session, region: str) -> Partnership:
    partnership = _required(session)
    partnership.region = region.strip()
    session.flush()
    return partnership


def set_logo(session: Session, source: str | Path) -> Partnership:
    """Check the image and keep it in the database as the partnership's logo from now on."""
    partnership = _required(session)
    source = Path(source).expanduser()
    if not source.is_absolute() and not source.exists():
        source = resource(str(source))  # a picture shipped with the app (the demo's)
    data = read_for_attachment(source)
    media_type = check_logo_bytes(data, source.name)
    previous = partnership.logo
    partnership.logo = add_attachment(session, source.name, data, media_type)
    partnership.logo_path = ""
    session.flush()
    if previous is not None and previous is not partnership.logo:
        forget_if_unused(session, previous)
    return partnership


def remove_logo(session: Session) -> Partnership:
    """No logo on the reports (the picture leaves the database with it)."""
    partnership = _required(session)
    previous = partnership.logo
    partnership.logo = None
    partnership.logo_path = ""
    session.flush()
    forget_if_unused(session, previous)
    return partnership


# --- the partnership's Word template ------------------------------------------------------------------


def word_template_source(partnership: Partnership | None) -> KeptTemplate | str:
    """What the exports start from: the template kept in the database; else the path an upgrade could
    not find (the exports say it is missing and use the app's own); else "" for the app's own."""
    if partnership is None:
        return ""
    kept = partnership.word_template_file
    if kept is not None:
        return KeptTemplate(kept.name, kept.data)
    return partnership.word_template


def word_template_problem(partnership: Partnership | None) -> str | None:
    """One sentence when the partnership's Word template was lost at an upgrade (its file was not
    found), else None. Whether the kept bytes can be used was checked when they were chosen."""
    if partnership is None or partnership.word_template_file is not None or not partnership.word_template:
        return None
    return (f"The Word template {partnership.word_template} was not found when this database was upgraded to "
            "keep its template inside it; the exports use LGF Desktop's own until it is chosen again.")


def set_word_template(session: Session, source: str | Path) -> str:
    """Check the Word template and keep its bytes in the database (like the logo: the original may be
    on a drive that is not there offline, and everyone on a shared database needs the same one), used
    for every export from now on. Returns what the check found (the styles it lacks, which the app's
    own replace); a file that cannot be used is refused with ``UserError`` and nothing changes."""
    from ..exports.word_template import check_template, template_file_bytes

    partnership = _required(session)
    source = Path(source).expanduser()
    data = template_file_bytes(source)
    # The macro refusal and the style check run on the very bytes that are kept.
    found = check_template(KeptTemplate(source.name, data))
    media_type = TEMPLATE_MEDIA_TYPES[source.suffix.lower()]
    previous = partnership.word_template_file
    partnership.word_template_file = add_attachment(session, source.name, data, media_type)
    partnership.word_template = ""
    session.flush()
    if previous is not None and previous is not partnership.word_template_file:
        forget_if_unused(session, previous)
    return found.summary()


def remove_word_template(session: Session) -> Partnership:
    """Back to the app's own template (its bytes leave the database with it)."""
    partnership = _required(session)
    previous = partnership.word_template_file
    partnership.word_template_file = None
    partnership.word_template = ""
    session.flush()
    forget_if_unused(session, previous)
    return partnership
