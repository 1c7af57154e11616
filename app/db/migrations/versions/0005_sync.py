"""sync: packages, peer acknowledgements, conflicts, node keys

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-25 05:39:48.741558
"""

from __future__ import annotations

from alembic import op
import sqlalchemy as sa


revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('conflicts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('entity', sa.String(length=64), nullable=False),
    sa.Column('record_uid', sa.String(length=36), nullable=False),
    sa.Column('base_rev', sa.String(length=40), nullable=True),
    sa.Column('local_rev', sa.String(length=40), nullable=False),
    sa.Column('remote_rev', sa.String(length=40), nullable=False),
    sa.Column('merged_rev', sa.String(length=40), nullable=False),
    sa.Column('fields', sa.JSON(), nullable=False),
    sa.Column('detected_at', sa.DateTime(), nullable=False),
    sa.Column('status', sa.String(length=16), server_default='open', nullable=False),
    sa.Column('resolved_rev', sa.String(length=40), server_default='', nullable=False),
    sa.Column('note', sa.Text(), server_default='', nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_conflicts')),
    sa.UniqueConstraint('entity', 'record_uid', 'local_rev', 'remote_rev', name=op.f('uq_conflicts_entity_record_uid_local_rev_remote_rev'))
    )
    with op.batch_alter_table('conflicts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_conflicts_status'), ['status'], unique=False)

    op.create_table('packages',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('uid', sa.String(length=36), nullable=False),
    sa.Column('direction', sa.String(length=4), nullable=False),
    sa.Column('origin_node', sa.String(length=36), nullable=False),
    sa.Column('receiver_node', sa.String(length=36), nullable=False),
    sa.Column('sequence', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('handled_at', sa.DateTime(), nullable=False),
    sa.Column('manifest_sha256', sa.String(length=64), nullable=False),
    sa.Column('last_revision_id', sa.Integer(), server_default='0', nullable=False),
    sa.Column('counts', sa.JSON(), nullable=False),
    sa.Column('file_name', sa.String(length=255), server_default='', nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_packages')),
    sa.UniqueConstraint('origin_node', 'sequence', 'direction', name=op.f('uq_packages_origin_node_sequence_direction'))
    )
    with op.batch_alter_table('packages', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_packages_uid'), ['uid'], unique=False)

    op.create_table('peer_states',
    sa.Column('node_uid', sa.String(length=36), nullable=False),
    sa.Column('acked_sequence', sa.Integer(), server_default='0', nullable=False),
    sa.Column('acked_revision_id', sa.Integer(), server_default='0', nullable=False),
    sa.PrimaryKeyConstraint('node_uid', name=op.f('pk_peer_states'))
    )
    with op.batch_alter_table('nodes', schema=None) as batch_op:
        batch_op.add_column(sa.Column('public_key', sa.String(length=64), server_default='', nullable=False))
        batch_op.add_column(sa.Column('fingerprint', sa.String(length=64), server_default='', nullable=False))
        batch_op.add_column(sa.Column('enrolled_at', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('revoked_at', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('revoked_reason', sa.Text(), server_default='', nullable=False))



def downgrade() -> None:
    with op.batch_alter_table('nodes', schema=None) as batch_op:
        batch_op.drop_column('revoked_reason')
        batch_op.drop_column('revoked_at')
        batch_op.drop_column('enrolled_at')
        batch_op.drop_column('fingerprint')
        batch_op.drop_column('public_key')

    op.drop_table('peer_states')
    with op.batch_alter_table('packages', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_packages_uid'))

    op.drop_table('packages')
    with op.batch_alter_table('conflicts', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_conflicts_status'))

    op.drop_table('conflicts')
