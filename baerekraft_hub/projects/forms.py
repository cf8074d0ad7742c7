"""Forms for projects: one per use case."""

from __future__ import annotations

from decimal import Decimal

from flask_babel import lazy_gettext as _l
from wtforms import (
    DateField,
    FieldList,
    FormField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import (
    DataRequired,
    Email,
    InputRequired,
    Length,
    Optional,
    ValidationError,
)
from wtforms.widgets import CheckboxInput, ListWidget

from baerekraft_hub.core.forms import BaseForm, NumberField, SubForm, VersionField

# What the columns hold: budget_nok is a BIGINT (a quadrillion kroner is plenty); indicator
# values are NUMERIC(16, 3), thirteen digits before the decimal point and three after.
MAX_BUDGET = 10**15
MAX_INDICATOR_VALUE = Decimal("9999999999999.999")

LANGUAGES = [("nb", "Bokmål"), ("nn", "Nynorsk"), ("en", "English")]


def status_choices():
    return [
        ("idea", _l("Idea")),
        ("planned", _l("Planned")),
        ("ongoing", _l("Ongoing")),
        ("completed", _l("Completed")),
        ("stopped", _l("Stopped")),
    ]


def partner_type_choices():
    return [
        ("business", _l("Business")),
        ("academia", _l("Academia")),
        ("ngo", _l("Voluntary organisation")),
        ("citizens", _l("Citizens' group")),
        ("state", _l("State agency")),
    ]


def involvement_choices():
    return [
        ("citizens", _l("Citizens")),
        ("business", _l("Business")),
        ("organisations", _l("Organisations")),
        ("academia", _l("Academia")),
    ]


class MultiCheckboxField(SelectMultipleField):
    """A multiple choice shown as checkboxes; works without JavaScript."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class PartnerForm(SubForm):
    name = StringField(_l("Partner"), validators=[Optional(), Length(max=200)])
    type = SelectField(_l("Type"), choices=partner_type_choices, validators=[Optional()])


class ProjectForm(BaseForm):
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=200)])
    summary = TextAreaField(
        _l("Summary"),
        description=_l("One or two sentences, shown in lists and emails."),
        validators=[DataRequired(), Length(max=500)],
    )
    description = TextAreaField(
        _l("Description"),
        description=_l("Markdown: **bold**, *italic*, lists, links and headings."),
        validators=[Optional(), Length(max=20000)],
    )
    owner = SelectField(_l("Owner organisation"), coerce=int, validators=[InputRequired()])
    participants = MultiCheckboxField(
        _l("Participating organisations"),
        coerce=int,
        description=_l("Other municipalities, counties or partners in the project."),
        validators=[Optional()],
    )
    partners = FieldList(FormField(PartnerForm), min_entries=1)
    status = SelectField(_l("Status"), choices=status_choices, default="ongoing")
    start_date = DateField(_l("Start date"), validators=[Optional()])
    end_date = DateField(_l("End date"), validators=[Optional()])
    budget_nok = NumberField(
        _l("Budget (NOK)"), validators=[Optional()], minimum=0, maximum=MAX_BUDGET
    )
    funding_sources = StringField(_l("Funding sources"), validators=[Optional(), Length(max=300)])
    contact_name = StringField(_l("Contact person"), validators=[Optional(), Length(max=120)])
    contact_email = StringField(
        _l("Contact email"), validators=[Optional(), Email(), Length(max=254)]
    )
    targets = MultiCheckboxField(_l("SDG targets"), validators=[Optional()])
    main_target = SelectField(_l("Main target"), validators=[Optional()])
    goals = MultiCheckboxField(_l("SDG goals"), coerce=int, validators=[Optional()])
    kpis = MultiCheckboxField(_l("U4SSC indicators"), coerce=int, validators=[Optional()])
    tags = StringField(
        _l("Tags"),
        description=_l("Separate with commas, e.g. klimatilpasning, overvann."),
        validators=[Optional(), Length(max=600)],
    )
    involved = MultiCheckboxField(
        _l("Who was involved"), choices=involvement_choices, validators=[Optional()]
    )
    language = SelectField(_l("Language of the content"), choices=LANGUAGES, default="nb")
    version = VersionField()

    def validate_end_date(self, field):
        if field.data and self.start_date.data and field.data < self.start_date.data:
            raise ValidationError(_l("The end date cannot be before the start date."))

    def validate_main_target(self, field):
        if field.data and field.data not in (self.targets.data or []):
            raise ValidationError(_l("The main target must be one of the chosen targets."))


def indicator_number(label) -> NumberField:
    return NumberField(
        label,
        validators=[InputRequired()],
        minimum=-MAX_INDICATOR_VALUE,
        maximum=MAX_INDICATOR_VALUE,
        places=3,
    )


class UpdateForm(BaseForm):
    title = StringField(_l("Heading"), validators=[DataRequired(), Length(max=200)])
    body = TextAreaField(_l("What happened"), validators=[DataRequired(), Length(max=20000)])


class IndicatorForm(BaseForm):
    name = StringField(_l("Indicator"), validators=[DataRequired(), Length(max=200)])
    unit = StringField(_l("Unit"), validators=[DataRequired(), Length(max=40)])
    baseline_value = indicator_number(_l("Baseline value"))
    baseline_year = NumberField(
        _l("Baseline year"), validators=[InputRequired()], minimum=1900, maximum=2100
    )
    target_value = indicator_number(_l("Target value"))
    target_year = NumberField(
        _l("Target year"), validators=[InputRequired()], minimum=1900, maximum=2100
    )

    def validate_target_year(self, field):
        if self.baseline_year.data and field.data and field.data < self.baseline_year.data:
            raise ValidationError(_l("The target year cannot be before the baseline year."))


class IndicatorValueForm(BaseForm):
    value = indicator_number(_l("Latest value"))
    measured = DateField(_l("Measured on"), validators=[InputRequired()])
