"""mail bounces: each bounce received, and the addresses bulk email no longer goes to

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-01 00:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'mail_bounce',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('address', sa.String(length=254), nullable=False),
        sa.Column('permanent', sa.Boolean(), nullable=False),
        sa.Column('outbox_message_id', sa.Integer(), nullable=True),
        sa.Column('received_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ['outbox_message_id'], ['outbox_message.id'],
            name=op.f('fk_mail_bounce_outbox_message_id_outbox_message'), ondelete='SET NULL',
        ),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_mail_bounce')),
    )
    op.create_index(
        'ix_mail_bounce_address_received_at', 'mail_bounce', ['address', 'received_at']
    )
    op.create_table(
        'mail_suppression',
        sa.Column('address', sa.String(length=254), nullable=False),
        sa.Column('reason', sa.String(length=20), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint('address', name=op.f('pk_mail_suppression')),
    )


def downgrade():
    op.drop_table('mail_suppression')
    op.drop_index('ix_mail_bounce_address_received_at', table_name='mail_bounce')
    op.drop_table('mail_bounce')
