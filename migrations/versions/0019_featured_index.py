"""featured index: the home page finds the few featured items without reading every published one

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-01 02:55:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0019'
down_revision = '0018'
branch_labels = None
depends_on = None


def upgrade():
    for table in ('practice', 'project'):
        featured = sa.text('featured_at IS NOT NULL')
        op.create_index(
            f'ix_{table}_featured_at', table, ['featured_at'],
            sqlite_where=featured, postgresql_where=featured,
        )


def downgrade():
    for table in ('practice', 'project'):
        op.drop_index(f'ix_{table}_featured_at', table_name=table)
