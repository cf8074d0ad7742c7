"""SQL statements per page, counted in-process (Flask test client, a before_cursor_execute
listener) on the bench's data, anonymous and signed in. Runs in a child process configured as
the served app is (production settings, the dataset's database)."""

from __future__ import annotations

import json
import subprocess
import sys

from benchmarks.web import _CSRF, ROOT


def count_queries(env: dict[str, str], pages: list[dict], email: str, password: str) -> dict:
    """{page name: statements} for each page ({"name", "path", "signed_in"})."""
    code = "import sys; from benchmarks.queries import _main; _main()"
    done = subprocess.run(
        [sys.executable, "-c", code],
        input=json.dumps({"pages": pages, "email": email, "password": password}),
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    if done.returncode:
        raise RuntimeError(f"counting queries failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def _main() -> None:
    from sqlalchemy import event

    from baerekraft_hub import create_app
    from baerekraft_hub.extensions import db

    task = json.loads(sys.stdin.read())
    app = create_app()
    app.config["RATELIMIT_ENABLED"] = False
    counted = {"n": 0}
    with app.app_context():
        event.listen(db.engine, "before_cursor_execute", lambda *a, **k: _bump(counted))
    anonymous = app.test_client()
    signed_in = app.test_client()
    for client in (anonymous, signed_in):
        client.environ_base["wsgi.url_scheme"] = "https"  # secure cookies come back
    page = signed_in.get("/logg-inn/", base_url="https://localhost").get_data(as_text=True)
    match = _CSRF.search(page)
    token = match.group(1) or match.group(2)
    signed_in.post(
        "/logg-inn/",
        base_url="https://localhost",
        headers={"Referer": "https://localhost/logg-inn/"},  # CSRF over HTTPS checks it
        data={"csrf_token": token, "email": task["email"], "password": task["password"]},
    )
    result = {}
    for item in task["pages"]:
        client = signed_in if item["signed_in"] else anonymous
        client.get(item["path"], base_url="https://localhost")  # warm: first-use caches
        counted["n"] = 0
        response = client.get(item["path"], base_url="https://localhost")
        result[item["name"]] = counted["n"] if response.status_code == 200 else None
    print(json.dumps(result))


def _bump(counted: dict) -> None:
    counted["n"] += 1
