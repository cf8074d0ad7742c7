"""Forms for asking to join and for deciding on members."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import HiddenField, SelectChoice, SelectField, StringField
from wtforms.validators import DataRequired, Length

from baerekraft_hub.core.forms import BaseForm
from baerekraft_hub.memberships.models import Role


def role_choices() -> list[SelectChoice]:
    return [
        SelectChoice(Role.MEMBER.value, _l("Member (reads drafts)")),
        SelectChoice(Role.EDITOR.value, _l("Editor (project leader: writes content)")),
        SelectChoice(Role.ADMIN.value, _l("Administrator (also manages members)")),
    ]


class MembershipRequestForm(BaseForm):
    organisation = StringField(
        _l("Organisation"),
        description=_l("Start typing the name of a municipality, county or partner."),
        validators=[
            DataRequired(_l("Choose the organisation you want to join.")),
            Length(max=200, message=_l("Use at most %(max)d characters.")),
        ],
        render_kw={"list": "organisation-choices", "autocomplete": "off"},
    )
    role = SelectField(
        _l("Role you ask for"),
        description=_l("The administrators see it first, and decide."),
        choices=role_choices,
        default=Role.MEMBER.value,
    )


class RoleForm(BaseForm):
    """Approve with a role, or change a member's role."""

    role = SelectField(_l("Role"), choices=role_choices, validate_choice=False)
    next = HiddenField()


class ActionForm(BaseForm):
    """Decline or remove: nothing to fill in but the CSRF token."""

    next = HiddenField()
