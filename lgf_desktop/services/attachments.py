"""Files kept in the database (no Qt): adding one from bytes or a file, with its size limit, and
reading it back. The same file added twice is kept once."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from ..errors import UserError
from ..models import Attachment


@dataclass(frozen=True)
class KeptTemplate:
    """The partnership's Word template as kept in the database: its name when chosen and its bytes."""

    name: str
    data: bytes = field(repr=False)


MAX_ATTACHMENT_BYTES = 20 * 1024 * 1024  # a whole file is read into memory and sent over the network
MAX_ATTACHMENT_WORDS = "20 MB"


def too_large(name: str, size: int) -> UserError:
    return UserError(f"{name} is {size / (1024 * 1024):.1f} MB; a file kept in the database can be at most "
                     f"{MAX_ATTACHMENT_WORDS}, so choose a smaller one.")


def read_for_attachment(path: str | Path) -> bytes:
    """A file's bytes, refused with a sentence when missing, unreadable or over the size limit."""
    path = Path(path).expanduser()
    try:
        if not path.is_file():
            raise UserError(f"The file {path} cannot be found.")
        size = path.stat().st_size
        if size > MAX_ATTACHMENT_BYTES:
            raise too_large(path.name, size)
        with path.open("rb") as handle:
            # At most one byte past the limit: a file growing while read cannot exceed it.
            data = handle.read(MAX_ATTACHMENT_BYTES + 1)
    except PermissionError as exc:
        raise UserError(f"{path.name} cannot be read: permission denied.") from exc
    except OSError as exc:
        raise UserError(f"{path.name} cannot be read: {exc.strerror or exc}.") from exc
    if len(data) > MAX_ATTACHMENT_BYTES:
        raise too_large(path.name, len(data))
    return data


def add_attachment(session: Session, name: str, data: bytes, media_type: str) -> Attachment:
    """Keep ``data`` in the database (the row already there when the same bytes were added before)."""
    if len(data) > MAX_ATTACHMENT_BYTES:
        raise too_large(name, len(data))
    digest = hashlib.sha256(data).hexdigest()
    for existing in session.scalars(select(Attachment).where(Attachment.sha256 == digest)):
        if existing.data == data and existing.media_type == media_type:
            return existing
    attachment = Attachment(name=Path(name).name[:300] or "file", media_type=media_type, size=len(data),
                            sha256=digest, data=data)
    session.add(attachment)
    session.flush()
    return attachment


def forget_if_unused(session: Session, attachment: Attachment | None) -> None:
    """Delete an attachment nothing refers to any more (the partnership's logo and Word template refer to one)."""
    from ..models import Partnership

    if attachment is None:
        return
    session.flush()
    if session.scalar(select(Partnership.id).where(or_(Partnership.logo_id == attachment.id,
                                                      Partnership.word_template_id == attachment.id))
                      .limit(1)) is None:
        session.delete(attachment)
        session.flush()
