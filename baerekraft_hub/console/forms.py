"""The console's forms: filters (GET, no CSRF) and one form per action (POST, CSRF)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import DateField, HiddenField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Email, Length, Optional

from baerekraft_hub.core.forms import BaseForm
from baerekraft_hub.memberships.forms import role_choices


class AuditFilterForm(BaseForm):
    class Meta:
        csrf = False

    actor = StringField(_l("Done by"), validators=[Optional(), Length(max=120)])
    action = SelectField(_l("Action"), validate_choice=False, validators=[Optional()])
    since = DateField(_l("From (date)"), validators=[Optional()])
    until = DateField(_l("To (date)"), validators=[Optional()])

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        if valid and self.since.data and self.until.data and self.since.data > self.until.data:
            self.until.errors.append(_l("The end date must be on or after the start date."))
            return False
        return valid


class ReasonForm(BaseForm):
    """An action that needs a reason, for the audit log (and, for content, the owner)."""

    reason = TextAreaField(
        _l("Reason"), validators=[DataRequired(), Length(max=2000)], render_kw={"rows": 2}
    )
    next = HiddenField()


class ActionForm(BaseForm):
    """An action with an optional reason."""

    reason = TextAreaField(_l("Reason (optional)"), validators=[Length(max=2000)])
    next = HiddenField()


class RoleChangeForm(BaseForm):
    """Approve a request with a role, or change a member's role."""

    role = SelectField(_l("Role"), choices=role_choices)
    reason = TextAreaField(_l("Reason (optional)"), validators=[Length(max=2000)])
    next = HiddenField()


def person_forms(user) -> dict:
    """The forms of a person's page, each with a prefix of its own (one page, unique ids);
    none reads the request: the view replaces the one that was sent."""
    forms = {
        "coordinator": ActionForm(prefix="coordinator", formdata=None),
        "deactivate": ReasonForm(prefix="deactivate", formdata=None),
        "reactivate": ActionForm(prefix="reactivate", formdata=None),
    }
    for membership in user.memberships:
        form = RoleChangeForm(prefix=f"m{membership.id}", formdata=None)
        form.role.data = membership.role if membership.is_approved else membership.requested_role
        forms[f"m{membership.id}"] = form
    return forms


class NetworkMemberForm(BaseForm):
    """Add a member of the network (with `organisation`), or change one's date and contact."""

    organisation = SelectField(_l("Municipality or county"), validators=[DataRequired()])
    since = DateField(_l("Member since"), validators=[DataRequired()])
    contact_name = StringField(_l("Contact person"), validators=[Optional(), Length(max=120)])
    contact_email = StringField(
        _l("The contact's email address"),
        validators=[
            Optional(),
            Length(max=254),
            Email(_l("Enter an email address like name@kommune.no."), check_deliverability=False),
        ],
    )
    reason = TextAreaField(_l("Reason (optional)"), validators=[Length(max=2000)])


class LiftForm(BaseForm):
    """Lift the suppression of one address (sent from its row in the list)."""

    address = HiddenField(validators=[DataRequired(), Length(max=254)])
    reason = TextAreaField(_l("Reason (optional)"), validators=[Length(max=2000)])
