"""The base of every form (CSRF, WTForms' messages in the user's language) and form helpers."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from babel.numbers import NumberFormatError, parse_decimal
from flask import render_template
from flask_babel import format_decimal, get_locale, get_translations, ngettext
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import Field, Form, HiddenField, PasswordField, StringField, TextAreaField
from wtforms.validators import ValidationError as FieldError
from wtforms.widgets import TextInput

from baerekraft_hub.core.errors import ValidationError
from baerekraft_hub.core.text import is_single_line
from baerekraft_hub.core.transactions import undo_changes

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


def single_line(form, field) -> None:
    """Titles, names, tags... are one line: they end up in lists, headings and email subjects."""
    if field.errors:
        return  # one message at a time (accounts' names have a check of their own)
    if field.data and not is_single_line(field.data):
        raise FieldError(_l("Write this on one line, without line breaks or tabs."))


def _is_one_line_field(field: Field) -> bool:
    multi_line = (TextAreaField, PasswordField, HiddenField)
    return isinstance(field, StringField) and not isinstance(field, multi_line)


class _Meta:
    """Messages from our catalogs; every one-line text field refuses line breaks."""

    def get_translations(self, form):
        return _CatalogTranslations()

    def bind_field(self, form, unbound_field, options):
        field = super().bind_field(form, unbound_field, options)
        if _is_one_line_field(field):
            field.validators = [*field.validators, single_line]
        return field


class BaseForm(FlaskForm):
    """A CSRF-protected form; a tampered choice is a validation error, never a 500."""

    Meta = _Meta


class SubForm(Form):
    """A form inside a form (a FieldList row): the same rules as BaseForm, no CSRF of its own."""

    Meta = _Meta


class VersionField(HiddenField):
    """The version of the item the form was loaded from (optimistic locking).

    Anything but a plain number reads as 0, a version no item has: the save is then refused
    as an edit conflict, with the user's text kept, rather than failing or overwriting.
    """

    def process_formdata(self, valuelist) -> None:
        raw = valuelist[0] if valuelist else ""
        self.data = int(raw) if raw.isascii() and raw.isdigit() and len(raw) < 10 else 0


# The space characters people and Babel put between groups of digits: "1 450,5", "1 450,5".
_DIGIT_GROUP_SPACES = dict.fromkeys(map(ord, " \u00a0\u202f\u2009\u2007"))


class NumberField(Field):
    """A number as people write it in their language: 1450,5 · 1 450,5 · 1450.5.

    Parsed with Babel in the user's locale, so the page's own "1 450,5" comes back as typed.
    The value must be finite and lie within [minimum, maximum] (what its column holds);
    `places=0` asks for a whole number (an int), otherwise a Decimal rounded to `places`.
    """

    widget = TextInput()

    def __init__(self, label=None, validators=None, *, minimum, maximum, places=0, **kwargs):
        super().__init__(label, validators, **kwargs)
        self.minimum = Decimal(minimum)
        self.maximum = Decimal(maximum)
        self.places = places

    def _value(self) -> str:
        if self.raw_data:
            return self.raw_data[0]
        return "" if self.data is None else format_decimal(self.data)

    def process_formdata(self, valuelist) -> None:
        self.data = None
        text = (valuelist[0] if valuelist else "").translate(_DIGIT_GROUP_SPACES)
        if not text:
            return
        try:
            number = parse_decimal(text.replace("\u2212", "-"), locale=get_locale(), strict=True)
        except (NumberFormatError, InvalidOperation, ValueError):
            number = None
        if number is None or not number.is_finite():
            example = format_decimal(Decimal("1450.5") if self.places else 2030)
            if self.places:
                message = _("Enter a number, for example %(example)s.", example=example)
            else:
                message = _("Enter a whole number, for example %(example)s.", example=example)
            raise ValueError(message)
        if not self.minimum <= number <= self.maximum:
            raise ValueError(
                _(
                    "Enter a number from %(minimum)s to %(maximum)s.",
                    minimum=format_decimal(self.minimum),
                    maximum=format_decimal(self.maximum),
                )
            )
        if self.places == 0:
            if number != number.to_integral_value():
                raise ValueError(_("Enter a whole number, without decimals."))
            self.data = int(number)
        else:
            self.data = number.quantize(Decimal(1).scaleb(-self.places), rounding=ROUND_HALF_UP)


def show_error(form, error: ValidationError) -> None:
    """Put a domain error next to its field, or above the form, and undo the refused change
    (what the service did before it refused must not be committed)."""
    undo_changes()
    field = getattr(form, error.field, None) if error.field else None
    if field is not None:
        field.errors = [*field.errors, error.message]
    else:
        form.form_errors.append(error.message)


def render_form(template: str, form, **context):
    """The page with its form; 422 when the form came back with errors."""
    return render_template(template, form=form, **context), 422 if form.errors else 200
