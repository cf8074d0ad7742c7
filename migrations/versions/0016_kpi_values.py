"""KPI values: definitions completed (texts, unit code, direction, target), structure, values

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-01 02:30:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0016'
down_revision = '0015'
branch_labels = None
depends_on = None

KPI_COLUMNS = [
    ('name_nb', sa.String(length=200)),
    ('name_nn', sa.String(length=200)),
    ('description_en', sa.Text()),
    ('description_nb', sa.Text()),
    ('description_nn', sa.Text()),
    ('text_source', sa.String(length=300)),
    ('unit_code', sa.String(length=40)),
    ('numerator', sa.Text()),
    ('denominator', sa.Text()),
    ('direction', sa.String(length=10)),
    ('target_value', sa.Float()),
    ('target_source', sa.String(length=300)),
]


def upgrade():
    with op.batch_alter_table('u4ssc_kpi', schema=None) as batch_op:
        for name, type_ in KPI_COLUMNS:
            batch_op.add_column(sa.Column(name, type_, nullable=True))
    op.create_table(
        'u4ssc_kpi_group',
        sa.Column('code', sa.String(length=40), nullable=False),
        sa.Column('level', sa.String(length=20), nullable=False),
        sa.Column('parent_code', sa.String(length=40), nullable=True),
        sa.Column('position', sa.Integer(), nullable=False),
        sa.Column('name_en', sa.String(length=120), nullable=False),
        sa.Column('name_nb', sa.String(length=120), nullable=True),
        sa.Column('name_nn', sa.String(length=120), nullable=True),
        sa.ForeignKeyConstraint(
            ['parent_code'], ['u4ssc_kpi_group.code'],
            name=op.f('fk_u4ssc_kpi_group_parent_code_u4ssc_kpi_group'),
        ),
        sa.PrimaryKeyConstraint('code', name=op.f('pk_u4ssc_kpi_group')),
    )
    op.create_index(op.f('ix_u4ssc_kpi_group_parent_code'), 'u4ssc_kpi_group', ['parent_code'])
    op.create_table(
        'kpi_value',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('organisation_id', sa.Integer(), nullable=False),
        sa.Column('kpi_id', sa.Integer(), nullable=False),
        sa.Column('year', sa.Integer(), nullable=False),
        sa.Column('value', sa.Float(), nullable=False),
        sa.Column('numerator', sa.Float(), nullable=True),
        sa.Column('denominator', sa.Float(), nullable=True),
        sa.Column('quality', sa.String(length=10), nullable=False),
        sa.Column('source', sa.String(length=300), nullable=True),
        sa.Column('verified', sa.Boolean(), nullable=False),
        sa.Column('comment', sa.Text(), nullable=True),
        sa.Column('entered_by_id', sa.Integer(), nullable=True),
        sa.Column('entered_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('demo', sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ['entered_by_id'], ['user_account.id'],
            name=op.f('fk_kpi_value_entered_by_id_user_account'), ondelete='SET NULL',
        ),
        sa.ForeignKeyConstraint(
            ['kpi_id'], ['u4ssc_kpi.id'],
            name=op.f('fk_kpi_value_kpi_id_u4ssc_kpi'), ondelete='CASCADE',
        ),
        sa.ForeignKeyConstraint(
            ['organisation_id'], ['organisation.id'],
            name=op.f('fk_kpi_value_organisation_id_organisation'), ondelete='CASCADE',
        ),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_kpi_value')),
        sa.UniqueConstraint(
            'organisation_id', 'kpi_id', 'year',
            name=op.f('uq_kpi_value_organisation_id'),
        ),
    )
    op.create_index('ix_kpi_value_kpi_id_year', 'kpi_value', ['kpi_id', 'year'])
    op.create_index(op.f('ix_kpi_value_organisation_id'), 'kpi_value', ['organisation_id'])
    op.create_table(
        'kpi_value_version',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('value_id', sa.Integer(), nullable=False),
        sa.Column('value', sa.Float(), nullable=False),
        sa.Column('numerator', sa.Float(), nullable=True),
        sa.Column('denominator', sa.Float(), nullable=True),
        sa.Column('quality', sa.String(length=10), nullable=False),
        sa.Column('source', sa.String(length=300), nullable=True),
        sa.Column('verified', sa.Boolean(), nullable=False),
        sa.Column('comment', sa.Text(), nullable=True),
        sa.Column('entered_by_id', sa.Integer(), nullable=True),
        sa.Column('entered_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('replaced_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('replaced_by_id', sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ['entered_by_id'], ['user_account.id'],
            name=op.f('fk_kpi_value_version_entered_by_id_user_account'), ondelete='SET NULL',
        ),
        sa.ForeignKeyConstraint(
            ['replaced_by_id'], ['user_account.id'],
            name=op.f('fk_kpi_value_version_replaced_by_id_user_account'), ondelete='SET NULL',
        ),
        sa.ForeignKeyConstraint(
            ['value_id'], ['kpi_value.id'],
            name=op.f('fk_kpi_value_version_value_id_kpi_value'), ondelete='CASCADE',
        ),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_kpi_value_version')),
    )
    op.create_index(op.f('ix_kpi_value_version_value_id'), 'kpi_value_version', ['value_id'])


def downgrade():
    op.drop_index(op.f('ix_kpi_value_version_value_id'), table_name='kpi_value_version')
    op.drop_table('kpi_value_version')
    op.drop_index(op.f('ix_kpi_value_organisation_id'), table_name='kpi_value')
    op.drop_index('ix_kpi_value_kpi_id_year', table_name='kpi_value')
    op.drop_table('kpi_value')
    op.drop_index(op.f('ix_u4ssc_kpi_group_parent_code'), table_name='u4ssc_kpi_group')
    op.drop_table('u4ssc_kpi_group')
    with op.batch_alter_table('u4ssc_kpi', schema=None) as batch_op:
        for name, _type in reversed(KPI_COLUMNS):
            batch_op.drop_column(name)
