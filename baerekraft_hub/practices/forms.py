"""Forms for practices."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import SelectField, TextAreaField
from wtforms.validators import InputRequired, Length, Optional

from baerekraft_hub.content import forms as shared
from baerekraft_hub.content.forms import MultiCheckboxField
from baerekraft_hub.core.forms import BaseForm, VersionField

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
    title = shared.title_field()
    summary = shared.summary_field()
    owner = shared.owner_field()
    language = shared.language_field()
    challenge = _section("challenge")
    activities = _section("activities")
    stakeholders = _section("stakeholders")
    results = _section("results")
    enabling_factors = _section("enabling_factors")
    constraints = _section("constraints")
    sustainability = _section("sustainability")
    lessons = _section("lessons")
    resources = _section("resources")
    contact_name = shared.contact_name_field()
    contact_email = shared.contact_email_field()
    targets = shared.targets_field()
    goals = shared.goals_field()
    projects = MultiCheckboxField(_l("Linked projects"), coerce=int, validators=[Optional()])
    tags = shared.tags_field()
    version = VersionField()


class ReuseForm(BaseForm):
    organisation = SelectField(_l("Our organisation"), coerce=int, validators=[InputRequired()])
