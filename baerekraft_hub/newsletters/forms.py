"""The coordinator's forms: compose (with the audience), send or schedule, and the buttons."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, DateTimeLocalField, HiddenField, StringField, TextAreaField
from wtforms.validators import Length, Optional

from baerekraft_hub.content.forms import MultiCheckboxField
from baerekraft_hub.core.forms import BaseForm
from baerekraft_hub.core.i18n import localized
from baerekraft_hub.extensions import db
from baerekraft_hub.newsletters.audience import Audience
from baerekraft_hub.organisations.models import Organisation, OrgKind
from baerekraft_hub.sdg.models import Goal


def _strip(value):
    return value.strip() if isinstance(value, str) else value


class NewsletterForm(BaseForm):
    subject = StringField(
        _l("Subject"),
        filters=[_strip],
        validators=[Length(max=200, message=_l("Use at most %(max)d characters."))],
    )
    preheader = StringField(
        _l("Preheader"),
        filters=[_strip],
        description=_l("One sentence that mail programs show after the subject."),
        validators=[Length(max=200, message=_l("Use at most %(max)d characters."))],
    )
    body = TextAreaField(
        _l("Text"),
        description=_l("Markdown: **bold**, *italics*, [link](https://…), lists and headings."),
        validators=[Length(max=50000, message=_l("Use at most %(max)d characters."))],
    )
    news = TextAreaField(
        _l("New in the network"),
        description=_l(
            "Filled with the projects and practices published since the last newsletter, "
            "by SDG goal. Change it as you like, or empty it to leave it out."
        ),
        validators=[Length(max=50000, message=_l("Use at most %(max)d characters."))],
    )
    utm_campaign = StringField(
        _l("Campaign name for link statistics (optional)"),
        filters=[_strip],
        description=_l(
            "When set, links get utm_source, utm_medium and utm_campaign parameters. "
            "The newsletter has no tracking pixel."
        ),
        validators=[Length(max=100, message=_l("Use at most %(max)d characters."))],
    )
    kinds = MultiCheckboxField(
        _l("Kind of organisation"),
        choices=[
            (OrgKind.MUNICIPALITY.value, _l("Municipalities")),
            (OrgKind.COUNTY.value, _l("County municipalities")),
            (OrgKind.PARTNER.value, _l("Partners")),
        ],
    )
    members_only = BooleanField(_l("Only members of Bærekraftsnettverket"))
    counties = MultiCheckboxField(
        _l("Counties"),
        description=_l("Members of the county municipality or of a municipality in it."),
        coerce=int,
    )
    goals = MultiCheckboxField(
        _l("Followers of these SDG goals"),
        description=_l("Also those who follow one of the goal's targets."),
        coerce=int,
    )
    targets = StringField(
        _l("Followers of these SDG targets"),
        filters=[_strip],
        description=_l("Target numbers separated by commas, for example 11.5, 13.1."),
        validators=[Length(max=500, message=_l("Use at most %(max)d characters."))],
    )
    roles = MultiCheckboxField(
        _l("Role"),
        choices=[("editor", _l("Editors (project leaders)")), ("admin", _l("Organisation admins"))],
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.goals.choices = [
            (goal.number, f"{goal.number}. {localized(goal, 'short_title') or goal.short_title_en}")
            for goal in db.session.scalars(db.select(Goal).order_by(Goal.number))
        ]
        self.counties.choices = [
            (org.id, org.name)
            for org in db.session.scalars(
                db.select(Organisation)
                .where(Organisation.kind == OrgKind.COUNTY.value)
                .order_by(Organisation.name)
            )
        ]

    def fill_audience(self, audience: Audience) -> None:
        self.kinds.data = audience.kinds
        self.members_only.data = audience.members_only
        self.counties.data = audience.counties
        self.goals.data = audience.goals
        self.targets.data = ", ".join(audience.targets)
        self.roles.data = audience.roles


class SendForm(BaseForm):
    """Send now, or at `send_at` (local time, Europe/Oslo)."""

    when = HiddenField(default="now")
    send_at = DateTimeLocalField(
        _l("Send at"),
        format="%Y-%m-%dT%H:%M",
        validators=[Optional()],
        description=_l("Norwegian time."),
    )


class ActionForm(BaseForm):
    """A button that changes state (test, pause, resume, cancel, copy): the CSRF token only."""
