"""files that belong to the database: an attachment table (bytes, media type, size, checksum) and the
partnership's logo kept in it instead of as a path on one machine

An existing logo file (an absolute path, or a picture shipped with the app such as the demo's) is
copied in; one that cannot be found or read is left named in ``logo_path`` so the partnership form and
the exports say it is missing and ask for it again. The copy is checked only by its first bytes (PNG or
JPEG): the app's full check decodes the image, which needs libraries a migration should not.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-02
"""
import hashlib
from datetime import datetime, timezone
from pathlib import Path
import uuid

import sqlalchemy as sa
from alembic import op

revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None

MAX_BYTES = 20 * 1024 * 1024
MEDIA_TYPES = ((b"\x89PNG\r\n\x1a\n", "image/png"), (b"\xff\xd8\xff", "image/jpeg"))


def _logo_file(stored: str) -> Path:
    from lgf_desktop.paths import resource  # a name without a folder is a picture shipped with the app

    path = Path(stored).expanduser()
    return path if path.is_absolute() else resource(stored)


def _read_logo(stored: str) -> tuple[bytes, str] | None:
    try:
        path = _logo_file(stored)
        if not path.is_file() or path.stat().st_size > MAX_BYTES:
            return None
        data = path.read_bytes()
    except (OSError, ValueError):
        return None
    kind = next((media for magic, media in MEDIA_TYPES if data.startswith(magic)), None)
    return (data, kind) if kind else None


def upgrade() -> None:
    op.create_table('attachment',
    sa.Column('name', sa.String(length=300), nullable=False),
    sa.Column('media_type', sa.String(length=100), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('data', sa.LargeBinary(), nullable=False),
    sa.Column('added_at', sa.DateTime(), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('uuid', sa.String(length=36), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_attachment')),
    sa.UniqueConstraint('uuid', name=op.f('uq_attachment_uuid'))
    )
    op.create_index(op.f('ix_attachment_sha256'), 'attachment', ['sha256'], unique=False)
    with op.batch_alter_table("partnership") as batch:
        batch.add_column(sa.Column("logo_id", sa.Integer(), nullable=True))
        batch.create_foreign_key(op.f("fk_partnership_logo_id_attachment"), "attachment", ["logo_id"], ["id"],
                                 ondelete="SET NULL")

    bind = op.get_bind()
    attachment = sa.table("attachment", *(sa.column(c) for c in
                                         ("id", "uuid", "name", "media_type", "size", "sha256", "data", "added_at")))
    partnership = sa.table("partnership", sa.column("id"), sa.column("logo_path"), sa.column("logo_id"))
    for row in bind.execute(sa.select(partnership.c.id, partnership.c.logo_path)
                            .where(partnership.c.logo_path != "")).all():
        found = _read_logo(row.logo_path)
        if found is None:
            continue  # left named in logo_path: the form and the exports say it is missing
        data, media_type = found
        logo_id = bind.execute(attachment.insert().values(
            uuid=str(uuid.uuid4()), name=Path(row.logo_path).name[:300], media_type=media_type, size=len(data),
            sha256=hashlib.sha256(data).hexdigest(), data=data,
            added_at=datetime.now(timezone.utc).replace(tzinfo=None)).returning(attachment.c.id)).scalar_one()
        bind.execute(partnership.update().where(partnership.c.id == row.id).values(logo_id=logo_id, logo_path=""))


def downgrade() -> None:
    with op.batch_alter_table("partnership") as batch:
        batch.drop_constraint(op.f("fk_partnership_logo_id_attachment"), type_="foreignkey")
        batch.drop_column("logo_id")
    op.drop_index(op.f('ix_attachment_sha256'), table_name='attachment')
    op.drop_table('attachment')
