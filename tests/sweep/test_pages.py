"""The page-render sweep: every GET route, filled with every kind of object, for every role.

The demo content plus hostile content (tests/sweep/world.py) is loaded once; then each GET
route of `app.url_map` is requested with the ids and slugs of those objects, as a page and
as an htmx fragment, by anonymous, member, editor, admin and coordinator. No answer may be a
5xx, and no hostile text may come through as markup. A new GET route whose arguments this
file cannot fill fails `test_every_get_route_can_be_filled`.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlencode

import pytest
from flask import url_for

from baerekraft_hub.accounts.services import _password_token, set_password_url
from baerekraft_hub.accounts.tokens import Purpose, make_token
from baerekraft_hub.digests.services import unsubscribe_token
from baerekraft_hub.extensions import db
from baerekraft_hub.newsletters.emails import unsubscribe_token as newsletter_unsubscribe_token
from tests.conftest import IsolatedClient
from tests.hostile import leaks, template_attributes
from tests.sweep.world import ROLES, World

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"
ALLOWED_ATTRIBUTES = template_attributes(TEMPLATES)
# Pages a visitor is shown with every object; other routes, roles and fragments get the
# hostile objects and the first demo one.
EVERY_OBJECT = {"projects.show", "practices.show"}
SOME = 4
KPI_PAGES = {"kpis.kpi", "kpis.ranking_csv", "kpis.ranking_json"}  # their slug is a KPI's


def _tokens(world: World) -> dict[str, list[str]]:
    from baerekraft_hub.accounts.models import User

    user = db.session.get(User, world.hostile_user)
    confirm = make_token(Purpose.CONFIRM_EMAIL, {"id": user.id, "email": user.email})
    return {
        "accounts.confirm_email": [confirm, "not-a-token"],
        "accounts.reset_password": [_password_token(user, Purpose.RESET_PASSWORD), "x"],
        "accounts.set_password": [set_password_url(user).rstrip("/").rsplit("/", 1)[1], "x"],
        "digests.unsubscribe": [unsubscribe_token(user), "not-a-token"],
        "newsletters.unsubscribe": [newsletter_unsubscribe_token(user), "not-a-token"],
    }


# How to fill each URL argument: (endpoint, world, tokens) -> values.
FILLERS: dict[str, Callable[[str, World, dict], list]] = {
    "project_id": lambda endpoint, w, t: w.projects,
    "practice_id": lambda endpoint, w, t: w.practices,
    "slug": lambda endpoint, w, t: w.kpis if endpoint in KPI_PAGES else w.organisations,
    "number": lambda endpoint, w, t: w.goals,
    "target_id": lambda endpoint, w, t: w.targets,
    "token": lambda endpoint, w, t: t[endpoint],
    "newsletter_id": lambda endpoint, w, t: w.newsletters,
    "filename": lambda endpoint, w, t: ["css/app.css", "js/app.js"],
    "user_id": lambda endpoint, w, t: [w.hostile_user],
    "value_id": lambda endpoint, w, t: w.kpi_values,
}


def _queries(w: World) -> dict[str, list[dict]]:
    """Query strings worth sending as well: filters and searches with hostile text."""
    text = w.text
    return {
        "projects.index": [{"tag": w.tags[0]}, {"tag": "demo", "page": 2}, {"goal": 11}],
        "practices.index": [{"tag": w.tags[0]}],
        "transfer.export_projects": [{"tag": w.tags[0]}],
        "projects.tag_suggestions": [{"tags": w.tags[0][:5]}, {"tags": text}],
        "sdg.target_search": [{"q": text}, {"q": "avfall"}],
        "organisations.index": [{"q": text}, {"q": "sweep"}],
        "search.page": [{"q": text}, {"q": "sweep"}, {"q": "regnbed"}],
        "search.live": [{"q": "sweep"}, {"q": text}],
        "search.api": [{"q": "sweep"}],
        "accounts.login": [{"next": text}],
        "newsletters.count": [{"targets": text, "goals": 13, "kinds": text}],
        "kpis.kpi": [
            {"ar": text, "kommune": text},
            {"ar": 2026, "kommune": "molde"},
            {"alle": 1, "kommune": text},
        ],
        "kpis.status": [{"kategori": "alle"}, {"kategori": text}, {"kategori": "ec-ict-ict"}],
        "kpis.ranking_csv": [{"ar": text}],
        "kpis.api_values": [{"municipality": text, "year": text, "kpi": text, "page": 2}],
    }


def get_routes(app) -> list:
    return sorted(
        (r for r in app.url_map.iter_rules() if "GET" in r.methods), key=lambda r: r.endpoint
    )


def test_every_get_route_can_be_filled(app):
    unfilled = [
        f"{rule.endpoint} {rule.rule}: {sorted(set(rule.arguments) - set(FILLERS))}"
        for rule in get_routes(app)
        if set(rule.arguments) - set(FILLERS)
    ]
    assert unfilled == [], "teach tests/sweep/test_pages.py FILLERS to fill these arguments"


@pytest.fixture(scope="module")
def sweep_paths(app, world):
    with app.app_context():
        tokens = _tokens(world)
    with app.test_request_context():
        return {True: _paths(app, world, tokens, EVERY_OBJECT), False: _paths(app, world, tokens)}


def _paths(app, world: World, tokens: dict, every=frozenset()) -> list[tuple[str, str]]:
    """The paths to request: every endpoint in `every` with every object, others with some."""
    paths = []
    queries = _queries(world)
    for rule in get_routes(app):
        endpoint = rule.endpoint
        values = [{}]
        for argument in sorted(rule.arguments):
            options = FILLERS[argument](endpoint, world, tokens)
            if endpoint not in every:
                options = options[:SOME]
            values = [dict(v, **{argument: option}) for v in values for option in options]
        for value in values:
            path = url_for(endpoint, **value)
            paths.append((endpoint, path))
            paths.extend(
                (endpoint, f"{path}?{urlencode(query)}") for query in queries.get(endpoint, [])
            )
    return paths


def _client(app, world: World, role: str):
    app.test_client_class = IsolatedClient
    client = app.test_client()
    if role != "anonymous":
        with client.session_transaction() as session:
            session["_user_id"] = world.users[role]
            session["_fresh"] = True
        assert client.get("/profil/").status_code == 200, f"{role} is not signed in"
    return client


@pytest.mark.parametrize("htmx", [False, True], ids=["page", "fragment"])
@pytest.mark.parametrize("role", ROLES)
def test_every_page_survives_the_demo_and_hostile_content(app, world, sweep_paths, role, htmx):
    # Every demo object once (as a visitor); the roles and fragments on the hostile ones.
    paths = sweep_paths[role == "anonymous" and not htmx]
    client = _client(app, world, role)
    headers = {"HX-Request": "true"} if htmx else {}
    problems = []
    started = time.monotonic()
    for endpoint, path in paths:
        response = client.get(path, headers=headers)
        if response.status_code >= 500:
            problems.append(f"{path} ({endpoint}): {response.status_code}")
            continue
        if response.mimetype == "text/html":
            found = leaks(response.get_data(as_text=True), ALLOWED_ATTRIBUTES)
            if found:
                problems.append(f"{path} ({endpoint}): {found[:5]}")
    assert problems == [], f"{role}, {'htmx' if htmx else 'page'}:\n" + "\n".join(problems)
    assert time.monotonic() - started < 60
