"""outbox bodies apart: a message's text and HTML in their own table

A delivery changes a message's state two or three times (claimed, sent or put back); SQLite
rewrites the whole row on each change, and a digest's row was ~10 KB of bodies. Now the state
row is small and the bodies are written once.

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-29 18:20:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade():
    # The bodies wait in a plain table while outbox_message is rebuilt (SQLite's batch mode
    # drops and recreates it, which would cascade to a table that already pointed at it).
    op.execute(
        'CREATE TABLE outbox_body_moving AS '
        'SELECT id AS message_id, body_text AS text, body_html AS html FROM outbox_message'
    )
    with op.batch_alter_table('outbox_message', schema=None) as batch_op:
        batch_op.drop_column('body_text')
        batch_op.drop_column('body_html')
    op.create_table('outbox_body',
    sa.Column('message_id', sa.Integer(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('html', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['message_id'], ['outbox_message.id'], name=op.f('fk_outbox_body_message_id_outbox_message'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('message_id', name=op.f('pk_outbox_body'))
    )
    op.execute(
        'INSERT INTO outbox_body (message_id, text, html) '
        'SELECT message_id, text, html FROM outbox_body_moving'
    )
    op.drop_table('outbox_body_moving')


def downgrade():
    with op.batch_alter_table('outbox_message', schema=None) as batch_op:
        batch_op.add_column(sa.Column('body_text', sa.Text(), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('body_html', sa.Text(), nullable=False, server_default=''))
    op.execute(
        'UPDATE outbox_message SET '
        'body_text = (SELECT text FROM outbox_body WHERE message_id = outbox_message.id), '
        'body_html = (SELECT html FROM outbox_body WHERE message_id = outbox_message.id) '
        'WHERE id IN (SELECT message_id FROM outbox_body)'
    )
    op.drop_table('outbox_body')
    with op.batch_alter_table('outbox_message', schema=None) as batch_op:
        batch_op.alter_column('body_text', server_default=None)
        batch_op.alter_column('body_html', server_default=None)
