"""One form per use case. Messages are our own (translated lazily), never WTForms' defaults."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    EmailField,
    HiddenField,
    PasswordField,
    SelectChoice,
    SelectField,
    StringField,
)
from wtforms.validators import DataRequired, Email, InputRequired, Length
from wtforms.validators import ValidationError as FieldError

from baerekraft_hub.core.forms import BaseForm

# Each language's name in that language, marked as such for screen readers.
LANGUAGE_CHOICES = [
    SelectChoice(code, label, render_kw={"lang": code})
    for code, label in (("nb", "Bokmål"), ("nn", "Nynorsk"), ("en", "English"))
]


def no_control_characters(form, field) -> None:
    """Names end up in email subjects: a line break there could forge headers."""
    if field.data and any(ord(c) < 32 or ord(c) == 127 for c in field.data):
        raise FieldError(_l("Use letters, digits and ordinary punctuation only."))


def strip(value):
    return value.strip() if isinstance(value, str) else value


def email_field(label=None):
    return EmailField(
        label or _l("Email address"),
        filters=[strip],
        validators=[
            DataRequired(_l("Enter your email address.")),
            Length(max=254, message=_l("The address is too long.")),
            Email(_l("Enter an email address like name@kommune.no."), check_deliverability=False),
        ],
        render_kw={"autocomplete": "email", "spellcheck": "false"},
    )


def name_field():
    return StringField(
        _l("Name"),
        filters=[strip],
        validators=[
            DataRequired(_l("Enter your name.")),
            Length(max=120, message=_l("Use at most %(max)d characters.")),
            no_control_characters,
        ],
        render_kw={"autocomplete": "name"},
    )


def new_password_field(label=None):
    return PasswordField(
        label or _l("Password"),
        validators=[InputRequired(_l("Choose a password."))],
        description=_l(
            "At least 12 characters. A phrase of several unrelated words is easy to remember "
            "and hard to guess."
        ),
        render_kw={"autocomplete": "new-password"},
    )


def newsletter_field():
    return BooleanField(
        _l("Send me the network's newsletter"),
        description=_l(
            "News from Bærekraftsnettverket a few times a year, separate from the digest of "
            "what you follow. You can stop it at any time."
        ),
    )


class RegisterForm(BaseForm):
    name = name_field()
    email = email_field()
    password = new_password_field()
    newsletter = newsletter_field()


class LoginForm(BaseForm):
    email = email_field()
    password = PasswordField(
        _l("Password"),
        validators=[InputRequired(_l("Enter your password."))],
        render_kw={"autocomplete": "current-password"},
    )
    remember = BooleanField(_l("Keep me signed in on this device"))
    next = HiddenField()


class EmailOnlyForm(BaseForm):
    email = email_field()


class NewPasswordForm(BaseForm):
    password = new_password_field(_l("New password"))


class ChangePasswordForm(BaseForm):
    current_password = PasswordField(
        _l("Current password"),
        validators=[InputRequired(_l("Enter your current password."))],
        render_kw={"autocomplete": "current-password"},
    )
    password = new_password_field(_l("New password"))


class ProfileForm(BaseForm):
    name = name_field()
    title = StringField(
        _l("Title or role"),
        filters=[strip],
        description=_l("For example “Climate adviser” or “Project leader, planning”."),
        validators=[
            Length(max=120, message=_l("Use at most %(max)d characters.")),
            no_control_characters,
        ],
        render_kw={"autocomplete": "organization-title"},
    )
    language = SelectField(
        _l("Language"),
        choices=LANGUAGE_CHOICES,
        description=_l("The pages and every email to you use this language."),
        validate_choice=False,  # checked by the service, with our own message
    )
    newsletter = newsletter_field()


class DeleteAccountForm(BaseForm):
    password = PasswordField(
        _l("Your password"),
        validators=[InputRequired(_l("Enter your password."))],
        render_kw={"autocomplete": "current-password"},
    )
    confirm = BooleanField(
        _l("I understand that my account and my personal data will be deleted for good."),
        validators=[DataRequired(_l("Tick the box to confirm."))],
    )
