"""/metrics: hidden without its token; what an operator's dashboard reads from it."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import date, timedelta

import pytest
from prometheus_client.parser import text_string_to_metric_families

from baerekraft_hub.core.models import utcnow
from baerekraft_hub.digests.models import DigestRun
from tests.core.outbox_helpers import queue_one

TOKEN = "s3cret-metrics-token"
AUTH = {"Authorization": f"Bearer {TOKEN}"}


@pytest.fixture()
def with_token(app, monkeypatch):
    monkeypatch.setitem(app.config, "METRICS_TOKEN", TOKEN)


def scrape(client) -> dict[tuple[str, tuple], float]:
    """Every sample: (name, sorted labels) -> value."""
    response = client.get("/metrics", headers=AUTH)
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    samples = {}
    for family in text_string_to_metric_families(response.get_data(as_text=True)):
        for sample in family.samples:
            samples[(sample.name, tuple(sorted(sample.labels.items())))] = sample.value
    return samples


def test_without_a_token_configured_the_endpoint_does_not_exist(client):
    assert client.get("/metrics").status_code == 404
    assert client.get("/metrics", headers=AUTH).status_code == 404


@pytest.mark.parametrize("header", [None, "Bearer wrong", TOKEN, f"Basic {TOKEN}"])
def test_without_the_right_token_it_is_404(client, with_token, header):
    headers = {"Authorization": header} if header else {}
    response = client.get("/metrics", headers=headers)
    assert response.status_code == 404
    assert "hub_" not in response.get_data(as_text=True)


def test_request_latency_is_counted_per_endpoint_method_and_status(client, with_token):
    key = (
        "hub_request_duration_seconds_count",
        (("endpoint", "ops.healthz"), ("method", "GET"), ("status", "200")),
    )
    before = scrape(client).get(key, 0.0)
    client.get("/healthz")
    client.get("/healthz")
    assert scrape(client)[key] == before + 2
    client.get("/no-such-page-at-all")
    unmatched = (("endpoint", "unmatched"), ("method", "GET"), ("status", "404"))
    assert scrape(client)[("hub_request_duration_seconds_count", unmatched)] >= 1


def test_the_outbox_depth_and_its_oldest_email(client, db, with_token):
    samples = scrape(client)
    assert samples[("hub_outbox_oldest_pending_age_seconds", ())] == 0
    queue_one().created_at = utcnow() - timedelta(minutes=10)
    queue_one("k2")
    db.session.commit()
    samples = scrape(client)
    pending = (("status", "pending"), ("template", "confirm_email"))
    assert samples[("hub_outbox_messages", pending)] == 2
    assert 600 <= samples[("hub_outbox_oldest_pending_age_seconds", ())] < 700


def test_the_newest_digest_run_of_each_frequency(client, db, with_token):
    db.session.add(DigestRun(frequency="weekly", period_start=date(2026, 11, 16), queued=10))
    db.session.add(
        DigestRun(
            frequency="weekly", period_start=date(2026, 11, 23), queued=7, completed_at=utcnow()
        )
    )
    db.session.add(DigestRun(frequency="daily", period_start=date(2026, 11, 29), queued=3))
    db.session.commit()
    samples = scrape(client)
    assert samples[("hub_digest_run_queued", (("frequency", "weekly"),))] == 7
    assert samples[("hub_digest_run_completed", (("frequency", "weekly"),))] == 1
    assert samples[("hub_digest_run_queued", (("frequency", "daily"),))] == 3
    assert samples[("hub_digest_run_completed", (("frequency", "daily"),))] == 0


def test_the_worker_reports_each_tasks_last_success(client, runner, with_token):
    before = utcnow().timestamp()
    assert runner.invoke(args=["worker", "--once"]).exit_code == 0
    samples = scrape(client)
    outbox = samples[("hub_worker_task_last_success_timestamp_seconds", (("task", "outbox"),))]
    assert before - 1 <= outbox <= utcnow().timestamp()


def test_search_queries_are_timed(client, with_token, search_index):
    key = ("hub_search_duration_seconds_count", (("operation", "search"),))
    before = scrape(client).get(key, 0.0)
    assert client.get("/sok?q=klima").status_code == 200
    assert scrape(client)[key] == before + 1


SCRIPT = """
import sys
from baerekraft_hub import create_app
app = create_app("testing", {"SQLALCHEMY_DATABASE_URI": sys.argv[1], "METRICS_TOKEN": "t"})
client = app.test_client()
client.get("/healthz")
print(client.get("/metrics", headers={"Authorization": "Bearer t"}).get_data(as_text=True))
"""


@pytest.mark.one_database("sqlite")
def test_multiprocess_mode_adds_up_what_each_process_measured(app, tmp_path):
    env = dict(os.environ, PROMETHEUS_MULTIPROC_DIR=str(tmp_path), INSTANCE_PATH=str(tmp_path))
    uri = app.config["SQLALCHEMY_DATABASE_URI"]
    outputs = [
        subprocess.run(
            [sys.executable, "-c", SCRIPT, uri], env=env, capture_output=True, text=True
        ).stdout
        for _ in range(2)
    ]
    healthz = 'hub_request_duration_seconds_count{endpoint="ops.healthz",method="GET",status="200"}'
    assert f"{healthz} 1.0" in outputs[0]
    assert f"{healthz} 2.0" in outputs[1]  # the first process's request, read from its file
