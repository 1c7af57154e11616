"""field work: visits, problems, attachments, supervision, notices, trainings

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-25 05:00:23.071068
"""

from __future__ import annotations

from alembic import op
import sqlalchemy as sa


revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('audit_log', schema=None) as batch_op:
        batch_op.add_column(sa.Column('note', sa.Text(), server_default='', nullable=False))

    op.create_table('attachments',
    sa.Column('owner_entity', sa.String(length=64), nullable=False),
    sa.Column('owner_uid', sa.String(length=36), nullable=False),
    sa.Column('role', sa.String(length=16), nullable=False),
    sa.Column('filename', sa.String(length=255), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('size', sa.BigInteger(), nullable=False),
    sa.Column('caption', sa.String(length=200), server_default='', nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('uid', sa.String(length=36), nullable=False),
    sa.Column('origin_node', sa.String(length=36), nullable=False),
    sa.Column('rev', sa.String(length=40), nullable=False),
    sa.Column('parent_rev', sa.String(length=40), nullable=True),
    sa.Column('hlc', sa.BigInteger(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('updated_by', sa.String(length=64), nullable=False),
    sa.Column('deleted', sa.Boolean(), server_default=sa.text('0'), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_attachments')),
    sa.UniqueConstraint('uid', name=op.f('uq_attachments_uid'))
    )
    with op.batch_alter_table('attachments', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_attachments_owner_uid'), ['owner_uid'], unique=False)
        batch_op.create_index(batch_op.f('ix_attachments_sha256'), ['sha256'], unique=False)

    op.create_table('supervision_rounds',
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=32), nullable=False),
    sa.Column('start_date', sa.Date(), nullable=False),
    sa.Column('end_date', sa.Date(), nullable=True),
    sa.Column('notes', sa.Text(), server_default='', nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('uid', sa.String(length=36), nullable=False),
    sa.Column('origin_node', sa.String(length=36), nullable=False),
    sa.Column('rev', sa.String(length=40), nullable=False),
    sa.Column('parent_rev', sa.String(length=40), nullable=True),
    sa.Column('hlc', sa.BigInteger(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('updated_by', sa.String(length=64), nullable=False),
    sa.Column('deleted', sa.Boolean(), server_default=sa.text('0'), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_supervision_rounds')),
    sa.UniqueConstraint('uid', name=op.f('uq_supervision_rounds_uid'))
    )
    with op.batch_alter_table('supervision_rounds', schema=None) as batch_op:
        batch_op.create_index('uq_supervision_rounds_live_number', ['number'], unique=True, sqlite_where=sa.text('deleted = 0'))

    op.create_table('notices',
    sa.Column('number', sa.String(length=64), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('issue_date', sa.Date(), nullable=False),
    sa.Column('issuer', sa.String(length=100), nullable=False),
    sa.Column('recipients', sa.String(length=400), server_default='', nullable=False),
    sa.Column('preamble', sa.Text(), server_default='', nullable=False),
    sa.Column('status', sa.String(length=16), server_default='draft', nullable=False),
    sa.Column('round_uid', sa.String(length=36), nullable=True),
    sa.Column('supersedes_uid', sa.String(length=36), nullable=True),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('uid', sa.String(length=36), nullable=False),
    sa.Column('origin_node', sa.String(length=36), nullable=False),
    sa.Column('rev', sa.String(length=40), nullable=False),
    sa.Column('parent_rev', sa.String(length=40), nullable=True),
    sa.Column('hlc', sa.BigInteger(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('updated_by', sa.String(length=64), nullable=False),
    sa.Column('deleted', sa.Boolean(), server_default=sa.text('0'), nullable=False),
    sa.ForeignKeyConstraint(['round_uid'], ['supervision_rounds.uid'], name=op.f('fk_notices_round_uid_supervision_rounds')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_notices')),
    sa.UniqueConstraint('uid', name=op.f('uq_notices_uid'))
    )
    with op.batch_alter_table('notices', schema=None) as batch_op:
        batch_op.create_index('uq_notices_live_number', ['number'], unique=True, sqlite_where=sa.text('deleted = 0'))

    op.create_table('supervision_groups',
    sa.Column('round_uid', sa.String(length=36), nullable=False),
    sa.Column('name', sa.String(length=64), nullable=False),
    sa.Column('leader', sa.String(length=64), nullable=False),
    sa.Column('members', sa.String(length=400), server_default='', nullable=False),
    sa.Column('division_uids', sa.JSON(), nullable=False),
    sa.Column('sectors', sa.String(length=200), server_default='', nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('uid', sa.String(length=36), nullable=False),
    sa.Column('origin_node', sa.String(length=36), nullable=False),
    sa.Column('rev', sa.String(length=40), nullable=False),
    sa.Column('parent_rev', sa.String(length=40), nullable=True),
    sa.Column('hlc', sa.BigInteger(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('updated_by', sa.String(length=64), nullable=False),
    sa.Column('deleted', sa.Boolean(), server_default=sa.text('0'), nullable=False),
    sa.ForeignKeyConstraint(['round_uid'], ['supervision_rounds.uid'], name=op.f('fk_supervision_groups_round_uid_supervision_rounds')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_supervision_groups')),
    sa.UniqueConstraint('uid', name=op.f('uq_supervision_groups_uid'))
    )
    with op.batch_alter_table('supervision_groups', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_supervision_groups_round_uid'), ['round_uid'], unique=False)

    op.create_table('trainings',
    sa.Column('held_on', sa.Date(), nullable=False),
    sa.Column('level', sa.String(length=8), nullable=False),
    sa.Column('division_uid', sa.String(length=36), nullable=False),
    sa.Column('organiser', sa.String(length=100), nullable=False),
    sa.Column('topic', sa.String(length=200), nullable=False),
    sa.Column('attendance', sa.Integer(), nullable=False),
    sa.Column('location', sa.String(length=100), server_default='', nullable=False),
    sa.Column('notes', sa.Text(), server_default='', nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('uid', sa.String(length=36), nullable=False),
    sa.Column('origin_node', sa.String(length=36), nullable=False),
    sa.Column('rev', sa.String(length=40), nullable=False),
    sa.Column('parent_rev', sa.String(length=40), nullable=True),
    sa.Column('hlc', sa.BigInteger(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('updated_by', sa.String(length=64), nullable=False),
    sa.Column('deleted', sa.Boolean(), server_default=sa.text('0'), nullable=False),
    sa.ForeignKeyConstraint(['division_uid'], ['divisions.uid'], name=op.f('fk_trainings_division_uid_divisions')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_trainings')),
    sa.UniqueConstraint('uid', name=op.f('uq_trainings_uid'))
    )
    with op.batch_alter_table('trainings', schema=None) as batch_op:
        batch_op.create_index('ix_trainings_live_held_on', ['held_on'], unique=False, sqlite_where=sa.text('deleted = 0'))

    op.create_table('notice_items',
    sa.Column('notice_uid', sa.String(length=36), nullable=False),
    sa.Column('seq', sa.Integer(), nullable=False),
    sa.Column('division_uid', sa.String(length=36), nullable=True),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('problem_uids', sa.JSON(), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('uid', sa.String(length=36), nullable=False),
    sa.Column('origin_node', sa.String(length=36), nullable=False),
    sa.Column('rev', sa.String(length=40), nullable=False),
    sa.Column('parent_rev', sa.String(length=40), nullable=True),
    sa.Column('hlc', sa.BigInteger(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('updated_by', sa.String(length=64), nullable=False),
    sa.Column('deleted', sa.Boolean(), server_default=sa.text('0'), nullable=False),
    sa.ForeignKeyConstraint(['division_uid'], ['divisions.uid'], name=op.f('fk_notice_items_division_uid_divisions')),
    sa.ForeignKeyConstraint(['notice_uid'], ['notices.uid'], name=op.f('fk_notice_items_notice_uid_notices')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_notice_items')),
    sa.UniqueConstraint('uid', name=op.f('uq_notice_items_uid'))
    )
    with op.batch_alter_table('notice_items', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_notice_items_notice_uid'), ['notice_uid'], unique=False)

    op.create_table('guidance_visits',
    sa.Column('sub_project_uid', sa.String(length=36), nullable=False),
    sa.Column('visit_date', sa.Date(), nullable=False),
    sa.Column('kind', sa.String(length=24), nullable=False),
    sa.Column('archivists', sa.String(length=200), server_default='', nullable=False),
    sa.Column('unit_people', sa.String(length=200), server_default='', nullable=False),
    sa.Column('content', sa.Text(), server_default='', nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('uid', sa.String(length=36), nullable=False),
    sa.Column('origin_node', sa.String(length=36), nullable=False),
    sa.Column('rev', sa.String(length=40), nullable=False),
    sa.Column('parent_rev', sa.String(length=40), nullable=True),
    sa.Column('hlc', sa.BigInteger(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('updated_by', sa.String(length=64), nullable=False),
    sa.Column('deleted', sa.Boolean(), server_default=sa.text('0'), nullable=False),
    sa.ForeignKeyConstraint(['sub_project_uid'], ['sub_projects.uid'], name=op.f('fk_guidance_visits_sub_project_uid_sub_projects')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_guidance_visits')),
    sa.UniqueConstraint('uid', name=op.f('uq_guidance_visits_uid'))
    )
    with op.batch_alter_table('guidance_visits', schema=None) as batch_op:
        batch_op.create_index('ix_guidance_visits_live_visit_date', ['visit_date'], unique=False, sqlite_where=sa.text('deleted = 0'))
        batch_op.create_index(batch_op.f('ix_guidance_visits_sub_project_uid'), ['sub_project_uid'], unique=False)

    op.create_table('problems',
    sa.Column('sub_project_uid', sa.String(length=36), nullable=False),
    sa.Column('source', sa.String(length=16), nullable=False),
    sa.Column('visit_uid', sa.String(length=36), nullable=True),
    sa.Column('round_uid', sa.String(length=36), nullable=True),
    sa.Column('acceptance_uid', sa.String(length=36), nullable=True),
    sa.Column('category', sa.String(length=24), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('responsible_person', sa.String(length=64), server_default='', nullable=False),
    sa.Column('found_on', sa.Date(), nullable=False),
    sa.Column('deadline', sa.Date(), nullable=False),
    sa.Column('state', sa.String(length=16), server_default='open', nullable=False),
    sa.Column('rectification', sa.Text(), server_default='', nullable=False),
    sa.Column('rectified_by', sa.String(length=64), server_default='', nullable=False),
    sa.Column('rectified_on', sa.Date(), nullable=True),
    sa.Column('verification_note', sa.Text(), server_default='', nullable=False),
    sa.Column('verified_by', sa.String(length=64), server_default='', nullable=False),
    sa.Column('verified_on', sa.Date(), nullable=True),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('uid', sa.String(length=36), nullable=False),
    sa.Column('origin_node', sa.String(length=36), nullable=False),
    sa.Column('rev', sa.String(length=40), nullable=False),
    sa.Column('parent_rev', sa.String(length=40), nullable=True),
    sa.Column('hlc', sa.BigInteger(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('updated_by', sa.String(length=64), nullable=False),
    sa.Column('deleted', sa.Boolean(), server_default=sa.text('0'), nullable=False),
    sa.ForeignKeyConstraint(['round_uid'], ['supervision_rounds.uid'], name=op.f('fk_problems_round_uid_supervision_rounds')),
    sa.ForeignKeyConstraint(['sub_project_uid'], ['sub_projects.uid'], name=op.f('fk_problems_sub_project_uid_sub_projects')),
    sa.ForeignKeyConstraint(['visit_uid'], ['guidance_visits.uid'], name=op.f('fk_problems_visit_uid_guidance_visits')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_problems')),
    sa.UniqueConstraint('uid', name=op.f('uq_problems_uid'))
    )
    with op.batch_alter_table('problems', schema=None) as batch_op:
        batch_op.create_index('ix_problems_live_deadline', ['deadline'], unique=False, sqlite_where=sa.text('deleted = 0'))
        batch_op.create_index('ix_problems_live_state_deadline', ['state', 'deadline'], unique=False, sqlite_where=sa.text('deleted = 0'))
        batch_op.create_index(batch_op.f('ix_problems_round_uid'), ['round_uid'], unique=False)
        batch_op.create_index(batch_op.f('ix_problems_sub_project_uid'), ['sub_project_uid'], unique=False)
        batch_op.create_index(batch_op.f('ix_problems_visit_uid'), ['visit_uid'], unique=False)

    op.create_table('round_rechecks',
    sa.Column('round_uid', sa.String(length=36), nullable=False),
    sa.Column('problem_uid', sa.String(length=36), nullable=False),
    sa.Column('result', sa.String(length=16), server_default='pending', nullable=False),
    sa.Column('note', sa.Text(), server_default='', nullable=False),
    sa.Column('checked_on', sa.Date(), nullable=True),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('uid', sa.String(length=36), nullable=False),
    sa.Column('origin_node', sa.String(length=36), nullable=False),
    sa.Column('rev', sa.String(length=40), nullable=False),
    sa.Column('parent_rev', sa.String(length=40), nullable=True),
    sa.Column('hlc', sa.BigInteger(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('updated_by', sa.String(length=64), nullable=False),
    sa.Column('deleted', sa.Boolean(), server_default=sa.text('0'), nullable=False),
    sa.ForeignKeyConstraint(['problem_uid'], ['problems.uid'], name=op.f('fk_round_rechecks_problem_uid_problems')),
    sa.ForeignKeyConstraint(['round_uid'], ['supervision_rounds.uid'], name=op.f('fk_round_rechecks_round_uid_supervision_rounds')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_round_rechecks')),
    sa.UniqueConstraint('uid', name=op.f('uq_round_rechecks_uid'))
    )
    with op.batch_alter_table('round_rechecks', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_round_rechecks_problem_uid'), ['problem_uid'], unique=False)
        batch_op.create_index('uq_round_rechecks_live_round_problem', ['round_uid', 'problem_uid'], unique=True, sqlite_where=sa.text('deleted = 0'))



def downgrade() -> None:
    with op.batch_alter_table('audit_log', schema=None) as batch_op:
        batch_op.drop_column('note')

    with op.batch_alter_table('round_rechecks', schema=None) as batch_op:
        batch_op.drop_index('uq_round_rechecks_live_round_problem', sqlite_where=sa.text('deleted = 0'))
        batch_op.drop_index(batch_op.f('ix_round_rechecks_problem_uid'))

    op.drop_table('round_rechecks')
    with op.batch_alter_table('problems', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_problems_visit_uid'))
        batch_op.drop_index(batch_op.f('ix_problems_sub_project_uid'))
        batch_op.drop_index(batch_op.f('ix_problems_round_uid'))
        batch_op.drop_index('ix_problems_live_state_deadline', sqlite_where=sa.text('deleted = 0'))
        batch_op.drop_index('ix_problems_live_deadline', sqlite_where=sa.text('deleted = 0'))

    op.drop_table('problems')
    with op.batch_alter_table('guidance_visits', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_guidance_visits_sub_project_uid'))
        batch_op.drop_index('ix_guidance_visits_live_visit_date', sqlite_where=sa.text('deleted = 0'))

    op.drop_table('guidance_visits')
    with op.batch_alter_table('notice_items', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_notice_items_notice_uid'))

    op.drop_table('notice_items')
    with op.batch_alter_table('trainings', schema=None) as batch_op:
        batch_op.drop_index('ix_trainings_live_held_on', sqlite_where=sa.text('deleted = 0'))

    op.drop_table('trainings')
    with op.batch_alter_table('supervision_groups', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_supervision_groups_round_uid'))

    op.drop_table('supervision_groups')
    with op.batch_alter_table('notices', schema=None) as batch_op:
        batch_op.drop_index('uq_notices_live_number', sqlite_where=sa.text('deleted = 0'))

    op.drop_table('notices')
    with op.batch_alter_table('supervision_rounds', schema=None) as batch_op:
        batch_op.drop_index('uq_supervision_rounds_live_number', sqlite_where=sa.text('deleted = 0'))

    op.drop_table('supervision_rounds')
    with op.batch_alter_table('attachments', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_attachments_sha256'))
        batch_op.drop_index(batch_op.f('ix_attachments_owner_uid'))

    op.drop_table('attachments')
