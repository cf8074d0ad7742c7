"""subject event index: a follower's events are read from the (kind, key) index alone

Revision ID: 0021
Revises: 0020
Create Date: 2026-12-01 06:25:00

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '0021'
down_revision = '0020'
branch_labels = None
depends_on = None


def upgrade():
    # The old (kind, key) index is this one's prefix: it would only cost writes.
    op.create_index(
        'ix_activity_event_subject_kind_key_event',
        'activity_event_subject',
        ['kind', 'key', 'event_id'],
    )
    op.drop_index('ix_activity_event_subject_kind_key', table_name='activity_event_subject')


def downgrade():
    op.create_index(
        'ix_activity_event_subject_kind_key', 'activity_event_subject', ['kind', 'key']
    )
    op.drop_index(
        'ix_activity_event_subject_kind_key_event', table_name='activity_event_subject'
    )
