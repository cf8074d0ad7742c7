"""Language choice and text that exists in some languages only."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

from babel.support import NullTranslations
from flask import Flask, current_app, request
from flask_babel import force_locale, get_locale, get_translations
from flask_login import current_user
from markupsafe import Markup, escape

# What a reader of each UI language reads best when the text is missing in their own.
FALLBACKS = {"nb": ("nb", "nn", "en"), "nn": ("nn", "nb", "en"), "en": ("en", "nb", "nn")}


def select_locale() -> str:
    """The signed-in user's preference, then the remembered choice, then the browser's."""
    languages = current_app.config["LANGUAGES"]
    preferred = getattr(current_user, "language", None)
    if preferred in languages:
        return preferred
    return visitor_language()


def visitor_language() -> str:
    """The language a visitor who is not signed in gets: the remembered choice, then the
    browser's (the page cache keys anonymous pages with it)."""
    return language_of(request, current_app.config)


def language_of(request, config) -> str:
    """`visitor_language` for a given (werkzeug) request: the page cache asks it before
    Flask's request machinery runs."""
    languages = config["LANGUAGES"]
    chosen = request.cookies.get(config["LANGUAGE_COOKIE"])
    if chosen in languages:
        return chosen
    # Browsers often send plain "no" for Norwegian: read it as bokmål.
    best = request.accept_languages.best_match([*languages, "no"])
    if best == "no":
        return "nb"
    return best or config["BABEL_DEFAULT_LOCALE"]


# The catalog templates translate with while `rendering_in` holds one: an email rendered in
# the recipient's language calls `_` dozens of times, and Flask-Babel finds the catalog
# through the app context on every call.
_rendering_catalog: ContextVar[NullTranslations | None] = ContextVar(
    "rendering_catalog", default=None
)


def _catalog() -> NullTranslations:
    return _rendering_catalog.get() or get_translations()


def install_template_gettext(app: Flask) -> None:
    """Templates' `_`, `ngettext`, `pgettext`: Flask-Babel's, or the one `rendering_in` holds."""
    app.jinja_env.install_gettext_callables(
        gettext=lambda s: _catalog().ugettext(s),
        ngettext=lambda s, p, n: _catalog().ungettext(s, p, n),
        pgettext=lambda c, s: _catalog().upgettext(c, s),
        npgettext=lambda c, s, p, n: _catalog().unpgettext(c, s, p, n),
        newstyle=True,
    )


@contextmanager
def rendering_in(language: str) -> Iterator[None]:
    """Render (and format dates and numbers) in `language`, whatever the request's is."""
    with force_locale(language):
        token = _rendering_catalog.set(get_translations())
        try:
            yield
        finally:
            _rendering_catalog.reset(token)


def current_language() -> str:
    """The UI language code: nb, nn or en."""
    return str(get_locale() or "nb")


@dataclass(frozen=True)
class LocalText:
    """A text and the language it is really in; renders with `lang` when that differs."""

    text: str
    lang: str

    def __str__(self) -> str:
        return self.text

    def __bool__(self) -> bool:
        return bool(self.text)

    def __html__(self) -> str:
        if not self.text or self.lang == current_language():
            return str(escape(self.text))
        return str(Markup('<span lang="{}">{}</span>').format(self.lang, self.text))


def localized(obj, field: str, language: str | None = None) -> LocalText:
    """`obj.<field>_<lang>` in the best language available for the reader."""
    language = language or current_language()
    for lang in FALLBACKS.get(language, FALLBACKS["nb"]):
        value = getattr(obj, f"{field}_{lang}", None)
        if value:
            return LocalText(value, lang)
    return LocalText("", language)
