import pytest
from flask import Flask

from config import load_config


def test_production_refuses_to_start_without_a_real_secret_key(monkeypatch):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        load_config(Flask(__name__), "production")


def test_production_starts_with_a_secret_and_secure_cookies(monkeypatch):
    monkeypatch.setenv("SECRET_KEY", "a-real-secret-from-the-environment")
    app = Flask(__name__)
    load_config(app, "production")
    assert app.config["SESSION_COOKIE_SECURE"] is True
    assert app.config["HSTS"] is True


def test_environment_overrides_settings_with_types(monkeypatch):
    monkeypatch.setenv("MAIL_PORT", "2525")
    monkeypatch.setenv("MAIL_USE_TLS", "true")
    monkeypatch.setenv("SEARCH_INDEX_DIR", "/srv/search")
    monkeypatch.setenv("DATABASE_URL", "postgresql://user@db.example/hub")
    app = Flask(__name__)
    load_config(app, "development")
    assert app.config["MAIL_PORT"] == 2525
    assert app.config["MAIL_USE_TLS"] is True
    assert app.config["SEARCH_INDEX_DIR"] == "/srv/search"
    # psycopg 3 is the driver we ship, whatever scheme the host hands out
    assert app.config["SQLALCHEMY_DATABASE_URI"] == "postgresql+psycopg://user@db.example/hub"


def test_development_takes_the_dev_servers_ports_and_the_environment_still_wins(
    tmp_path, monkeypatch
):
    from config import remember_dev_server

    remember_dev_server(str(tmp_path), {"PUBLIC_URL": "http://127.0.0.1:8123", "MAIL_PORT": 8026})
    monkeypatch.delenv("PUBLIC_URL", raising=False)
    monkeypatch.setenv("MAIL_PORT", "2525")
    development = Flask(__name__, instance_path=str(tmp_path))
    load_config(development, "development")
    assert development.config["PUBLIC_URL"] == "http://127.0.0.1:8123"
    assert development.config["MAIL_PORT"] == 2525
    testing = Flask(__name__, instance_path=str(tmp_path))
    load_config(testing, "testing")  # nor in production: only `make run` writes the file
    assert testing.config["PUBLIC_URL"] == "http://localhost"
