"""The partnership's own details after the first round: its name, region and logo (no Qt).

The logo is shown on the Section 11 report's title page and header, the question template and the
audit learning brief. A chosen image is COPIED into a ``logos/`` folder beside the database and the
copy's path is stored: the original often sits in Downloads, an e-mail attachment folder or a
network drive that is not there offline, and the reports must keep working when it moves or goes.
"""

from __future__ import annotations

import hashlib
import re
import shutil
from pathlib import Path

from sqlalchemy.orm import Session

from ..atomic import atomic_write
from ..errors import UserError
from ..models import Partnership
from ..paths import resource
from .editing import set_partnership
from .review.rounds import the_partnership

LOGO_FOLDER = "logos"
TEMPLATE_FOLDER = "word-templates"
LOGO_FORMATS = {"PNG": ".png", "JPEG": ".jpg"}  # what both python-docx and reportlab embed
MAX_LOGO_BYTES = 20 * 1024 * 1024


def logo_location(logo_path: str) -> Path | None:
    """Where a stored logo path points: an absolute path, or a file shipped in the app's resources."""
    if not logo_path:
        return None
    path = Path(logo_path).expanduser()
    return path if path.is_absolute() else resource(logo_path)


def logo_problem(logo_path: str) -> str | None:
    """One sentence when the stored logo cannot be used by the exports, else None."""
    path = logo_location(logo_path)
    if path is None:
        return None
    try:
        check_logo(path)
    except UserError as exc:
        return f"{exc} The reports will have no logo until another is chosen."
    return None


def check_logo(path: str | Path) -> str:
    """The image's format ("PNG" or "JPEG"); raises UserError when it is not a readable one."""
    path = Path(path)
    if not path.is_file():
        raise UserError(f"The logo file {path} cannot be found.")
    if path.stat().st_size > MAX_LOGO_BYTES:
        raise UserError(f"{path.name} is larger than 20 MB; choose a smaller logo.")
    from PIL import Image, UnidentifiedImageError  # installed with reportlab; only needed here

    try:
        with Image.open(path) as image:
            kind = image.format
            if kind in LOGO_FORMATS:
                image.load()  # decodes every pixel: a cut-short or damaged file fails here
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        if isinstance(exc, PermissionError):
            raise UserError(f"{path.name} cannot be read: permission denied.") from exc
        raise UserError(f"{path.name} is not a readable PNG or JPEG image.") from exc
    if kind not in LOGO_FORMATS:
        raise UserError(f"{path.name} is a {kind} image; the logo must be a PNG or JPEG image.")
    return kind


def copy_logo(source: str | Path, database_folder: str | Path) -> Path:
    """Copy a checked image into ``logos/`` beside the database; the same picture is copied once."""
    source = Path(source)
    kind = check_logo(source)
    folder = Path(database_folder) / LOGO_FOLDER
    if source.resolve().parent == folder.resolve():
        return source.resolve()  # chosen from the logos folder itself: already a kept copy
    digest = hashlib.sha256(source.read_bytes()).hexdigest()[:10]
    stem = re.sub(r"[^A-Za-z0-9._-]+", "-", source.stem).strip("-.")[:60] or "logo"
    target = folder / f"{stem}-{digest}{LOGO_FORMATS[kind]}"
    if target.is_file():
        return target
    try:
        folder.mkdir(exist_ok=True)
    except OSError as exc:
        raise UserError(f"The folder {folder} could not be made: {exc.strerror or exc}.") from exc
    return atomic_write(target, lambda temp: shutil.copyfile(source, temp))


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


def set_logo(session: Session, source: str | Path, database_folder: str | Path) -> Partnership:
    """Check the image, keep a copy beside the database and use it from now on."""
    partnership = _required(session)
    partnership.logo_path = str(copy_logo(source, database_folder).resolve())
    session.flush()
    return partnership


def remove_logo(session: Session) -> Partnership:
    """No logo on the reports (the copied file stays in ``logos/``: old backups may point at it)."""
    partnership = _required(session)
    partnership.logo_path = ""
    session.flush()
    return partnership


# --- the partnership's Word template ------------------------------------------------------------------


def word_template_problem(stored: str) -> str | None:
    """One sentence when the stored Word template cannot be used by the exports, else None."""
    if not stored:
        return None
    from ..exports.word_template import check_template  # python-docx: only when a template is set

    try:
        check_template(stored)
    except UserError as exc:
        return f"{exc} The exports use LGF Desktop's own template until another is chosen."
    return None


def set_word_template(session: Session, source: str | Path, database_folder: str | Path) -> str:
    """Check the Word template, keep a copy beside the database (like the logo: the original may be
    on a drive that is not there offline) and use it for every export from now on. Returns what the
    check found (the styles it lacks, which the app's own replace); a file that cannot be used is
    refused with ``UserError`` and nothing changes."""
    from ..exports.word_template import check_template

    partnership = _required(session)
    source = Path(source).expanduser()
    found = check_template(source)
    folder = Path(database_folder) / TEMPLATE_FOLDER
    digest = hashlib.sha256(source.read_bytes()).hexdigest()[:10]
    stem = re.sub(r"[^A-Za-z0-9._-]+", "-", source.stem).strip("-.")[:60] or "template"
    target = folder / f"{stem}-{digest}{source.suffix.lower()}"
    if source.resolve() != target.resolve() and not target.is_file():
        try:
            folder.mkdir(exist_ok=True)
        except OSError as exc:
            raise UserError(f"The folder {folder} could not be made: {exc.strerror or exc}.") from exc
        atomic_write(target, lambda temp: shutil.copyfile(source, temp))
    partnership.word_template = str(target.resolve())
    session.flush()
    return found.summary()


def remove_word_template(session: Session) -> Partnership:
    """Back to the app's own template (the copy stays in its folder: old backups may point at it)."""
    partnership = _required(session)
    partnership.word_template = ""
    session.flush()
    return partnership
