"""goal names in nynorsk: short_title_nn and title_nn on sdg_goal

The columns start empty: `flask seed reference` (run after every `flask db upgrade`) fills
them from sdg_goals.csv. Until then nynorsk readers see the bokmål names, as before.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-01 10:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('sdg_goal', schema=None) as batch_op:
        batch_op.add_column(sa.Column('short_title_nn', sa.String(length=120), nullable=True))
        batch_op.add_column(sa.Column('title_nn', sa.Text(), nullable=True))


def downgrade():
    with op.batch_alter_table('sdg_goal', schema=None) as batch_op:
        batch_op.drop_column('title_nn')
        batch_op.drop_column('short_title_nn')
