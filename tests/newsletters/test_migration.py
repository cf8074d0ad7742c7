"""Migration 0014 (newsletter consent and tables) goes up and down on this run's database."""

from __future__ import annotations


def test_the_newsletter_migration_goes_both_ways(scratch_database):
    from flask_migrate import downgrade, upgrade
    from sqlalchemy import inspect

    from baerekraft_hub import create_app
    from baerekraft_hub.extensions import db

    app = create_app("testing", {"SQLALCHEMY_DATABASE_URI": scratch_database})
    with app.app_context():
        upgrade(revision="0014")
        schema = inspect(db.engine)
        assert "newsletter_consent_at" in {c["name"] for c in schema.get_columns("user_account")}
        assert {"newsletter", "newsletter_delivery"} <= set(schema.get_table_names())
        downgrade(revision="0013")
        schema = inspect(db.engine)
        assert "newsletter_consent_at" not in {
            c["name"] for c in schema.get_columns("user_account")
        }
        assert "newsletter" not in schema.get_table_names()
        upgrade(revision="0014")
        db.engine.dispose()
