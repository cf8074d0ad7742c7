"""search documents: the PostgreSQL search backend's documents table and vocabulary

On PostgreSQL only (SQLite, which only the Whoosh backend serves, is left as it is). The
tables belong to the search engine (baerekraft_hub/search/engine/postgresql/schema.py), not to
a model: `flask search reindex` fills them. The statements are the schema's DDL as of this
revision, written out so that later changes there do not rewrite history.

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-01 02:40:00

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '0017'
down_revision = '0016'
branch_labels = None
depends_on = None


UPGRADE = (
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    """CREATE TABLE search_document (
        kind VARCHAR(20) NOT NULL,
        doc_id INTEGER NOT NULL,
        title TEXT NOT NULL,
        url TEXT NOT NULL,
        organisation TEXT NOT NULL,
        excerpt TEXT NOT NULL,
        language VARCHAR(2) NOT NULL,
        goals INTEGER[] NOT NULL,
        targets TEXT[] NOT NULL,
        counties TEXT[] NOT NULL,
        status VARCHAR(20),
        start_year INTEGER,
        updated_at TIMESTAMP WITH TIME ZONE NOT NULL,
        written_at TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT clock_timestamp(),
        terms TSVECTOR NOT NULL,
        title_terms TSVECTOR NOT NULL,
        CONSTRAINT pk_search_document PRIMARY KEY (kind, doc_id)
    )""",
    "CREATE INDEX ix_search_document_terms ON search_document USING gin (terms)",
    "CREATE INDEX ix_search_document_updated_at ON search_document (updated_at)",
    "CREATE TABLE search_word (word TEXT NOT NULL, CONSTRAINT pk_search_word PRIMARY KEY (word))",
    # The operator class named with the extension's schema: pg_trgm may live in another schema
    # than these tables (one already in the database is not created again).
    "CREATE INDEX ix_search_word_trgm ON search_word USING gin (word {trgm}.gin_trgm_ops)",
)
TRGM_SCHEMA = "SELECT extnamespace::regnamespace::text FROM pg_extension WHERE extname = 'pg_trgm'"


def upgrade():
    if op.get_bind().dialect.name != 'postgresql':
        return
    bind = op.get_bind()
    for statement in UPGRADE:
        if "{trgm}" in statement:
            statement = statement.format(trgm=bind.exec_driver_sql(TRGM_SCHEMA).scalar())
        op.execute(statement)


def downgrade():
    if op.get_bind().dialect.name != 'postgresql':
        return
    op.execute("DROP TABLE IF EXISTS search_word")
    op.execute("DROP TABLE IF EXISTS search_document")
    # pg_trgm stays: other things in the database may use it.
