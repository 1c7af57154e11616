"""sub-projects carry their planned completion-acceptance date (计划竣工验收日期)

The 3-month rule (archive acceptance at least 3 months before completion acceptance)
compares an acceptance with the sub-project's plan, so the plan lives on the sub-project.
``acceptances.completion_acceptance_date`` stays: the service now copies the
sub-project's date into it, and a date typed on an acceptance before this version is kept
there and still used while its sub-project has none. Nothing is copied here: a value
written by a migration would bypass the record's revisions and never reach other nodes.

Revision ID: 0006
Revises: 0005
"""

from __future__ import annotations

from alembic import op
import sqlalchemy as sa


revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('sub_projects', schema=None) as batch_op:
        batch_op.add_column(sa.Column('completion_acceptance_date', sa.Date(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('sub_projects', schema=None) as batch_op:
        batch_op.drop_column('completion_acceptance_date')
