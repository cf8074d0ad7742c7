"""`flask doctor`: each finding an operator would act on, and the exit code."""

from __future__ import annotations

import shutil

import pytest

from baerekraft_hub.ops import doctor
from baerekraft_hub.search.changes import rebuild_index
from tests.conftest import dkim_key_pair, free_port
from tests.search.engine.conftest import on_postgresql


@pytest.fixture()
def healthy(app, monkeypatch, smtp_server, search_index):
    """A deployment with nothing wrong: a real key, a mail server, DNS that answers."""
    monkeypatch.setitem(app.config, "SECRET_KEY", "k" * 64)
    monkeypatch.setattr(doctor, "sender_domain_records", lambda domain: (True, True))
    return app


def run_doctor(runner):
    result = runner.invoke(args=["doctor"])
    return result.exit_code, result.output


def test_a_healthy_deployment_passes(healthy, runner):
    code, output = run_doctor(runner)
    assert code == 0, output
    assert "No problems found." in output
    assert "FAIL" not in output and "ok   mail server" in output


@pytest.mark.parametrize(
    ("setting", "value", "said"),
    [
        ("MAIL_PORT", "abc", "MAIL_PORT: 'abc' is not a whole number from 1 to 65535"),
        ("MAIL_PORT", 70000, "MAIL_PORT: 70000 is not a whole number"),
        ("DIGEST_DAILY_AT", "7am", "DIGEST_DAILY_AT: '7am' is not a time of day"),
        ("MAIL_USE_TLS", "yes", "MAIL_USE_TLS: 'yes' is not true or false"),
        ("RATELIMIT_LOGIN", "lots", "RATELIMIT_LOGIN: 'lots' is not a rate limit"),
        ("SEARCH_BACKEND", "elastic", "SEARCH_BACKEND: 'elastic' is unknown"),
    ],
)
def test_a_malformed_setting_is_named(healthy, runner, monkeypatch, setting, value, said):
    monkeypatch.setitem(healthy.config, setting, value)
    code, output = run_doctor(runner)
    assert code == 1
    assert f"FAIL {said}" in output


def test_the_development_secret_key_is_refused(healthy, runner, monkeypatch):
    monkeypatch.setitem(healthy.config, "SECRET_KEY", "dev-only-not-secret")
    code, output = run_doctor(runner)
    assert code == 1
    assert "FAIL SECRET_KEY: is the development key" in output
    assert "secrets.token_hex" in output


def test_production_wants_https_in_public_url(healthy, runner, monkeypatch):
    monkeypatch.setitem(healthy.config, "BAEREKRAFT_ENV", "production")
    monkeypatch.setitem(healthy.config, "PUBLIC_URL", "http://hub.example.no")
    code, output = run_doctor(runner)
    assert code == 1
    assert "FAIL PUBLIC_URL: http://hub.example.no is not https" in output
    # and advice (not a failure) for running without Redis
    assert "WARN REDIS_URL: not set" in output


def test_an_unreachable_mail_server_is_named(healthy, runner, monkeypatch):
    monkeypatch.setitem(healthy.config, "MAIL_PORT", free_port())
    code, output = run_doctor(runner)
    assert code == 1
    assert "FAIL MAIL_SERVER: cannot reach 127.0.0.1:" in output


def test_a_sender_domain_without_dns_fails_and_one_without_spf_is_a_warning(
    healthy, runner, monkeypatch
):
    monkeypatch.setattr(doctor, "sender_domain_records", lambda domain: (False, False))
    code, output = run_doctor(runner)
    assert code == 1
    assert "FAIL MAIL_DEFAULT_SENDER: the sender domain baerekraftshub.no has no MX" in output
    monkeypatch.setattr(doctor, "sender_domain_records", lambda domain: (True, False))
    code, output = run_doctor(runner)
    assert code == 0
    assert "WARN MAIL_DEFAULT_SENDER: the sender domain baerekraftshub.no publishes no" in output


def test_unreachable_redis_fails(healthy, runner, monkeypatch):
    monkeypatch.setitem(healthy.config, "REDIS_URL", f"redis://127.0.0.1:{free_port()}/0")
    code, output = run_doctor(runner)
    assert code == 1
    assert "FAIL REDIS_URL: cannot reach Redis" in output


def test_an_unwritable_folder_fails(healthy, runner, monkeypatch, tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    monkeypatch.setenv("PROMETHEUS_MULTIPROC_DIR", str(blocker / "metrics"))
    code, output = run_doctor(runner)
    assert code == 1
    assert f"FAIL PROMETHEUS_MULTIPROC_DIR: {blocker / 'metrics'} is not writable" in output


def test_the_postgresql_search_backend_needs_a_postgresql_database(healthy, runner, monkeypatch):
    monkeypatch.setitem(healthy.config, "SEARCH_BACKEND", "postgresql")
    monkeypatch.setitem(healthy.config, "SQLALCHEMY_DATABASE_URI", "sqlite:///hub.sqlite")
    code, output = run_doctor(runner)
    assert code == 1
    assert "FAIL SEARCH_BACKEND: postgresql keeps the search documents in the database" in output
    assert "fix: SEARCH_BACKEND=whoosh, or DATABASE_URL=postgresql://" in output


@pytest.mark.one_database("postgresql")
@pytest.mark.skipif(not on_postgresql(), reason="DATABASE_URL is not PostgreSQL")
def test_the_postgresql_search_backend_is_checked_by_doctor(healthy, runner, db):
    from tests.search.conftest import using_backend

    with using_backend(healthy, "postgresql") as backend:
        rebuild_index()
        code, output = run_doctor(runner)
        assert code == 0, output
        db.session.execute(db.text("ALTER TABLE search_document RENAME TO search_document_gone"))
        db.session.commit()
        try:
            code, output = run_doctor(runner)
            ready = healthy.test_client().get("/readyz")
        finally:
            restore = "ALTER TABLE search_document_gone RENAME TO search_document"
            db.session.execute(db.text(restore))
            db.session.commit()
        assert backend.exists()
    assert code == 1
    assert "FAIL SEARCH_BACKEND: search: search index unavailable (postgresql)" in output
    assert ready.status_code == 503 and "search" in ready.get_json()["failed"]


def test_a_missing_search_index_fails(healthy, runner):
    shutil.rmtree(healthy.config["SEARCH_INDEX_DIR"])
    try:
        code, output = run_doctor(runner)
    finally:
        rebuild_index()
    assert code == 1
    assert "FAIL SEARCH_INDEX_DIR: search: search index unavailable (whoosh)" in output
    assert "fix: flask search reindex" in output


def test_dkim_needs_a_readable_key_whose_public_half_dns_publishes(
    healthy, runner, monkeypatch, tmp_path
):
    monkeypatch.setitem(healthy.config, "DKIM_DOMAIN", "baerekraftshub.no")
    monkeypatch.setitem(healthy.config, "DKIM_SELECTOR", "hub2026")
    code, output = run_doctor(runner)
    assert code == 1 and "FAIL DKIM_PRIVATE_KEY_FILE: not set" in output

    garbage = tmp_path / "not-a-key.pem"
    garbage.write_text("hello")
    monkeypatch.setitem(healthy.config, "DKIM_PRIVATE_KEY_FILE", str(garbage))
    code, output = run_doctor(runner)
    assert code == 1 and "is no usable key" in output

    private, record = dkim_key_pair(tmp_path)
    monkeypatch.setitem(healthy.config, "DKIM_PRIVATE_KEY_FILE", str(private))
    published = {}
    monkeypatch.setattr(doctor, "dkim_record", lambda name, timeout=3: published.get(name))
    code, output = run_doctor(runner)
    assert code == 1 and "no TXT record at hub2026._domainkey.baerekraftshub.no" in output

    published[b"hub2026._domainkey.baerekraftshub.no."] = record
    code, output = run_doctor(runner)
    assert code == 0, output
