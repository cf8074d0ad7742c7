"""Property-based fuzzing of every form and every query parameter (Hypothesis).

Routes come from `tests/access_rules.py`, which the access matrix keeps complete for
`app.url_map`. For each route, one plain request first finds the parameters the route reads
(every key looked up in `request.args` or `request.form`, which includes every field of every
form it builds), so a new field or parameter is fuzzed without being listed here. Then each
route gets arbitrary text in those parameters: NUL, CR/LF, huge numbers, NaN, very long
strings, markup, as a role that may use it and with a valid CSRF token.

Asserted: no 5xx; when a form fails validation, no table changed and the text typed into each
text field comes back in the page.

`FUZZ_EXAMPLES` sets the examples per route (default 8, ~1-2 min on SQLite); the examples are
derandomised, so a run is repeatable.
"""

from __future__ import annotations

import os

import pytest
from flask import request
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from markupsafe import escape
from werkzeug.datastructures import ImmutableMultiDict
from wtforms import DateField, HiddenField, PasswordField, StringField

from baerekraft_hub.core.forms import BaseForm, NumberField
from tests.access_rules import ROLES, RULES
from tests.conftest import session_csrf
from tests.factories import make_user
from tests.test_access_matrix import _sign_in, route_ids

settings.register_profile(
    "fuzz",
    max_examples=int(os.environ.get("FUZZ_EXAMPLES", "6")),
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

HOSTILE = [
    "",
    " ",
    "\x00",
    "a\x00b",
    "Regnbed\r\nBcc: eve@example.no",
    "linje én\nlinje to",
    "\t",
    "\u2028",
    "123456789012345678901234567890",
    "-123456789012345678901234567890",
    str(2**63),
    str(2**31),
    "99999999999999999999",
    "NaN",
    "Infinity",
    "-inf",
    "1e400",
    "-1",
    "0",
    "1 450,5",
    "1\u00a0450,5",
    "1450.5",
    "2024-02-30",
    "<script>alert(1)</script>",
    '<div hx-post="/logg-ut/" hx-trigger="load">x</div>',
    "\u202eRTL\u200f",
    "🌧️🌊",
    "x" * 10_000,
    "9" * 5_000,
]
SWEEP = 10  # examples that share out the HOSTILE values among the parameters
# Any text UTF-8 can carry (lone surrogates cannot travel in a form or URL).
TEXT = st.text(st.characters(exclude_categories=("Cs",)), max_size=60)
VALUES = st.one_of(st.sampled_from(HOSTILE), TEXT)


# --- which parameters a route reads ------------------------------------------------------------

_reads: list[tuple[str, str]] | None = None  # (args|form, key) while discovering


class RecordingMultiDict(ImmutableMultiDict):
    """request.args / request.form that note every key the app looks up."""

    def _note(self, key) -> None:
        if _reads is not None and isinstance(key, str):
            kind = "args" if request.__dict__.get("args") is self else "form"
            _reads.append((kind, key))

    def __getitem__(self, key):
        self._note(key)
        return super().__getitem__(key)

    def __contains__(self, key):
        self._note(key)
        return super().__contains__(key)

    def get(self, key, default=None, type=None):  # noqa: A002 - werkzeug's signature
        self._note(key)
        return super().get(key, default, type)

    def getlist(self, key, type=None):  # noqa: A002
        self._note(key)
        return super().getlist(key, type)


@pytest.fixture()
def recording(app, monkeypatch):
    """Parameters read and forms validated by the requests made inside the test."""
    global _reads
    monkeypatch.setattr(app.request_class, "parameter_storage_class", RecordingMultiDict)
    validated: list[BaseForm] = []
    original = BaseForm.validate

    def validate(self, *args, **kwargs):
        validated.append(self)
        return original(self, *args, **kwargs)

    monkeypatch.setattr(BaseForm, "validate", validate)
    _reads = []
    yield _reads, validated
    _reads = None


# --- the routes, each with a role that may use it ------------------------------------------------


def _role_for(rule) -> str | None:
    """A role the route serves (not a redirect to sign in, not a refusal)."""
    expect = rule.expect
    others = [expect[r] for r in ROLES if r != "anonymous"]
    if expect["anonymous"] in (200, 400, 422) and set(others) == {302}:
        return "anonymous"  # pages for guests: signing up, signing in
    for role in ("editor", "coordinator", "member", "other_admin", "anonymous"):
        if expect[role] not in (403, 404):
            return role
    return None


FUZZED = sorted(
    (endpoint, method)
    for (endpoint, method), rule in RULES.items()
    if endpoint != "static" and _role_for(rule) is not None
)


def _with_valid_token(endpoint: str, path: str) -> str:
    """The access rules use a bad token; the password forms need a good one to be reached."""
    from baerekraft_hub.accounts.services import _password_token
    from baerekraft_hub.accounts.tokens import Purpose

    purpose = {
        "accounts.reset_password": Purpose.RESET_PASSWORD,
        "accounts.set_password": Purpose.SET_PASSWORD,
    }.get(endpoint)
    if purpose is None:
        return path
    return path.replace("not-a-token", _password_token(make_user(), purpose))


def _setup(db, login_as, rule):
    ids = route_ids()
    db.session.commit()
    return ids


def _good_values(ids) -> dict[str, list[str]]:
    """Valid values for fields that need one to get past the first check."""
    return {
        "title": ["Regnbed i Molde"],
        "summary": ["Vi lager regnbed."],
        "name": ["Andel grønt"],
        "unit": ["%"],
        "owner": [str(ids["molde"])],
        "organisation": [str(ids["bergen"])],
        "participants": [str(ids["bergen"])],
        "status": ["ongoing"],
        "language": ["nb"],
        "lang": ["nn"],
        "role": ["editor", "member", "admin"],
        "targets": ["11.5"],
        "goals": ["11"],
        "baseline_value": ["1 450,5"],
        "target_value": ["2000"],
        "baseline_year": ["2020"],
        "target_year": ["2030"],
        "start_date": ["2024-04-01"],
        "measured": ["2024-05-01"],
        "email": ["kari@example.no"],
        "next": ["/"],
    }


def _table_counts(db) -> dict[str, int]:
    return {
        table.name: db.session.scalar(db.select(db.func.count()).select_from(table))
        for table in db.metadata.sorted_tables
    }


def _text_fields(form):
    """Every text-like field of a form, nested rows included, with the name it was sent as."""
    for field in form:
        if hasattr(field, "entries"):  # FieldList
            for entry in field.entries:
                yield from _text_fields(getattr(entry, "form", None) or [entry])
        elif hasattr(field, "form") and hasattr(field.form, "_fields"):  # FormField
            yield from _text_fields(field.form)
        elif isinstance(field, (StringField, NumberField, DateField)) and not isinstance(
            field, (PasswordField, HiddenField)
        ):
            yield field


def _discover(client, path, method, token, data, reads) -> tuple[list[str], list[str]]:
    reads.clear()
    client.open(
        path, method=method, data={"csrf_token": token, **data} if method != "GET" else None
    )
    args = sorted({key for kind, key in reads if kind == "args"})
    form = sorted({key for kind, key in reads if kind == "form"} - {"csrf_token"})
    return args, form


@pytest.mark.parametrize(("endpoint", "method"), FUZZED)
def test_arbitrary_input_never_fails_and_a_refused_form_keeps_it(
    client, db, login_as, recording, endpoint, method
):
    reads, validated = recording
    rule = RULES[(endpoint, method)]
    role = _role_for(rule)
    ids = _setup(db, login_as, rule)
    path = _with_valid_token(endpoint, rule.path.format(**ids).split("?")[0])
    db.session.commit()
    base = {key.format(**ids): value.format(**ids) for key, value in rule.data.items()}
    _sign_in(role, login_as)
    user_id = None
    with client.session_transaction() as session:
        user_id = session.get("_user_id")
    token = session_csrf(client)
    args, fields = _discover(client, path, method, token, base, reads)
    names = fields if method != "GET" else args
    if not names:
        pytest.skip(f"{method} {endpoint} reads no parameters")
    good = _good_values(ids)

    def value_for(name):
        known = good.get(name.rsplit("-", 1)[-1], [])
        return st.one_of(st.none(), VALUES, *(st.just(v) for v in known))

    params = st.fixed_dictionaries({name: value_for(name) for name in names})

    def check(params):
        sent = {k: v for k, v in params.items() if v is not None}
        with client.session_transaction() as session:
            if user_id is not None:  # signed in again: an example may have signed out
                session["_user_id"] = user_id
                session["_fresh"] = True
        token = session_csrf(client)
        before = _table_counts(db) if method != "GET" else None
        validated.clear()
        if method == "GET":
            response = client.get(path, query_string=sent)
        else:
            data = {**base, **sent, "csrf_token": token}
            response = client.open(path, method=method, data=data)
        assert response.status_code < 500, (method, path, sent)
        location = response.headers.get("Location", "")
        if response.status_code in (302, 303) and location.startswith("/"):
            # What was saved must also show: the page the user is sent to
            followed = client.get(location)
            assert followed.status_code < 500, (method, path, sent, location)
        refused = [f for f in validated if f.errors]
        if method == "GET" or not refused or response.status_code >= 300:
            return
        db.session.rollback()
        assert _table_counts(db) == before, f"{method} {path} refused the form yet wrote rows"
        html = response.get_data(as_text=True)
        for form in refused:
            for field in _text_fields(form):
                typed = sent.get(field.name)
                if typed and typed.strip() and "\x00" not in typed:
                    shown = field._value()
                    assert shown.strip() == typed.strip(), f"{field.name}: the text was changed"
                    assert escape(shown) in html, f"{field.name}: the text is not shown again"

    # First the hostile values dealt out over the parameters (every value is sent at least
    # once, and each parameter gets SWEEP of them), then Hypothesis' own mixes.
    for shift in range(max(SWEEP, -(-len(HOSTILE) // len(names)))):
        dealt = {n: HOSTILE[(shift * len(names) + i) % len(HOSTILE)] for i, n in enumerate(names)}
        check = example(params=dealt)(check)
    settings(settings.get_profile("fuzz"))(given(params=params)(check))()


def test_every_form_is_reached_by_some_route(client, db, login_as, recording):
    """A form no route in access_rules builds would escape the fuzzing: add a rule for it."""
    reads, validated = recording
    reached = set()
    for endpoint, method in FUZZED:  # GET too: a filter form reads the query string
        rule = RULES[(endpoint, method)]
        ids = _setup(db, login_as, rule)
        _sign_in(_role_for(rule), login_as)
        token = session_csrf(client)
        validated.clear()
        base = {key.format(**ids): value.format(**ids) for key, value in rule.data.items()}
        path = _with_valid_token(endpoint, rule.path.format(**ids))
        db.session.commit()
        _discover(client, path, method, token, base, reads)
        reached |= {type(form) for form in validated}
        client.post("/logg-ut/", data={"csrf_token": token})

    def all_forms(cls):
        for sub in cls.__subclasses__():
            yield sub
            yield from all_forms(sub)

    missing = sorted(f.__qualname__ for f in set(all_forms(BaseForm)) - reached)
    assert missing == [], f"forms no rule in tests/access_rules.py reaches: {missing}"
