"""request ids and worker runs: the request that queued each email; each task's last success

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-01 00:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0013'
down_revision = '0012'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('outbox_message', schema=None) as batch_op:
        batch_op.add_column(sa.Column('request_id', sa.String(length=64), nullable=True))
    op.create_table(
        'worker_task_run',
        sa.Column('name', sa.String(length=60), nullable=False),
        sa.Column('last_success_at', sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint('name', name=op.f('pk_worker_task_run')),
    )


def downgrade():
    op.drop_table('worker_task_run')
    # A plain DROP COLUMN (SQLite 3.35+): batch mode would drop and recreate outbox_message,
    # and the drop would cascade to outbox_body, losing every queued message's body.
    op.drop_column('outbox_message', 'request_id')
