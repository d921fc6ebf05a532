"""progress notes indexed by recommendation and date (the tracker's latest-note query)

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-24
"""
from alembic import op

revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    # if_not_exists: versions before atomic upgrades could commit this index and die before
    # recording 0002; such a file is finished here instead of failing on every open.
    op.create_index("ix_progress_note_recommendation_date", "progress_note",
                    ["recommendation_id", "note_date", "id"], if_not_exists=True)


def downgrade() -> None:
    op.drop_index("ix_progress_note_recommendation_date", table_name="progress_note")
