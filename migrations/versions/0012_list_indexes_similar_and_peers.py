"""list indexes, similar projects and peers: the pages stay fast at 10,000 projects (issue 12)

The lists sort published items by published_at through (state, published_at, id), which
replaces the index on state alone; min/max(start_date) reads ix_project_start_date; the link
tables are indexed by their second column too (items of a target, goal, tag, participant).
similar_project keeps each project's similar projects and organisation_peer each
municipality's peers, both computed by the worker.

Revision ID: 0012
Revises: 0011
Create Date: 2026-11-30 23:13:50

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None

LINK_COLUMNS = [
    ('practice_goal', 'goal_number'),
    ('practice_project', 'project_id'),
    ('practice_tag', 'tag_id'),
    ('practice_target', 'target_id'),
    ('project_goal', 'goal_number'),
    ('project_kpi', 'kpi_id'),
    ('project_participant', 'organisation_id'),
    ('project_tag', 'tag_id'),
    ('project_target', 'target_id'),
]


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
    for table in ('practice', 'project'):
        op.drop_index(f'ix_{table}_state', table_name=table)
        op.create_index(f'ix_{table}_state_published_at', table, ['state', 'published_at', 'id'])
    op.create_index('ix_project_start_date', 'project', ['start_date'])
    for table, column in LINK_COLUMNS:
        op.create_index(f'ix_{table}_{column}', table, [column])


def downgrade():
    for table, column in LINK_COLUMNS:
        op.drop_index(f'ix_{table}_{column}', table_name=table)
    op.drop_index('ix_project_start_date', table_name='project')
    for table in ('practice', 'project'):
        op.drop_index(f'ix_{table}_state_published_at', table_name=table)
        op.create_index(f'ix_{table}_state', table, ['state'])
    op.drop_table('organisation_peer')
    op.drop_table('similar_project')
