"""Forms for practices."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Email, InputRequired, Length, Optional

from baerekraft_hub.core.forms import BaseForm, VersionField
from baerekraft_hub.projects.forms import LANGUAGES, MultiCheckboxField

# Labels and help for each section of the UN DESA good-practice record.
SECTION_TEXTS = {
    "challenge": (_l("Challenge and objectives"), _l("What problem did you set out to solve?")),
    "activities": (_l("What was done"), _l("The steps, in the order you took them.")),
    "stakeholders": (_l("Stakeholders and partnerships"), _l("Who took part, and how.")),
    "results": (_l("Results and impact"), _l("What changed, with figures where you have them.")),
    "enabling_factors": (_l("Enabling factors"), _l("What made it work.")),
    "constraints": (_l("Constraints"), _l("What stood in the way, and how you handled it.")),
    "sustainability": (
        _l("Sustainability and reuse"),
        _l("Will it last, and how can others do the same?"),
    ),
    "lessons": (_l("Lessons learned"), _l("What would you do differently?")),
    "resources": (_l("Resources"), _l("Money, people and time it took; links to documents.")),
}


def _section(name: str) -> TextAreaField:
    label, help_text = SECTION_TEXTS[name]
    return TextAreaField(label, description=help_text, validators=[Optional(), Length(max=20000)])


class PracticeForm(BaseForm):
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=200)])
    summary = TextAreaField(
        _l("Summary"),
        description=_l("One or two sentences, shown in lists and emails."),
        validators=[DataRequired(), Length(max=500)],
    )
    owner = SelectField(_l("Owner organisation"), coerce=int, validators=[InputRequired()])
    language = SelectField(_l("Language of the content"), choices=LANGUAGES, default="nb")
    challenge = _section("challenge")
    activities = _section("activities")
    stakeholders = _section("stakeholders")
    results = _section("results")
    enabling_factors = _section("enabling_factors")
    constraints = _section("constraints")
    sustainability = _section("sustainability")
    lessons = _section("lessons")
    resources = _section("resources")
    contact_name = StringField(_l("Contact person"), validators=[Optional(), Length(max=120)])
    contact_email = StringField(
        _l("Contact email"), validators=[Optional(), Email(), Length(max=254)]
    )
    targets = MultiCheckboxField(_l("SDG targets"), validators=[Optional()])
    goals = MultiCheckboxField(_l("SDG goals"), coerce=int, validators=[Optional()])
    projects = MultiCheckboxField(_l("Linked projects"), coerce=int, validators=[Optional()])
    tags = StringField(
        _l("Tags"),
        description=_l("Separate with commas, e.g. klimatilpasning, overvann."),
        validators=[Optional(), Length(max=600)],
    )
    version = VersionField()


class ReuseForm(BaseForm):
    organisation = SelectField(_l("Our organisation"), coerce=int, validators=[InputRequired()])
