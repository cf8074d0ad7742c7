"""similar projects: each project's list, computed by the worker (issue 12)

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-30 23:13:50

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('similar_project',
    sa.Column('project_id', sa.Integer(), nullable=False),
    sa.Column('rank', sa.Integer(), nullable=False),
    sa.Column('similar_id', sa.Integer(), nullable=True),
    sa.Column('computed_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['project_id'], ['project.id'], name=op.f('fk_similar_project_project_id_project'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['similar_id'], ['project.id'], name=op.f('fk_similar_project_similar_id_project'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('project_id', 'rank', name=op.f('pk_similar_project'))
    )


def downgrade():
    op.drop_table('similar_project')
