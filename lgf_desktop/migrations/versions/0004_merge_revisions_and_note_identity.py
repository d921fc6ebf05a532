"""merge revisions per side on grades and case summaries; panel members' notes carry their identity

Grades and case summaries replace ``base_version`` (one counter shared by both sides, which let a
re-issued package hide an edit) with the two sides' own revisions and the point both last agreed
(see ``services/audit/merge``). Existing rows keep their meaning: on the coordinator's side the old
``version`` is the coordinator's revision and ``base_version`` the auditor's last merged; on an
auditor's copy the old ``version`` is the auditor's revision and ``base_version`` the package's.

Notes imported from panel members gain ``note_uuid`` (the note's identity across exports) and
``written_at`` (when the member last changed it), so importing the same notes again adds nothing.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-01
"""
import sqlalchemy as sa
from alembic import op

revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None

_AUDITOR_COPY_OF_ASSIGNMENT = (
    "(SELECT audit.is_auditor_copy FROM auditor JOIN audit ON audit.id = auditor.audit_id "
    "WHERE auditor.id = {table}.auditor_id)")
_AUDITOR_COPY_OF_GRADE = (
    "(SELECT audit.is_auditor_copy FROM assignment JOIN auditor ON auditor.id = assignment.auditor_id "
    "JOIN audit ON audit.id = auditor.audit_id WHERE assignment.id = grade.assignment_id)")


def upgrade() -> None:
    for table, copy in (("assignment", _AUDITOR_COPY_OF_ASSIGNMENT.format(table="assignment")),
                        ("grade", _AUDITOR_COPY_OF_GRADE)):
        for column in ('coordinator_rev', 'auditor_rev', 'agreed_rev'):
            op.add_column(table, sa.Column(column, sa.Integer(), nullable=False, server_default='0'))
        op.execute(
            f"UPDATE {table} SET "
            f"coordinator_rev = CASE WHEN {copy} THEN base_version ELSE version END, "
            f"auditor_rev = CASE WHEN {copy} THEN version ELSE base_version END, "
            f"agreed_rev = CASE WHEN {copy} THEN base_version "
            f"WHEN version = base_version THEN version ELSE -1 END")
        # SQLite drops a plain column in place; a batch copy would drop and re-create ``assignment``,
        # and with foreign keys on that deletes every grade (ON DELETE CASCADE).
        op.drop_column(table, 'base_version')
    op.add_column('note_contribution', sa.Column('note_uuid', sa.String(length=36), nullable=False, server_default=''))
    op.add_column('note_contribution', sa.Column('written_at', sa.DateTime(), nullable=True))
    op.create_index('ix_note_contribution_note_uuid', 'note_contribution', ['note_uuid'])


def downgrade() -> None:
    op.drop_index('ix_note_contribution_note_uuid', table_name='note_contribution')
    op.drop_column('note_contribution', 'written_at')
    op.drop_column('note_contribution', 'note_uuid')
    for table in ("assignment", "grade"):
        op.add_column(table, sa.Column('base_version', sa.Integer(), nullable=False, server_default='0'))
        op.execute(f"UPDATE {table} SET base_version = auditor_rev")
        for column in ('agreed_rev', 'auditor_rev', 'coordinator_rev'):
            op.drop_column(table, column)
