"""revisions carry the step that made them and its reason

A correction's reason (and the step: rectify, verify, correct, void ...) was only in the
local audit log, so another node saw the corrected values without why. Past revisions
made here get theirs from the audit log; revisions received from elsewhere have none to
recover.

Revision ID: 0008
Revises: 0007
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('record_revisions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('action', sa.String(length=16), server_default='', nullable=False))
        batch_op.add_column(sa.Column('note', sa.Text(), server_default='', nullable=False))
    op.execute("""
        UPDATE record_revisions SET
            action = coalesce((SELECT a.action FROM audit_log a
                               WHERE a.record_uid = record_revisions.record_uid AND a.rev = record_revisions.rev
                               ORDER BY a.id DESC LIMIT 1), ''),
            note = coalesce((SELECT a.note FROM audit_log a
                             WHERE a.record_uid = record_revisions.record_uid AND a.rev = record_revisions.rev
                             ORDER BY a.id DESC LIMIT 1), '')
    """)


def downgrade() -> None:
    with op.batch_alter_table('record_revisions', schema=None) as batch_op:
        batch_op.drop_column('note')
        batch_op.drop_column('action')
