"""Forms for projects: one per use case."""

from __future__ import annotations

from decimal import Decimal

from flask_babel import lazy_gettext as _l
from wtforms import DateField, FieldList, FormField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, Optional, ValidationError

from baerekraft_hub.content import forms as shared
from baerekraft_hub.content.forms import MultiCheckboxField
from baerekraft_hub.core.forms import BaseForm, NumberField, SubForm, VersionField

# What the columns hold: budget_nok is a BIGINT (a quadrillion kroner is plenty); indicator
# values are NUMERIC(16, 3), thirteen digits before the decimal point and three after.
MAX_BUDGET = 10**15
MAX_INDICATOR_VALUE = Decimal("9999999999999.999")


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


class PartnerForm(SubForm):
    name = StringField(_l("Partner"), validators=[Optional(), Length(max=200)])
    type = SelectField(_l("Type"), choices=partner_type_choices, validators=[Optional()])


class ProjectForm(BaseForm):
    title = shared.title_field()
    summary = shared.summary_field()
    description = TextAreaField(
        _l("Description"),
        description=_l("Markdown: **bold**, *italic*, lists, links and headings."),
        validators=[Optional(), Length(max=20000)],
    )
    owner = shared.owner_field()
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
    contact_name = shared.contact_name_field()
    contact_email = shared.contact_email_field()
    targets = shared.targets_field()
    main_target = SelectField(_l("Main target"), validators=[Optional()])
    goals = shared.goals_field()
    kpis = MultiCheckboxField(_l("U4SSC indicators"), coerce=int, validators=[Optional()])
    tags = shared.tags_field()
    involved = MultiCheckboxField(
        _l("Who was involved"), choices=involvement_choices, validators=[Optional()]
    )
    language = shared.language_field()
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
