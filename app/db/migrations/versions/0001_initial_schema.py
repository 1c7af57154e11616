"""initial schema

Revision ID: 0001
Revises:
Create Date: 2026-11-25 04:22:40.988633
"""

from __future__ import annotations

from alembic import op
import sqlalchemy as sa


revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('app_settings',
    sa.Column('key', sa.String(length=64), nullable=False),
    sa.Column('value', sa.Text(), nullable=False),
    sa.PrimaryKeyConstraint('key', name=op.f('pk_app_settings'))
    )
    op.create_table('audit_log',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.Column('entity', sa.String(length=64), nullable=False),
    sa.Column('record_uid', sa.String(length=36), nullable=False),
    sa.Column('action', sa.String(length=16), nullable=False),
    sa.Column('changes', sa.JSON(), nullable=False),
    sa.Column('operator', sa.String(length=64), nullable=False),
    sa.Column('node', sa.String(length=36), nullable=False),
    sa.Column('rev', sa.String(length=40), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_log'))
    )
    with op.batch_alter_table('audit_log', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_audit_log_at'), ['at'], unique=False)
        batch_op.create_index(batch_op.f('ix_audit_log_record_uid'), ['record_uid'], unique=False)

    op.create_table('divisions',
    sa.Column('code', sa.String(length=12), nullable=False),
    sa.Column('name', sa.String(length=64), nullable=False),
    sa.Column('short_name', sa.String(length=32), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('parent_uid', sa.String(length=36), nullable=True),
    sa.Column('sort_order', sa.Integer(), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('uid', sa.String(length=36), nullable=False),
    sa.Column('origin_node', sa.String(length=36), nullable=False),
    sa.Column('rev', sa.String(length=40), nullable=False),
    sa.Column('parent_rev', sa.String(length=40), nullable=True),
    sa.Column('hlc', sa.BigInteger(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('updated_by', sa.String(length=64), nullable=False),
    sa.Column('deleted', sa.Boolean(), server_default=sa.text('0'), nullable=False),
    sa.ForeignKeyConstraint(['parent_uid'], ['divisions.uid'], name=op.f('fk_divisions_parent_uid_divisions')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_divisions')),
    sa.UniqueConstraint('code', name=op.f('uq_divisions_code')),
    sa.UniqueConstraint('uid', name=op.f('uq_divisions_uid'))
    )
    op.create_table('record_revisions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('entity', sa.String(length=64), nullable=False),
    sa.Column('record_uid', sa.String(length=36), nullable=False),
    sa.Column('rev', sa.String(length=40), nullable=False),
    sa.Column('parent_rev', sa.String(length=40), nullable=True),
    sa.Column('merge_parent_rev', sa.String(length=40), nullable=True),
    sa.Column('hlc', sa.BigInteger(), nullable=False),
    sa.Column('node', sa.String(length=36), nullable=False),
    sa.Column('operator', sa.String(length=64), nullable=False),
    sa.Column('deleted', sa.Boolean(), nullable=False),
    sa.Column('data', sa.JSON(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_record_revisions')),
    sa.UniqueConstraint('entity', 'record_uid', 'rev', name=op.f('uq_record_revisions_entity_record_uid_rev'))
    )
    with op.batch_alter_table('record_revisions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_record_revisions_hlc'), ['hlc'], unique=False)
        batch_op.create_index(batch_op.f('ix_record_revisions_record_uid'), ['record_uid'], unique=False)

    op.create_table('master_projects',
    sa.Column('plan_code', sa.String(length=64), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('division_uid', sa.String(length=36), nullable=False),
    sa.Column('sector', sa.String(length=64), server_default='', nullable=False),
    sa.Column('owner_unit', sa.String(length=200), server_default='', nullable=False),
    sa.Column('investment_yuan', sa.BigInteger(), nullable=True),
    sa.Column('foreign_loan', sa.Boolean(), server_default=sa.text('0'), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('uid', sa.String(length=36), nullable=False),
    sa.Column('origin_node', sa.String(length=36), nullable=False),
    sa.Column('rev', sa.String(length=40), nullable=False),
    sa.Column('parent_rev', sa.String(length=40), nullable=True),
    sa.Column('hlc', sa.BigInteger(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('updated_by', sa.String(length=64), nullable=False),
    sa.Column('deleted', sa.Boolean(), server_default=sa.text('0'), nullable=False),
    sa.ForeignKeyConstraint(['division_uid'], ['divisions.uid'], name=op.f('fk_master_projects_division_uid_divisions')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_master_projects')),
    sa.UniqueConstraint('uid', name=op.f('uq_master_projects_uid'))
    )
    with op.batch_alter_table('master_projects', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_master_projects_division_uid'), ['division_uid'], unique=False)
        batch_op.create_index('uq_master_projects_live_plan_code', ['plan_code'], unique=True, sqlite_where=sa.text('deleted = 0'))

    op.create_table('nodes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('uid', sa.String(length=36), nullable=False),
    sa.Column('division_uid', sa.String(length=36), nullable=False),
    sa.Column('label', sa.String(length=128), nullable=False),
    sa.Column('is_local', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['division_uid'], ['divisions.uid'], name=op.f('fk_nodes_division_uid_divisions')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_nodes')),
    sa.UniqueConstraint('uid', name=op.f('uq_nodes_uid'))
    )
    op.create_table('sub_projects',
    sa.Column('code', sa.String(length=64), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('master_project_uid', sa.String(length=36), nullable=False),
    sa.Column('division_uid', sa.String(length=36), nullable=False),
    sa.Column('sector', sa.String(length=64), server_default='', nullable=False),
    sa.Column('owner_unit', sa.String(length=200), nullable=False),
    sa.Column('investment_yuan', sa.BigInteger(), nullable=True),
    sa.Column('foreign_loan', sa.Boolean(), server_default=sa.text('0'), nullable=False),
    sa.Column('start_date', sa.Date(), nullable=True),
    sa.Column('finish_date', sa.Date(), nullable=True),
    sa.Column('construction_status', sa.String(length=24), server_default='not_started', nullable=False),
    sa.Column('demonstration_site', sa.Boolean(), server_default=sa.text('0'), nullable=False),
    sa.Column('archive_lead', sa.String(length=64), server_default='', nullable=False),
    sa.Column('archive_lead_phone', sa.String(length=32), server_default='', nullable=False),
    sa.Column('archivist', sa.String(length=64), server_default='', nullable=False),
    sa.Column('archivist_phone', sa.String(length=32), server_default='', nullable=False),
    sa.Column('remarks', sa.Text(), server_default='', nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('uid', sa.String(length=36), nullable=False),
    sa.Column('origin_node', sa.String(length=36), nullable=False),
    sa.Column('rev', sa.String(length=40), nullable=False),
    sa.Column('parent_rev', sa.String(length=40), nullable=True),
    sa.Column('hlc', sa.BigInteger(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('updated_by', sa.String(length=64), nullable=False),
    sa.Column('deleted', sa.Boolean(), server_default=sa.text('0'), nullable=False),
    sa.ForeignKeyConstraint(['division_uid'], ['divisions.uid'], name=op.f('fk_sub_projects_division_uid_divisions')),
    sa.ForeignKeyConstraint(['master_project_uid'], ['master_projects.uid'], name=op.f('fk_sub_projects_master_project_uid_master_projects')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sub_projects')),
    sa.UniqueConstraint('uid', name=op.f('uq_sub_projects_uid'))
    )
    with op.batch_alter_table('sub_projects', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_sub_projects_division_uid'), ['division_uid'], unique=False)
        batch_op.create_index(batch_op.f('ix_sub_projects_master_project_uid'), ['master_project_uid'], unique=False)
        batch_op.create_index('uq_sub_projects_live_code', ['code'], unique=True, sqlite_where=sa.text('deleted = 0'))
        batch_op.create_index('ix_sub_projects_live_name', ['name', 'code'], unique=False, sqlite_where=sa.text('deleted = 0'))
        batch_op.create_index('ix_sub_projects_live_owner_unit', ['owner_unit', 'code'], unique=False, sqlite_where=sa.text('deleted = 0'))
        batch_op.create_index('ix_sub_projects_live_sector', ['sector', 'code'], unique=False, sqlite_where=sa.text('deleted = 0'))
        batch_op.create_index('ix_sub_projects_live_investment_yuan', ['investment_yuan', 'code'], unique=False, sqlite_where=sa.text('deleted = 0'))
        batch_op.create_index('ix_sub_projects_live_construction_status', ['construction_status', 'code'], unique=False, sqlite_where=sa.text('deleted = 0'))
        batch_op.create_index('ix_sub_projects_live_start_date', ['start_date', 'code'], unique=False, sqlite_where=sa.text('deleted = 0'))
        batch_op.create_index('ix_sub_projects_live_finish_date', ['finish_date', 'code'], unique=False, sqlite_where=sa.text('deleted = 0'))
        batch_op.create_index('ix_sub_projects_live_demonstration_site', ['demonstration_site', 'code'], unique=False, sqlite_where=sa.text('deleted = 0'))
        batch_op.create_index('ix_sub_projects_live_archivist', ['archivist', 'code'], unique=False, sqlite_where=sa.text('deleted = 0'))

    op.create_table('retention_schedules',
    sa.Column('sub_project_uid', sa.String(length=36), nullable=True),
    sa.Column('items', sa.JSON(), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('uid', sa.String(length=36), nullable=False),
    sa.Column('origin_node', sa.String(length=36), nullable=False),
    sa.Column('rev', sa.String(length=40), nullable=False),
    sa.Column('parent_rev', sa.String(length=40), nullable=True),
    sa.Column('hlc', sa.BigInteger(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('updated_by', sa.String(length=64), nullable=False),
    sa.Column('deleted', sa.Boolean(), server_default=sa.text('0'), nullable=False),
    sa.ForeignKeyConstraint(['sub_project_uid'], ['sub_projects.uid'], name=op.f('fk_retention_schedules_sub_project_uid_sub_projects')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_retention_schedules')),
    sa.UniqueConstraint('uid', name=op.f('uq_retention_schedules_uid'))
    )
    with op.batch_alter_table('retention_schedules', schema=None) as batch_op:
        batch_op.create_index('uq_retention_schedules_live_sub_project', ['sub_project_uid'], unique=True, sqlite_where=sa.text('deleted = 0'))



def downgrade() -> None:
    with op.batch_alter_table('retention_schedules', schema=None) as batch_op:
        batch_op.drop_index('uq_retention_schedules_live_sub_project', sqlite_where=sa.text('deleted = 0'))

    op.drop_table('retention_schedules')
    with op.batch_alter_table('sub_projects', schema=None) as batch_op:
        batch_op.drop_index('ix_sub_projects_live_archivist', sqlite_where=sa.text('deleted = 0'))
        batch_op.drop_index('ix_sub_projects_live_demonstration_site', sqlite_where=sa.text('deleted = 0'))
        batch_op.drop_index('ix_sub_projects_live_finish_date', sqlite_where=sa.text('deleted = 0'))
        batch_op.drop_index('ix_sub_projects_live_start_date', sqlite_where=sa.text('deleted = 0'))
        batch_op.drop_index('ix_sub_projects_live_construction_status', sqlite_where=sa.text('deleted = 0'))
        batch_op.drop_index('ix_sub_projects_live_investment_yuan', sqlite_where=sa.text('deleted = 0'))
        batch_op.drop_index('ix_sub_projects_live_sector', sqlite_where=sa.text('deleted = 0'))
        batch_op.drop_index('ix_sub_projects_live_owner_unit', sqlite_where=sa.text('deleted = 0'))
        batch_op.drop_index('ix_sub_projects_live_name', sqlite_where=sa.text('deleted = 0'))
        batch_op.drop_index('uq_sub_projects_live_code', sqlite_where=sa.text('deleted = 0'))
        batch_op.drop_index(batch_op.f('ix_sub_projects_master_project_uid'))
        batch_op.drop_index(batch_op.f('ix_sub_projects_division_uid'))

    op.drop_table('sub_projects')
    op.drop_table('nodes')
    with op.batch_alter_table('master_projects', schema=None) as batch_op:
        batch_op.drop_index('uq_master_projects_live_plan_code', sqlite_where=sa.text('deleted = 0'))
        batch_op.drop_index(batch_op.f('ix_master_projects_division_uid'))

    op.drop_table('master_projects')
    with op.batch_alter_table('record_revisions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_record_revisions_record_uid'))
        batch_op.drop_index(batch_op.f('ix_record_revisions_hlc'))

    op.drop_table('record_revisions')
    op.drop_table('divisions')
    with op.batch_alter_table('audit_log', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_audit_log_record_uid'))
        batch_op.drop_index(batch_op.f('ix_audit_log_at'))

    op.drop_table('audit_log')
    op.drop_table('app_settings')
