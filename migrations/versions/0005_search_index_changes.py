"""search index changes: the outbox of index updates

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-27 06:40:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('search_index_change',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('item_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_search_index_change')),
    sqlite_autoincrement=True,  # ids never reused: see SearchIndexChange
    )


def downgrade():
    op.drop_table('search_index_change')
