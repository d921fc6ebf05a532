"""what the seed report does that the Word export could not say: a note on an attendee or an
apology, a recommendation's full wording for the recommendations table, a response covering the
question above too, a question left blank on purpose, and the report's numbered appendices

Existing rows keep printing as before: empty notes and wordings, no merged or blank-on-purpose
responses, and no appendix rows (the question template alone, as Appendix 1).

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-02
"""
import sqlalchemy as sa
from alembic import op

revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("representative") as batch:
        batch.add_column(sa.Column("note", sa.Text(), nullable=False, server_default=""))
    with op.batch_alter_table("recommendation") as batch:
        batch.add_column(sa.Column("full_text", sa.Text(), nullable=False, server_default=""))
    with op.batch_alter_table("response") as batch:
        batch.add_column(sa.Column("answered_above", sa.Boolean(), nullable=False, server_default="0"))
        batch.add_column(sa.Column("not_discussed", sa.Boolean(), nullable=False, server_default="0"))
    op.create_table(
        "report_appendix",
        sa.Column("round_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), server_default="1", nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("uuid", sa.String(length=36), nullable=False),
        sa.ForeignKeyConstraint(["round_id"], ["round.id"], name=op.f("fk_report_appendix_round_id_round"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_report_appendix")),
        sa.UniqueConstraint("uuid", name=op.f("uq_report_appendix_uuid")),
    )
    op.create_index(op.f("ix_report_appendix_round_id"), "report_appendix", ["round_id"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_report_appendix_round_id"), table_name="report_appendix")
    op.drop_table("report_appendix")
    with op.batch_alter_table("response") as batch:
        batch.drop_column("not_discussed")
        batch.drop_column("answered_above")
    with op.batch_alter_table("recommendation") as batch:
        batch.drop_column("full_text")
    with op.batch_alter_table("representative") as batch:
        batch.drop_column("note")
