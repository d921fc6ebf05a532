"""the change history records each person's login (account@machine) beside their name

"Your name" moves out of the shared database into each person's own settings
(``lgf_desktop/your_settings.py``): the database cannot know whose settings folder to write, so the
row stays until the first open after this upgrade, which moves it into the settings of the person
opening it (``Database._adopt_former_name``) and deletes it. Earlier history rows have no login ('').

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-02
"""
import sqlalchemy as sa
from alembic import op

revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("change_log") as batch:
        batch.add_column(sa.Column("login", sa.String(200), nullable=False, server_default=""))


def downgrade() -> None:
    with op.batch_alter_table("change_log") as batch:
        batch.drop_column("login")
