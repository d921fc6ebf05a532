"""the partnership's Word template; the report's declined-review paragraph and the heading of the
partnership's recommendations editable per round

Existing rounds get the wording the report printed before, so their next export reads the same.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-02
"""
import sqlalchemy as sa
from alembic import op

revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None

DECLINED = "This review did not take place. {organisation} did not engage with the Section 11 process."
HEADING = "Additional Recommendations for Children's Partnership"


def upgrade() -> None:
    with op.batch_alter_table("partnership") as batch:
        batch.add_column(sa.Column("word_template", sa.String(500), nullable=False, server_default=""))
    with op.batch_alter_table("round") as batch:
        batch.add_column(sa.Column("declined_text", sa.Text(), nullable=False, server_default=""))
        batch.add_column(sa.Column("partnership_recommendations_heading", sa.Text(), nullable=False,
                                   server_default=""))
    op.get_bind().execute(sa.text("UPDATE round SET declined_text = :declined, "
                                  "partnership_recommendations_heading = :heading"),
                          {"declined": DECLINED, "heading": HEADING})


def downgrade() -> None:
    with op.batch_alter_table("round") as batch:
        batch.drop_column("partnership_recommendations_heading")
        batch.drop_column("declined_text")
    with op.batch_alter_table("partnership") as batch:
        batch.drop_column("word_template")
