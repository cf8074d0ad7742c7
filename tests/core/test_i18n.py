"""Templates translate in the request's language, with Jinja's newstyle gettext rules: the
catalog is looked up once per request (core/i18n.py), so these guard that it is the right one."""

import threading

from flask import render_template_string
from markupsafe import Markup
from werkzeug.test import EnvironBuilder, run_wsgi_app

from baerekraft_hub.core.i18n import current_language, rendering_in


def test_consecutive_requests_each_get_their_own_language(app, db):
    # Straight through the WSGI app in one thread of its own, as a server's worker runs them:
    # Flask's test client starts each request in fresh context variables (and the tests' app
    # context would share `g`), which would hide a catalog kept from the request before.
    pages = []

    def serve() -> None:
        for language in ("nb", "en", "nn", "en"):
            environ = EnvironBuilder(path="/", headers={"Cookie": f"lang={language}"})
            body, _, _ = run_wsgi_app(app, environ.get_environ(), buffered=True)
            pages.append((language, b"".join(body).decode()))

    thread = threading.Thread(target=serve)
    thread.start()
    thread.join()
    menus = {"nb": "Prosjekter", "nn": "Prosjekt", "en": "Projects"}
    assert len(pages) == 4
    for language, html in pages:
        assert f'<html lang="{language}"' in html
        assert f">{menus[language]}</a>" in html


def test_rendering_in_another_language_inside_a_request_and_back(app):
    template = "{{ _('Projects') }}|{{ current_language() }}"
    with app.test_request_context("/", headers={"Cookie": "lang=en"}):
        assert render_template_string(template) == "Projects|en"
        with rendering_in("nb"):
            assert render_template_string(template) == "Prosjekter|nb"
        assert render_template_string(template) == "Projects|en"
        assert current_language() == "en"


def test_template_gettext_escapes_variables_in_html_but_not_in_text(app):
    html = app.jinja_env.from_string("{{ _('%(name)s and 100%%', name='<b>&') }}")
    text = app.jinja_env.overlay(autoescape=False).from_string(
        "{{ _('%(name)s and 100%%', name='<b>&') }}"
    )
    with app.test_request_context("/", headers={"Cookie": "lang=en"}):
        assert html.render() == "&lt;b&gt;&amp; and 100%"
        assert text.render() == "<b>& and 100%"
        assert app.jinja_env.from_string("{{ _('100%%') }}").render() == "100%"


def test_plural_and_trans_blocks_fill_their_numbers(app):
    template = app.jinja_env.from_string(
        "{% trans count=n %}{{ count }} project{% pluralize %}{{ count }} projects{% endtrans %}"
        "|{{ ngettext('%(num)d item', '%(num)d items', n) }}"
    )
    with app.test_request_context("/", headers={"Cookie": "lang=en"}):
        assert template.render(n=1) == "1 project|1 item"
        assert template.render(n=3) == "3 projects|3 items"
        assert isinstance(app.jinja_env.globals["_"](_eval(app), "Projects"), Markup)


def _eval(app):
    from jinja2.nodes import EvalContext

    return EvalContext(app.jinja_env, "page.html")
