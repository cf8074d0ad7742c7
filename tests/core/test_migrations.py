"""The models and the migrations describe the same schema, on this run's kind of database."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import upgrade

from baerekraft_hub import create_app
from baerekraft_hub.extensions import db


def test_migrating_to_head_gives_the_tables_the_models_describe(scratch_database):
    """What `flask db check` asks: autogenerate, with the app's own Alembic options, finds
    nothing to add to a database upgraded to head. A model change without its migration (or a
    migration the models do not follow) fails here."""
    app = create_app("testing", {"SQLALCHEMY_DATABASE_URI": scratch_database})
    with app.app_context():
        upgrade()
        options = dict(app.extensions["migrate"].configure_args, target_metadata=db.metadata)
        with db.engine.connect() as connection:
            context = MigrationContext.configure(connection, opts=options)
            differences = compare_metadata(context, db.metadata)
        db.engine.dispose()
    assert differences == []
