"""record versions on every record edited on screens, and earlier versions of each response

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-01

Each record a screen edits gets ``version`` (1 for what is already there), raised on every change,
so a save made from a screen that loaded an older version is refused instead of overwriting.
``response_version`` keeps earlier texts of each response (see ``services.review.response_versions``).
Grades and case summaries already carry a ``version`` (the audit merge's), which is reused.
"""
import sqlalchemy as sa
from alembic import op

revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None

VERSIONED = ("response", "recommendation", "review", "round", "representative", "progress_note")


def upgrade() -> None:
    for table in VERSIONED:
        with op.batch_alter_table(table) as batch_op:
            batch_op.add_column(sa.Column("version", sa.Integer(), nullable=False, server_default="1"))
    op.create_table(
        "response_version",
        sa.Column("response_id", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("saved_at", sa.DateTime(), nullable=False),
        sa.Column("author", sa.String(length=200), nullable=False),
        sa.Column("reason", sa.String(length=40), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("uuid", sa.String(length=36), nullable=False),
        sa.ForeignKeyConstraint(["response_id"], ["response.id"],
                                name=op.f("fk_response_version_response_id_response"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_response_version")),
        sa.UniqueConstraint("uuid", name=op.f("uq_response_version_uuid")),
    )
    op.create_index("ix_response_version_response_saved", "response_version", ["response_id", "saved_at", "id"])
    # What is already there is where each response's history starts.
    if op.get_context().dialect.name == "postgresql":  # the same rows; PostgreSQL makes UUIDs itself
        op.execute("INSERT INTO response_version (response_id, text, saved_at, author, reason, uuid) "
                   "SELECT id, text, updated_at, '', 'upgrade', gen_random_uuid()::text FROM response WHERE text != ''")
        return
    op.execute("INSERT INTO response_version (response_id, text, saved_at, author, reason, uuid) "
               "SELECT id, text, updated_at, '', 'upgrade', lower(hex(randomblob(4))) || '-' || "
               "lower(hex(randomblob(2))) || '-4' || substr(lower(hex(randomblob(2))), 2) || '-' || "
               "substr('89ab', 1 + (abs(random()) % 4), 1) || substr(lower(hex(randomblob(2))), 2) || '-' || "
               "lower(hex(randomblob(6))) FROM response WHERE text != ''")


def downgrade() -> None:
    op.drop_index("ix_response_version_response_saved", table_name="response_version")
    op.drop_table("response_version")
    for table in VERSIONED:
        with op.batch_alter_table(table) as batch_op:
            batch_op.drop_column("version")
