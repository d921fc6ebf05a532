"""regional collation: rounds imported from other partnerships (read-only, with when their file was
made), partnerships known only through such rounds, and organisations recognised across partnerships
(an optional ODS code, and the organisation the regional lead confirmed one to be)

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-02
"""
import sqlalchemy as sa
from alembic import op

revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("partnership") as batch:
        batch.add_column(sa.Column("imported", sa.Boolean(), nullable=False, server_default=sa.false()))
    with op.batch_alter_table("round") as batch:
        batch.add_column(sa.Column("read_only", sa.Boolean(), nullable=False, server_default=sa.false()))
        batch.add_column(sa.Column("exported_at", sa.DateTime(), nullable=True))
        batch.add_column(sa.Column("imported_at", sa.DateTime(), nullable=True))
    with op.batch_alter_table("organisation") as batch:
        batch.add_column(sa.Column("ods_code", sa.String(20), nullable=False, server_default=""))
        batch.add_column(sa.Column("same_as_id", sa.Integer(), nullable=True))
        batch.create_foreign_key("fk_organisation_same_as_id_organisation", "organisation", ["same_as_id"], ["id"],
                                 ondelete="SET NULL")
        batch.create_index("ix_organisation_ods_code", ["ods_code"])


def downgrade() -> None:
    with op.batch_alter_table("organisation") as batch:
        batch.drop_index("ix_organisation_ods_code")
        batch.drop_constraint("fk_organisation_same_as_id_organisation", type_="foreignkey")
        batch.drop_column("same_as_id")
        batch.drop_column("ods_code")
    with op.batch_alter_table("round") as batch:
        batch.drop_column("imported_at")
        batch.drop_column("exported_at")
        batch.drop_column("read_only")
    with op.batch_alter_table("partnership") as batch:
        batch.drop_column("imported")
