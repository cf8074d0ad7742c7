"""Static pages and the language switch."""

from flask import abort, current_app, make_response, redirect, render_template, request
from flask_login import current_user

from baerekraft_hub.accounts.services import set_language as set_user_language
from baerekraft_hub.core.security import from_our_own_pages
from baerekraft_hub.core.urls import public_url, safe_next
from baerekraft_hub.extensions import csrf
from baerekraft_hub.pages import bp
from baerekraft_hub.pages import home as home_content
from baerekraft_hub.pages.sitemap import sitemap_entries
from baerekraft_hub.sdg.services import all_goal_texts

ONE_YEAR = 365 * 24 * 3600


@bp.get("/")
def home():
    featured = home_content.featured()
    # A featured project is not listed twice (its card's heading id must be unique).
    shown = {(item.kind, item.id) for item in featured}
    recent = [p for p in home_content.recent_projects() if (p.kind, p.id) not in shown]
    return render_template(
        "pages/home.html",
        goals=all_goal_texts(),
        featured=featured,
        recent=recent,
        figures=home_content.network_figures(),
    )


@bp.get("/om-nettverket/")
def about():
    return render_template("pages/about.html")


@bp.get("/tilgjengelighet/")
def accessibility():
    return render_template("pages/accessibility.html")


@bp.get("/personvern/")
def privacy():
    return render_template("pages/privacy.html")


@bp.get("/robots.txt")
def robots():
    text = render_template("pages/robots.txt", sitemap_url=public_url("pages.sitemap"))
    return current_app.response_class(text, mimetype="text/plain")


@bp.get("/sitemap.xml")
def sitemap():
    xml = render_template("pages/sitemap.xml", entries=list(sitemap_entries()))
    return current_app.response_class(xml, mimetype="application/xml")


@bp.post("/sprak/")
@csrf.exempt
def set_language():
    """Remember the chosen UI language and go back to where the user was.

    Anonymous visitors send no CSRF token: the switcher is on every page, and a token would
    tie each page to a session and keep it out of the page cache. Their switch must come
    from one of our pages (Origin/Referer); a signed-in user's preference needs the token.
    """
    if current_user.is_authenticated:
        csrf.protect()
    elif not from_our_own_pages():
        abort(403)
    language = request.form.get("lang", "")
    if language not in current_app.config["LANGUAGES"]:
        abort(400)
    if current_user.is_authenticated:  # the preference also drives the emails they get
        set_user_language(current_user, language)
    response = make_response(redirect(safe_next(request.form.get("next"))))
    response.set_cookie(
        current_app.config["LANGUAGE_COOKIE"],
        language,
        max_age=ONE_YEAR,
        samesite="Lax",
        secure=current_app.config["SESSION_COOKIE_SECURE"],
        httponly=True,
    )
    return response
