"""the written Section 11 self-assessment (year one): standards, rating scale, returns and answers

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-01
"""
import sqlalchemy as sa
from alembic import op

revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def _identity() -> list[sa.Column]:
    return [sa.Column('id', sa.Integer(), nullable=False), sa.Column('uuid', sa.String(length=36), nullable=False)]


def upgrade() -> None:
    op.create_table('self_assessment_setup',
    sa.Column('round_id', sa.Integer(), nullable=False),
    sa.Column('scale_name', sa.String(length=100), nullable=False),
    sa.Column('form_version', sa.Integer(), nullable=False),
    sa.Column('return_by', sa.Date(), nullable=True),
    *_identity(),
    sa.ForeignKeyConstraint(['round_id'], ['round.id'], name=op.f('fk_self_assessment_setup_round_id_round'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_self_assessment_setup')),
    sa.UniqueConstraint('round_id', name=op.f('uq_self_assessment_setup_round_id')),
    sa.UniqueConstraint('uuid', name=op.f('uq_self_assessment_setup_uuid'))
    )
    op.create_table('standard',
    sa.Column('round_id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=60), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('wording', sa.Text(), nullable=False),
    sa.Column('guidance', sa.Text(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    *_identity(),
    sa.ForeignKeyConstraint(['round_id'], ['round.id'], name=op.f('fk_standard_round_id_round'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_standard')),
    sa.UniqueConstraint('uuid', name=op.f('uq_standard_uuid'))
    )
    op.create_index(op.f('ix_standard_round_id'), 'standard', ['round_id'], unique=False)
    op.create_table('rating_option',
    sa.Column('round_id', sa.Integer(), nullable=False),
    sa.Column('label', sa.String(length=60), nullable=False),
    sa.Column('colour', sa.String(length=9), nullable=False),
    sa.Column('rank', sa.Integer(), nullable=False),
    sa.Column('not_applicable', sa.Boolean(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    *_identity(),
    sa.ForeignKeyConstraint(['round_id'], ['round.id'], name=op.f('fk_rating_option_round_id_round'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_rating_option')),
    sa.UniqueConstraint('uuid', name=op.f('uq_rating_option_uuid'))
    )
    op.create_index(op.f('ix_rating_option_round_id'), 'rating_option', ['round_id'], unique=False)
    op.create_table('self_assessment_return',
    sa.Column('round_id', sa.Integer(), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('state', sa.String(length=20), nullable=False),
    sa.Column('returned_on', sa.Date(), nullable=True),
    sa.Column('file_sha256', sa.String(length=64), nullable=False),
    sa.Column('chased_json', sa.Text(), nullable=False),
    sa.Column('version', sa.Integer(), server_default='1', nullable=False),
    *_identity(),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisation.id'], name=op.f('fk_self_assessment_return_organisation_id_organisation')),
    sa.ForeignKeyConstraint(['round_id'], ['round.id'], name=op.f('fk_self_assessment_return_round_id_round'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_self_assessment_return')),
    sa.UniqueConstraint('round_id', 'organisation_id', name='uq_self_assessment_return_round_org'),
    sa.UniqueConstraint('uuid', name=op.f('uq_self_assessment_return_uuid'))
    )
    op.create_index(op.f('ix_self_assessment_return_round_id'), 'self_assessment_return', ['round_id'], unique=False)
    op.create_index(op.f('ix_self_assessment_return_organisation_id'), 'self_assessment_return', ['organisation_id'], unique=False)
    op.create_table('self_assessment_answer',
    sa.Column('return_id', sa.Integer(), nullable=False),
    sa.Column('standard_id', sa.Integer(), nullable=False),
    sa.Column('rating', sa.String(length=60), nullable=False),
    sa.Column('not_applicable_reason', sa.Text(), nullable=False),
    sa.Column('evidence', sa.Text(), nullable=False),
    sa.Column('works_well', sa.Text(), nullable=False),
    sa.Column('to_improve', sa.Text(), nullable=False),
    sa.Column('actions', sa.Text(), nullable=False),
    sa.Column('action_owner', sa.String(length=200), nullable=False),
    sa.Column('action_due', sa.Date(), nullable=True),
    sa.Column('carried_from', sa.String(length=40), nullable=False),
    sa.Column('confirmed_unchanged', sa.Boolean(), nullable=False),
    sa.Column('challenge', sa.Text(), nullable=False),
    sa.Column('moderated_rating', sa.String(length=60), nullable=False),
    sa.Column('version', sa.Integer(), server_default='1', nullable=False),
    *_identity(),
    sa.ForeignKeyConstraint(['return_id'], ['self_assessment_return.id'], name=op.f('fk_self_assessment_answer_return_id_self_assessment_return'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['standard_id'], ['standard.id'], name=op.f('fk_self_assessment_answer_standard_id_standard'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_self_assessment_answer')),
    sa.UniqueConstraint('return_id', 'standard_id', name='uq_self_assessment_answer_return_standard'),
    sa.UniqueConstraint('uuid', name=op.f('uq_self_assessment_answer_uuid'))
    )
    op.create_index(op.f('ix_self_assessment_answer_return_id'), 'self_assessment_answer', ['return_id'], unique=False)
    op.create_index(op.f('ix_self_assessment_answer_standard_id'), 'self_assessment_answer', ['standard_id'], unique=False)


def downgrade() -> None:
    for table in ('self_assessment_answer', 'self_assessment_return', 'rating_option', 'standard', 'self_assessment_setup'):
        op.drop_table(table)
