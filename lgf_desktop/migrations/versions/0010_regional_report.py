"""the regional report (issue 15): recurring recommendations across organisations as the regional lead
grouped them, and the lead's own texts and recommendations to the region, per regional round label

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-02
"""
import sqlalchemy as sa
from alembic import op

revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None


def _identity() -> list[sa.Column]:
    return [sa.Column('id', sa.Integer(), nullable=False), sa.Column('uuid', sa.String(length=36), nullable=False)]


def upgrade() -> None:
    op.create_table('recurring_group',
    sa.Column('round_label', sa.String(length=40), nullable=False),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    *_identity(),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_recurring_group')),
    sa.UniqueConstraint('uuid', name=op.f('uq_recurring_group_uuid'))
    )
    op.create_index(op.f('ix_recurring_group_round_label'), 'recurring_group', ['round_label'], unique=False)
    op.create_table('recurring_group_member',
    sa.Column('group_id', sa.Integer(), nullable=False),
    sa.Column('recommendation_uuid', sa.String(length=80), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    *_identity(),
    sa.ForeignKeyConstraint(['group_id'], ['recurring_group.id'], name=op.f('fk_recurring_group_member_group_id_recurring_group'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_recurring_group_member')),
    sa.UniqueConstraint('uuid', name=op.f('uq_recurring_group_member_uuid'))
    )
    op.create_index(op.f('ix_recurring_group_member_group_id'), 'recurring_group_member', ['group_id'], unique=False)
    op.create_table('regional_text',
    sa.Column('round_label', sa.String(length=40), nullable=False),
    sa.Column('methodology_intro', sa.Text(), nullable=False),
    sa.Column('conclusion', sa.Text(), nullable=False),
    *_identity(),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_regional_text')),
    sa.UniqueConstraint('round_label', name=op.f('uq_regional_text_round_label')),
    sa.UniqueConstraint('uuid', name=op.f('uq_regional_text_uuid'))
    )
    op.create_table('regional_recommendation',
    sa.Column('round_label', sa.String(length=40), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    *_identity(),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_regional_recommendation')),
    sa.UniqueConstraint('uuid', name=op.f('uq_regional_recommendation_uuid'))
    )
    op.create_index(op.f('ix_regional_recommendation_round_label'), 'regional_recommendation', ['round_label'],
                    unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_regional_recommendation_round_label'), table_name='regional_recommendation')
    op.drop_table('regional_recommendation')
    op.drop_table('regional_text')
    op.drop_index(op.f('ix_recurring_group_member_group_id'), table_name='recurring_group_member')
    op.drop_table('recurring_group_member')
    op.drop_index(op.f('ix_recurring_group_round_label'), table_name='recurring_group')
    op.drop_table('recurring_group')
