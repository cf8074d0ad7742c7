"""newsletters: consent on accounts, newsletters and their frozen recipient lists

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-01 12:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0014'
down_revision = '0013'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('user_account', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('newsletter_consent_at', sa.DateTime(timezone=True), nullable=True)
        )
    op.create_table(
        'newsletter',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('subject', sa.String(length=200), nullable=False),
        sa.Column('preheader', sa.String(length=200), nullable=False),
        sa.Column('body', sa.Text(), nullable=False),
        sa.Column('news', sa.Text(), nullable=False),
        sa.Column('utm_campaign', sa.String(length=100), nullable=False),
        sa.Column('audience', sa.JSON(), nullable=False),
        sa.Column('status', sa.String(length=20), nullable=False),
        sa.Column('scheduled_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('started_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('finished_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('released_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('recipient_count', sa.Integer(), nullable=False),
        sa.Column('created_by_id', sa.Integer(), nullable=True),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ['created_by_id'], ['user_account.id'],
            name=op.f('fk_newsletter_created_by_id_user_account'), ondelete='SET NULL',
        ),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_newsletter')),
    )
    op.create_index(op.f('ix_newsletter_status'), 'newsletter', ['status'])
    op.create_table(
        'newsletter_delivery',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('newsletter_id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('status', sa.String(length=20), nullable=False),
        sa.Column('outbox_message_id', sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ['newsletter_id'], ['newsletter.id'],
            name=op.f('fk_newsletter_delivery_newsletter_id_newsletter'), ondelete='CASCADE',
        ),
        sa.ForeignKeyConstraint(
            ['user_id'], ['user_account.id'],
            name=op.f('fk_newsletter_delivery_user_id_user_account'), ondelete='CASCADE',
        ),
        sa.ForeignKeyConstraint(
            ['outbox_message_id'], ['outbox_message.id'],
            name=op.f('fk_newsletter_delivery_outbox_message_id_outbox_message'),
            ondelete='SET NULL',
        ),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_newsletter_delivery')),
        sa.UniqueConstraint(
            'newsletter_id', 'user_id', name=op.f('uq_newsletter_delivery_newsletter_id')
        ),
    )
    op.create_index(
        'ix_newsletter_delivery_newsletter_id_status', 'newsletter_delivery',
        ['newsletter_id', 'status'],
    )


def downgrade():
    op.drop_index('ix_newsletter_delivery_newsletter_id_status', table_name='newsletter_delivery')
    op.drop_table('newsletter_delivery')
    op.drop_index(op.f('ix_newsletter_status'), table_name='newsletter')
    op.drop_table('newsletter')
    with op.batch_alter_table('user_account', schema=None) as batch_op:
        batch_op.drop_column('newsletter_consent_at')
