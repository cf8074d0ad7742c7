"""KPI medians per year for the network, each county and each population band

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-01 02:30:00

The medians are derived data: the worker computes them from the values already stored on its
first turn (kpis/medians.py), so the table starts empty.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0018'
down_revision = '0017'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'kpi_median',
        sa.Column('kpi_id', sa.Integer(), nullable=False),
        sa.Column('year', sa.Integer(), nullable=False),
        sa.Column('scope', sa.String(length=10), nullable=False),
        sa.Column('scope_key', sa.Integer(), nullable=False),
        sa.Column('median', sa.Float(), nullable=False),
        sa.Column('reporting', sa.Integer(), nullable=False),
        sa.Column('demo', sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ['kpi_id'], ['u4ssc_kpi.id'],
            name=op.f('fk_kpi_median_kpi_id_u4ssc_kpi'), ondelete='CASCADE',
        ),
        sa.PrimaryKeyConstraint('kpi_id', 'year', 'scope', 'scope_key', name=op.f('pk_kpi_median')),
    )
    op.create_index(
        'ix_kpi_median_scope_scope_key_year', 'kpi_median', ['scope', 'scope_key', 'year'],
    )


def downgrade():
    op.drop_index('ix_kpi_median_scope_scope_key_year', table_name='kpi_median')
    op.drop_table('kpi_median')
