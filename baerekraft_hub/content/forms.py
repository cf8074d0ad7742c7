"""Form fields the project and practice forms share, and the unpublish form.

The fields are made by functions rather than inherited from a base form: WTForms orders fields
by when they were made, so each form keeps its own order.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import SelectField, SelectMultipleField, StringField, TextAreaField
from wtforms.validators import DataRequired, Email, InputRequired, Length, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from baerekraft_hub.core.forms import BaseForm

LANGUAGES = [("nb", "Bokmål"), ("nn", "Nynorsk"), ("en", "English")]


class MultiCheckboxField(SelectMultipleField):
    """A multiple choice shown as checkboxes; works without JavaScript."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


def title_field() -> StringField:
    return StringField(_l("Title"), validators=[DataRequired(), Length(max=200)])


def summary_field() -> TextAreaField:
    return TextAreaField(
        _l("Summary"),
        description=_l("One or two sentences, shown in lists and emails."),
        validators=[DataRequired(), Length(max=500)],
    )


def owner_field() -> SelectField:
    return SelectField(_l("Owner organisation"), coerce=int, validators=[InputRequired()])


def language_field() -> SelectField:
    return SelectField(_l("Language of the content"), choices=LANGUAGES, default="nb")


def contact_name_field() -> StringField:
    return StringField(_l("Contact person"), validators=[Optional(), Length(max=120)])


def contact_email_field() -> StringField:
    return StringField(_l("Contact email"), validators=[Optional(), Email(), Length(max=254)])


def targets_field() -> MultiCheckboxField:
    return MultiCheckboxField(_l("SDG targets"), validators=[Optional()])


def goals_field() -> MultiCheckboxField:
    return MultiCheckboxField(_l("SDG goals"), coerce=int, validators=[Optional()])


def tags_field() -> StringField:
    return StringField(
        _l("Tags"),
        description=_l("Separate with commas, e.g. klimatilpasning, overvann."),
        validators=[Optional(), Length(max=600)],
    )


class UnpublishForm(BaseForm):
    reason = TextAreaField(
        _l("Reason"),
        description=_l("Sent to the owner organisation."),
        validators=[Optional(), Length(max=2000)],
    )
