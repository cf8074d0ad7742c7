"""organisation suggestions: what "Your follows" suggests to an organisation's members, computed
by the worker (issue 12)

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-01 03:40:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0020'
down_revision = '0019'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('organisation_work',
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('target_ids', sa.Text(), nullable=False),
    sa.Column('computed_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisation.id'], name=op.f('fk_organisation_work_organisation_id_organisation'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('organisation_id', name=op.f('pk_organisation_work'))
    )
    op.create_table('organisation_suggestion',
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('rank', sa.Integer(), nullable=False),
    sa.Column('item_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisation.id'], name=op.f('fk_organisation_suggestion_organisation_id_organisation'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('organisation_id', 'kind', 'rank', name=op.f('pk_organisation_suggestion'))
    )


def downgrade():
    op.drop_table('organisation_suggestion')
    op.drop_table('organisation_work')
