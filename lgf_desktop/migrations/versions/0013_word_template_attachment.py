"""files that belong to the database: the partnership's Word template kept in the attachment table
(like the logo in 0012) instead of as a copy beside one machine's database file

An existing template file (``word_template`` held its absolute path) is copied in when it is there, no
larger than an attachment may be, a Word package (a zip) and without macros; one that cannot be found
or used is left named in ``word_template`` so the partnership form and the exports say it is missing
and the exports use the app's own template. The copy in the ``word-templates`` folder is left where it
is: older backups may name it.

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-02
"""
import hashlib
import io
import uuid
import zipfile
from datetime import datetime, timezone
from pathlib import Path

import sqlalchemy as sa
from alembic import op

revision = '0013'
down_revision = '0012'
branch_labels = None
depends_on = None

MAX_BYTES = 20 * 1024 * 1024
MEDIA_TYPES = {
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".dotx": "application/vnd.openxmlformats-officedocument.wordprocessingml.template",
}


def _read_template(stored: str) -> tuple[bytes, str] | None:
    try:
        path = Path(stored).expanduser()
        media_type = MEDIA_TYPES.get(path.suffix.lower())
        if media_type is None or not path.is_file() or path.stat().st_size > MAX_BYTES:
            return None
        data = path.read_bytes()
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            names = package.namelist()
            types = package.read("[Content_Types].xml")
    except (OSError, ValueError, KeyError, zipfile.BadZipFile):
        return None
    if any(n.lower().endswith("vbaproject.bin") for n in names) or b"macroEnabled" in types:
        return None  # an export must never carry code
    return data, media_type


def upgrade() -> None:
    with op.batch_alter_table("partnership") as batch:
        batch.add_column(sa.Column("word_template_id", sa.Integer(), nullable=True))
        batch.create_foreign_key(op.f("fk_partnership_word_template_id_attachment"), "attachment",
                                 ["word_template_id"], ["id"], ondelete="SET NULL")

    bind = op.get_bind()
    attachment = sa.table("attachment", *(sa.column(c) for c in
                                         ("id", "uuid", "name", "media_type", "size", "sha256", "data", "added_at")))
    partnership = sa.table("partnership", sa.column("id"), sa.column("word_template"),
                           sa.column("word_template_id"))
    for row in bind.execute(sa.select(partnership.c.id, partnership.c.word_template)
                            .where(partnership.c.word_template != "")).all():
        found = _read_template(row.word_template)
        if found is None:
            continue  # left named in word_template: the form and the exports say it is missing
        data, media_type = found
        digest = hashlib.sha256(data).hexdigest()
        template_id = bind.execute(sa.select(attachment.c.id).where(
            attachment.c.sha256 == digest, attachment.c.media_type == media_type).limit(1)).scalar()
        if template_id is None:
            template_id = bind.execute(attachment.insert().values(
                uuid=str(uuid.uuid4()), name=Path(row.word_template).name[:300], media_type=media_type,
                size=len(data), sha256=digest, data=data,
                added_at=datetime.now(timezone.utc).replace(tzinfo=None)).returning(attachment.c.id)).scalar_one()
        bind.execute(partnership.update().where(partnership.c.id == row.id)
                     .values(word_template_id=template_id, word_template=""))


def downgrade() -> None:
    with op.batch_alter_table("partnership") as batch:
        batch.drop_constraint(op.f("fk_partnership_word_template_id_attachment"), type_="foreignkey")
        batch.drop_column("word_template_id")
