"""assessment: rule sets (考核细则) and their items, yearly assessments (考核) and score rows

A rule set is versioned like a checklist template; an assessment scores every county (and
city departments where the rules say) for a year and freezes when published: the models
refuse any change to a published assessment or a frozen score row (``refuse_change``).

Revision ID: 0007
Revises: 0006
"""

from __future__ import annotations

from alembic import op
import sqlalchemy as sa


revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('assessment_rule_sets',
    sa.Column('lineage_uid', sa.String(length=36), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('status', sa.String(length=16), server_default='draft', nullable=False),
    sa.Column('total_points', sa.Numeric(precision=8, scale=2, asdecimal=False), nullable=False),
    sa.Column('grade_bands', sa.JSON(), nullable=False),
    sa.Column('departments', sa.JSON(), nullable=False),
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
    sa.PrimaryKeyConstraint('id', name=op.f('pk_assessment_rule_sets')),
    sa.UniqueConstraint('uid', name=op.f('uq_assessment_rule_sets_uid'))
    )
    with op.batch_alter_table('assessment_rule_sets', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_assessment_rule_sets_lineage_uid'), ['lineage_uid'], unique=False)

    op.create_table('assessment_rule_items',
    sa.Column('rule_set_uid', sa.String(length=36), nullable=False),
    sa.Column('seq', sa.Integer(), nullable=False),
    sa.Column('section', sa.String(length=100), nullable=False),
    sa.Column('code', sa.String(length=16), nullable=False),
    sa.Column('title', sa.Text(), nullable=False),
    sa.Column('points', sa.Numeric(precision=8, scale=2, asdecimal=False), nullable=False),
    sa.Column('scope', sa.String(length=16), server_default='division', nullable=False),
    sa.Column('kind', sa.String(length=16), server_default='manual', nullable=False),
    sa.Column('metric', sa.String(length=32), server_default='', nullable=False),
    sa.Column('params', sa.JSON(), nullable=False),
    sa.Column('guide', sa.Text(), server_default='', nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('uid', sa.String(length=36), nullable=False),
    sa.Column('origin_node', sa.String(length=36), nullable=False),
    sa.Column('rev', sa.String(length=40), nullable=False),
    sa.Column('parent_rev', sa.String(length=40), nullable=True),
    sa.Column('hlc', sa.BigInteger(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('updated_by', sa.String(length=64), nullable=False),
    sa.Column('deleted', sa.Boolean(), server_default=sa.text('0'), nullable=False),
    sa.ForeignKeyConstraint(['rule_set_uid'], ['assessment_rule_sets.uid'], name=op.f('fk_assessment_rule_items_rule_set_uid_assessment_rule_sets')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_assessment_rule_items')),
    sa.UniqueConstraint('uid', name=op.f('uq_assessment_rule_items_uid'))
    )
    with op.batch_alter_table('assessment_rule_items', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_assessment_rule_items_rule_set_uid'), ['rule_set_uid'], unique=False)

    op.create_table('assessments',
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('rule_set_uid', sa.String(length=36), nullable=False),
    sa.Column('status', sa.String(length=16), server_default='draft', nullable=False),
    sa.Column('as_of', sa.Date(), nullable=False),
    sa.Column('computed_at', sa.DateTime(), nullable=False),
    sa.Column('number', sa.String(length=64), server_default='', nullable=False),
    sa.Column('title', sa.String(length=200), server_default='', nullable=False),
    sa.Column('issuer', sa.String(length=100), server_default='', nullable=False),
    sa.Column('recipients', sa.String(length=400), server_default='', nullable=False),
    sa.Column('published_on', sa.Date(), nullable=True),
    sa.Column('published_at', sa.DateTime(), nullable=True),
    sa.Column('published_by', sa.String(length=64), server_default='', nullable=False),
    sa.Column('supersedes_uid', sa.String(length=36), nullable=True),
    sa.Column('superseded_by_uid', sa.String(length=36), nullable=True),
    sa.Column('correction_reason', sa.Text(), server_default='', nullable=False),
    sa.Column('results', sa.JSON(), nullable=False),
    sa.Column('basis', sa.JSON(), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('uid', sa.String(length=36), nullable=False),
    sa.Column('origin_node', sa.String(length=36), nullable=False),
    sa.Column('rev', sa.String(length=40), nullable=False),
    sa.Column('parent_rev', sa.String(length=40), nullable=True),
    sa.Column('hlc', sa.BigInteger(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('updated_by', sa.String(length=64), nullable=False),
    sa.Column('deleted', sa.Boolean(), server_default=sa.text('0'), nullable=False),
    sa.ForeignKeyConstraint(['rule_set_uid'], ['assessment_rule_sets.uid'], name=op.f('fk_assessments_rule_set_uid_assessment_rule_sets')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_assessments')),
    sa.UniqueConstraint('uid', name=op.f('uq_assessments_uid'))
    )
    with op.batch_alter_table('assessments', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_assessments_rule_set_uid'), ['rule_set_uid'], unique=False)
        batch_op.create_index(batch_op.f('ix_assessments_year'), ['year'], unique=False)

    op.create_table('assessment_scores',
    sa.Column('assessment_uid', sa.String(length=36), nullable=False),
    sa.Column('item_uid', sa.String(length=36), nullable=False),
    sa.Column('subject_kind', sa.String(length=16), nullable=False),
    sa.Column('subject_key', sa.String(length=36), nullable=False),
    sa.Column('division_uid', sa.String(length=36), nullable=True),
    sa.Column('subject_name', sa.String(length=100), nullable=False),
    sa.Column('points', sa.Numeric(precision=8, scale=2, asdecimal=False), nullable=False),
    sa.Column('score', sa.Numeric(precision=8, scale=2, asdecimal=False), nullable=True),
    sa.Column('deduction', sa.Numeric(precision=8, scale=2, asdecimal=False), nullable=True),
    sa.Column('figures', sa.JSON(), nullable=False),
    sa.Column('explanation', sa.Text(), server_default='', nullable=False),
    sa.Column('evidence', sa.JSON(), nullable=False),
    sa.Column('note', sa.Text(), server_default='', nullable=False),
    sa.Column('scored_by', sa.String(length=64), server_default='', nullable=False),
    sa.Column('scored_on', sa.Date(), nullable=True),
    sa.Column('frozen', sa.Boolean(), server_default=sa.text('0'), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('uid', sa.String(length=36), nullable=False),
    sa.Column('origin_node', sa.String(length=36), nullable=False),
    sa.Column('rev', sa.String(length=40), nullable=False),
    sa.Column('parent_rev', sa.String(length=40), nullable=True),
    sa.Column('hlc', sa.BigInteger(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('updated_by', sa.String(length=64), nullable=False),
    sa.Column('deleted', sa.Boolean(), server_default=sa.text('0'), nullable=False),
    sa.ForeignKeyConstraint(['assessment_uid'], ['assessments.uid'], name=op.f('fk_assessment_scores_assessment_uid_assessments')),
    sa.ForeignKeyConstraint(['division_uid'], ['divisions.uid'], name=op.f('fk_assessment_scores_division_uid_divisions')),
    sa.ForeignKeyConstraint(['item_uid'], ['assessment_rule_items.uid'], name=op.f('fk_assessment_scores_item_uid_assessment_rule_items')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_assessment_scores')),
    sa.UniqueConstraint('uid', name=op.f('uq_assessment_scores_uid'))
    )
    with op.batch_alter_table('assessment_scores', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_assessment_scores_assessment_uid'), ['assessment_uid'], unique=False)
        batch_op.create_index('uq_assessment_scores_live_subject_item', ['assessment_uid', 'item_uid', 'subject_key'], unique=True, sqlite_where=sa.text('deleted = 0'))



def downgrade() -> None:
    with op.batch_alter_table('assessment_scores', schema=None) as batch_op:
        batch_op.drop_index('uq_assessment_scores_live_subject_item', sqlite_where=sa.text('deleted = 0'))
        batch_op.drop_index(batch_op.f('ix_assessment_scores_assessment_uid'))

    op.drop_table('assessment_scores')
    with op.batch_alter_table('assessments', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_assessments_year'))
        batch_op.drop_index(batch_op.f('ix_assessments_rule_set_uid'))

    op.drop_table('assessments')
    with op.batch_alter_table('assessment_rule_items', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_assessment_rule_items_rule_set_uid'))

    op.drop_table('assessment_rule_items')
    with op.batch_alter_table('assessment_rule_sets', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_assessment_rule_sets_lineage_uid'))

    op.drop_table('assessment_rule_sets')
