"""acceptance: checklist templates, acceptances, group, scores, certificates; node codes

Issued certificates are documents of record: triggers make the database itself refuse to
change their facts, to delete them, or to bring a voided one back, whatever writes to it.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-25 05:12:32.607066
"""

from __future__ import annotations

from alembic import op
import sqlalchemy as sa


revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None

CERTIFICATE_TRIGGERS = (
    """CREATE TRIGGER certificates_facts_immutable
       BEFORE UPDATE OF number, year, node_code, sequence, acceptance_uid, issued_on, content_hash, facts,
                        replaces_uid, uid, origin_node, deleted ON certificates
       BEGIN SELECT RAISE(ABORT, 'issued certificate is immutable'); END""",
    """CREATE TRIGGER certificates_never_deleted
       BEFORE DELETE ON certificates
       BEGIN SELECT RAISE(ABORT, 'issued certificate is immutable'); END""",
    """CREATE TRIGGER certificates_void_is_final
       BEFORE UPDATE OF status, void_reason, voided_on, pdf_sha256 ON certificates
       WHEN OLD.status = 'void'
         OR (OLD.pdf_sha256 != '' AND NEW.pdf_sha256 != OLD.pdf_sha256)
         OR NEW.status NOT IN ('valid', 'void')
       BEGIN SELECT RAISE(ABORT, 'issued certificate is immutable'); END""",
)


def upgrade() -> None:
    op.create_table('checklist_templates',
    sa.Column('lineage_uid', sa.String(length=36), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('status', sa.String(length=16), server_default='draft', nullable=False),
    sa.Column('total_score', sa.Numeric(precision=8, scale=2, asdecimal=False), nullable=False),
    sa.Column('grade_bands', sa.JSON(), nullable=False),
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
    sa.PrimaryKeyConstraint('id', name=op.f('pk_checklist_templates')),
    sa.UniqueConstraint('uid', name=op.f('uq_checklist_templates_uid'))
    )
    with op.batch_alter_table('checklist_templates', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_checklist_templates_lineage_uid'), ['lineage_uid'], unique=False)

    op.create_table('checklist_sections',
    sa.Column('template_uid', sa.String(length=36), nullable=False),
    sa.Column('seq', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('floor', sa.Numeric(precision=8, scale=2, asdecimal=False), nullable=True),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('uid', sa.String(length=36), nullable=False),
    sa.Column('origin_node', sa.String(length=36), nullable=False),
    sa.Column('rev', sa.String(length=40), nullable=False),
    sa.Column('parent_rev', sa.String(length=40), nullable=True),
    sa.Column('hlc', sa.BigInteger(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('updated_by', sa.String(length=64), nullable=False),
    sa.Column('deleted', sa.Boolean(), server_default=sa.text('0'), nullable=False),
    sa.ForeignKeyConstraint(['template_uid'], ['checklist_templates.uid'], name=op.f('fk_checklist_sections_template_uid_checklist_templates')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_checklist_sections')),
    sa.UniqueConstraint('uid', name=op.f('uq_checklist_sections_uid'))
    )
    with op.batch_alter_table('checklist_sections', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_checklist_sections_template_uid'), ['template_uid'], unique=False)

    op.create_table('checklist_items',
    sa.Column('template_uid', sa.String(length=36), nullable=False),
    sa.Column('section_uid', sa.String(length=36), nullable=False),
    sa.Column('seq', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=16), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('evidence', sa.Text(), server_default='', nullable=False),
    sa.Column('kind', sa.String(length=16), server_default='score', nullable=False),
    sa.Column('max_score', sa.Numeric(precision=8, scale=2, asdecimal=False), nullable=True),
    sa.Column('deduction_guide', sa.Text(), server_default='', nullable=False),
    sa.Column('veto', sa.Boolean(), server_default=sa.text('0'), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('uid', sa.String(length=36), nullable=False),
    sa.Column('origin_node', sa.String(length=36), nullable=False),
    sa.Column('rev', sa.String(length=40), nullable=False),
    sa.Column('parent_rev', sa.String(length=40), nullable=True),
    sa.Column('hlc', sa.BigInteger(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('updated_by', sa.String(length=64), nullable=False),
    sa.Column('deleted', sa.Boolean(), server_default=sa.text('0'), nullable=False),
    sa.ForeignKeyConstraint(['section_uid'], ['checklist_sections.uid'], name=op.f('fk_checklist_items_section_uid_checklist_sections')),
    sa.ForeignKeyConstraint(['template_uid'], ['checklist_templates.uid'], name=op.f('fk_checklist_items_template_uid_checklist_templates')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_checklist_items')),
    sa.UniqueConstraint('uid', name=op.f('uq_checklist_items_uid'))
    )
    with op.batch_alter_table('checklist_items', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_checklist_items_section_uid'), ['section_uid'], unique=False)
        batch_op.create_index(batch_op.f('ix_checklist_items_template_uid'), ['template_uid'], unique=False)

    op.create_table('acceptances',
    sa.Column('sub_project_uid', sa.String(length=36), nullable=False),
    sa.Column('template_uid', sa.String(length=36), nullable=False),
    sa.Column('previous_uid', sa.String(length=36), nullable=True),
    sa.Column('application_date', sa.Date(), nullable=True),
    sa.Column('acceptance_date', sa.Date(), nullable=False),
    sa.Column('completion_acceptance_date', sa.Date(), nullable=True),
    sa.Column('status', sa.String(length=16), server_default='draft', nullable=False),
    sa.Column('conclusion', sa.String(length=8), server_default='', nullable=False),
    sa.Column('grade', sa.String(length=16), server_default='', nullable=False),
    sa.Column('total_score', sa.Numeric(precision=8, scale=2, asdecimal=False), nullable=True),
    sa.Column('total_volumes', sa.Integer(), nullable=True),
    sa.Column('sampled_volumes', sa.Integer(), nullable=True),
    sa.Column('total_drawings', sa.Integer(), nullable=True),
    sa.Column('sampled_drawings', sa.Integer(), nullable=True),
    sa.Column('accepted_volumes', sa.Integer(), nullable=True),
    sa.Column('accepted_items', sa.Integer(), nullable=True),
    sa.Column('accepted_drawings', sa.Integer(), nullable=True),
    sa.Column('opinion', sa.Text(), server_default='', nullable=False),
    sa.Column('rectification_deadline', sa.Date(), nullable=True),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('uid', sa.String(length=36), nullable=False),
    sa.Column('origin_node', sa.String(length=36), nullable=False),
    sa.Column('rev', sa.String(length=40), nullable=False),
    sa.Column('parent_rev', sa.String(length=40), nullable=True),
    sa.Column('hlc', sa.BigInteger(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('updated_by', sa.String(length=64), nullable=False),
    sa.Column('deleted', sa.Boolean(), server_default=sa.text('0'), nullable=False),
    sa.ForeignKeyConstraint(['sub_project_uid'], ['sub_projects.uid'], name=op.f('fk_acceptances_sub_project_uid_sub_projects')),
    sa.ForeignKeyConstraint(['template_uid'], ['checklist_templates.uid'], name=op.f('fk_acceptances_template_uid_checklist_templates')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_acceptances')),
    sa.UniqueConstraint('uid', name=op.f('uq_acceptances_uid'))
    )
    with op.batch_alter_table('acceptances', schema=None) as batch_op:
        batch_op.create_index('ix_acceptances_live_acceptance_date', ['acceptance_date'], unique=False, sqlite_where=sa.text('deleted = 0'))
        batch_op.create_index(batch_op.f('ix_acceptances_sub_project_uid'), ['sub_project_uid'], unique=False)

    op.create_table('acceptance_group_members',
    sa.Column('acceptance_uid', sa.String(length=36), nullable=False),
    sa.Column('seq', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=64), nullable=False),
    sa.Column('unit_kind', sa.String(length=32), nullable=False),
    sa.Column('unit_name', sa.String(length=100), server_default='', nullable=False),
    sa.Column('role', sa.String(length=16), server_default='member', nullable=False),
    sa.Column('vote', sa.String(length=16), server_default='', nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('uid', sa.String(length=36), nullable=False),
    sa.Column('origin_node', sa.String(length=36), nullable=False),
    sa.Column('rev', sa.String(length=40), nullable=False),
    sa.Column('parent_rev', sa.String(length=40), nullable=True),
    sa.Column('hlc', sa.BigInteger(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('updated_by', sa.String(length=64), nullable=False),
    sa.Column('deleted', sa.Boolean(), server_default=sa.text('0'), nullable=False),
    sa.ForeignKeyConstraint(['acceptance_uid'], ['acceptances.uid'], name=op.f('fk_acceptance_group_members_acceptance_uid_acceptances')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_acceptance_group_members')),
    sa.UniqueConstraint('uid', name=op.f('uq_acceptance_group_members_uid'))
    )
    with op.batch_alter_table('acceptance_group_members', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_acceptance_group_members_acceptance_uid'), ['acceptance_uid'], unique=False)

    op.create_table('acceptance_scores',
    sa.Column('acceptance_uid', sa.String(length=36), nullable=False),
    sa.Column('item_uid', sa.String(length=36), nullable=False),
    sa.Column('self_score', sa.Numeric(precision=8, scale=2, asdecimal=False), nullable=True),
    sa.Column('group_score', sa.Numeric(precision=8, scale=2, asdecimal=False), nullable=True),
    sa.Column('passed', sa.Boolean(), nullable=True),
    sa.Column('remark', sa.Text(), server_default='', nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('uid', sa.String(length=36), nullable=False),
    sa.Column('origin_node', sa.String(length=36), nullable=False),
    sa.Column('rev', sa.String(length=40), nullable=False),
    sa.Column('parent_rev', sa.String(length=40), nullable=True),
    sa.Column('hlc', sa.BigInteger(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('updated_by', sa.String(length=64), nullable=False),
    sa.Column('deleted', sa.Boolean(), server_default=sa.text('0'), nullable=False),
    sa.ForeignKeyConstraint(['acceptance_uid'], ['acceptances.uid'], name=op.f('fk_acceptance_scores_acceptance_uid_acceptances')),
    sa.ForeignKeyConstraint(['item_uid'], ['checklist_items.uid'], name=op.f('fk_acceptance_scores_item_uid_checklist_items')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_acceptance_scores')),
    sa.UniqueConstraint('uid', name=op.f('uq_acceptance_scores_uid'))
    )
    with op.batch_alter_table('acceptance_scores', schema=None) as batch_op:
        batch_op.create_index('uq_acceptance_scores_live_item', ['acceptance_uid', 'item_uid'], unique=True, sqlite_where=sa.text('deleted = 0'))

    op.create_table('certificates',
    sa.Column('number', sa.String(length=40), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('node_code', sa.String(length=16), nullable=False),
    sa.Column('sequence', sa.Integer(), nullable=False),
    sa.Column('acceptance_uid', sa.String(length=36), nullable=False),
    sa.Column('issued_on', sa.Date(), nullable=False),
    sa.Column('content_hash', sa.String(length=64), nullable=False),
    sa.Column('facts', sa.JSON(), nullable=False),
    sa.Column('pdf_sha256', sa.String(length=64), server_default='', nullable=False),
    sa.Column('status', sa.String(length=8), server_default='valid', nullable=False),
    sa.Column('void_reason', sa.Text(), server_default='', nullable=False),
    sa.Column('voided_on', sa.Date(), nullable=True),
    sa.Column('replaces_uid', sa.String(length=36), nullable=True),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('uid', sa.String(length=36), nullable=False),
    sa.Column('origin_node', sa.String(length=36), nullable=False),
    sa.Column('rev', sa.String(length=40), nullable=False),
    sa.Column('parent_rev', sa.String(length=40), nullable=True),
    sa.Column('hlc', sa.BigInteger(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('updated_by', sa.String(length=64), nullable=False),
    sa.Column('deleted', sa.Boolean(), server_default=sa.text('0'), nullable=False),
    sa.ForeignKeyConstraint(['acceptance_uid'], ['acceptances.uid'], name=op.f('fk_certificates_acceptance_uid_acceptances')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_certificates')),
    sa.UniqueConstraint('number', name=op.f('uq_certificates_number')),
    sa.UniqueConstraint('uid', name=op.f('uq_certificates_uid'))
    )
    with op.batch_alter_table('certificates', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_certificates_acceptance_uid'), ['acceptance_uid'], unique=False)
        batch_op.create_index(batch_op.f('ix_certificates_node_code_sequence'), ['node_code', 'sequence'], unique=False)

    with op.batch_alter_table('nodes', schema=None) as batch_op:
        batch_op.add_column(sa.Column('code', sa.String(length=16), server_default='', nullable=False))
    # existing nodes get their code: the division's code and four hex digits of the node uid
    op.execute("UPDATE nodes SET code = (SELECT d.code FROM divisions d WHERE d.uid = nodes.division_uid)"
               " || upper(substr(nodes.uid, -4)) WHERE code = ''")
    for statement in CERTIFICATE_TRIGGERS:
        op.execute(statement)


def downgrade() -> None:
    for name in ("certificates_facts_immutable", "certificates_never_deleted", "certificates_void_is_final"):
        op.execute(f"DROP TRIGGER IF EXISTS {name}")
    with op.batch_alter_table('nodes', schema=None) as batch_op:
        batch_op.drop_column('code')

    with op.batch_alter_table('certificates', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_certificates_node_code_sequence'))
        batch_op.drop_index(batch_op.f('ix_certificates_acceptance_uid'))

    op.drop_table('certificates')
    with op.batch_alter_table('acceptance_scores', schema=None) as batch_op:
        batch_op.drop_index('uq_acceptance_scores_live_item', sqlite_where=sa.text('deleted = 0'))

    op.drop_table('acceptance_scores')
    with op.batch_alter_table('acceptance_group_members', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_acceptance_group_members_acceptance_uid'))

    op.drop_table('acceptance_group_members')
    with op.batch_alter_table('acceptances', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_acceptances_sub_project_uid'))
        batch_op.drop_index('ix_acceptances_live_acceptance_date', sqlite_where=sa.text('deleted = 0'))

    op.drop_table('acceptances')
    with op.batch_alter_table('checklist_items', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_checklist_items_template_uid'))
        batch_op.drop_index(batch_op.f('ix_checklist_items_section_uid'))

    op.drop_table('checklist_items')
    with op.batch_alter_table('checklist_sections', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_checklist_sections_template_uid'))

    op.drop_table('checklist_sections')
    with op.batch_alter_table('checklist_templates', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_checklist_templates_lineage_uid'))

    op.drop_table('checklist_templates')
