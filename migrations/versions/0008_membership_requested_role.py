"""membership requested role: the role a user asks for, offered first when approving

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-30 17:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade():
    # Requests made before asked for nothing: they keep the old default, member.
    with op.batch_alter_table('membership', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('requested_role', sa.String(length=20), server_default='member', nullable=False)
        )


def downgrade():
    with op.batch_alter_table('membership', schema=None) as batch_op:
        batch_op.drop_column('requested_role')
