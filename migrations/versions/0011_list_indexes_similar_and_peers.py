"""similar projects and peers, computed by the worker (issue 12)

similar_project keeps each project's similar projects and organisation_peer each
municipality's peers.

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
    op.create_table('organisation_peer',
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('rank', sa.Integer(), nullable=False),
    sa.Column('peer_id', sa.Integer(), nullable=False),
    sa.Column('shared_targets', sa.Text(), nullable=False),
    sa.Column('computed_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisation.id'], name=op.f('fk_organisation_peer_organisation_id_organisation'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['peer_id'], ['organisation.id'], name=op.f('fk_organisation_peer_peer_id_organisation'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('organisation_id', 'rank', name=op.f('pk_organisation_peer'))
    )


def downgrade():
    op.drop_table('organisation_peer')
    op.drop_table('similar_project')
