"""coordinator console: the audit log, deactivated accounts, featured content, network contacts

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-01 00:30:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0015'
down_revision = '0014'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'audit_event',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('actor_id', sa.Integer(), nullable=True),
        sa.Column('actor_name', sa.String(length=120), nullable=False),
        sa.Column('action', sa.String(length=60), nullable=False),
        sa.Column('target_kind', sa.String(length=40), nullable=False),
        sa.Column('target_id', sa.String(length=254), nullable=False),
        sa.Column('reason', sa.Text(), nullable=True),
        sa.Column('details', sa.JSON(), nullable=True),
        sa.ForeignKeyConstraint(
            ['actor_id'], ['user_account.id'],
            name=op.f('fk_audit_event_actor_id_user_account'), ondelete='SET NULL',
        ),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_event')),
    )
    op.create_index(op.f('ix_audit_event_action'), 'audit_event', ['action'])
    op.create_index(op.f('ix_audit_event_actor_id'), 'audit_event', ['actor_id'])
    op.create_index(op.f('ix_audit_event_created_at'), 'audit_event', ['created_at'])
    with op.batch_alter_table('user_account', schema=None) as batch_op:
        batch_op.add_column(sa.Column('deactivated_at', sa.DateTime(timezone=True), nullable=True))
    for table in ('project', 'practice'):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column('featured_at', sa.DateTime(timezone=True), nullable=True))
    with op.batch_alter_table('organisation', schema=None) as batch_op:
        batch_op.add_column(sa.Column('network_contact_name', sa.String(length=120), nullable=True))
        batch_op.add_column(sa.Column('network_contact_email', sa.String(length=254), nullable=True))


def downgrade():
    with op.batch_alter_table('organisation', schema=None) as batch_op:
        batch_op.drop_column('network_contact_email')
        batch_op.drop_column('network_contact_name')
    for table in ('practice', 'project'):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column('featured_at')
    with op.batch_alter_table('user_account', schema=None) as batch_op:
        batch_op.drop_column('deactivated_at')
    op.drop_index(op.f('ix_audit_event_created_at'), table_name='audit_event')
    op.drop_index(op.f('ix_audit_event_actor_id'), table_name='audit_event')
    op.drop_index(op.f('ix_audit_event_action'), table_name='audit_event')
    op.drop_table('audit_event')
