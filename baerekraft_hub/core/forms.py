"""The base of every form (CSRF, WTForms' messages in the user's language) and form helpers."""

from __future__ import annotations

from flask import render_template
from flask_babel import get_translations, ngettext
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm

from baerekraft_hub.core.errors import ValidationError

# WTForms' built-in messages, listed so that extraction puts them in our catalogs (WTForms
# ships no nynorsk). BaseForm looks them up there.
WTFORMS_MESSAGES = (
    _l("This field is required."),
    _l("Not a valid choice."),
    _l("Not a valid date value."),
    _l("Not a valid integer value."),
    _l("Not a valid decimal value."),
    _l("Invalid email address."),
    _l("Invalid input."),
    _l("Number must be at least %(min)s."),
    _l("Number must be at most %(max)s."),
    _l("Number must be between %(min)s and %(max)s."),
    _l("Field must be between %(min)d and %(max)d characters long."),
    _l("Invalid Choice: could not coerce."),
    _l("Invalid choice(s): one or more data inputs could not be coerced."),
)


def _plural_markers():  # pragma: no cover - never called; read by `pybabel extract`
    ngettext(
        "Field cannot be longer than %(max)d character.",
        "Field cannot be longer than %(max)d characters.",
        1,
    )
    ngettext(
        "Field must be at least %(min)d character long.",
        "Field must be at least %(min)d characters long.",
        1,
    )
    ngettext(
        "'%(value)s' is not a valid choice for this field.",
        "'%(value)s' are not valid choices for this field.",
        1,
    )


class _CatalogTranslations:
    """WTForms asks its fields for gettext/ngettext: answer from our catalogs."""

    def gettext(self, string: str) -> str:
        return get_translations().gettext(string)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        # Not flask_babel.ngettext: it would %-format now; WTForms formats itself.
        return get_translations().ngettext(singular, plural, n)


class BaseForm(FlaskForm):
    """A CSRF-protected form; a tampered choice is a validation error, never a 500."""

    class Meta:
        def get_translations(self, form):
            return _CatalogTranslations()


def show_error(form, error: ValidationError) -> None:
    """Put a domain error next to its field, or above the form."""
    field = getattr(form, error.field, None) if error.field else None
    if field is not None:
        field.errors = [*field.errors, error.message]
    else:
        form.form_errors.append(error.message)


def render_form(template: str, form, **context):
    """The page with its form; 422 when the form came back with errors."""
    return render_template(template, form=form, **context), 422 if form.errors else 200
