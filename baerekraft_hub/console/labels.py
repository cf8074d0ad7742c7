"""What the audit log's action codes mean, in the reader's language."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

ACTIONS = {
    "membership.approve": _l("Approved a membership request"),
    "membership.decline": _l("Declined a membership request"),
    "membership.change_role": _l("Changed a member's role"),
    "membership.remove": _l("Removed a member"),
    "user.make_coordinator": _l("Made a network coordinator"),
    "user.remove_coordinator": _l("Removed a network coordinator"),
    "user.deactivate": _l("Deactivated a user"),
    "user.reactivate": _l("Reactivated a user"),
    "content.unpublish": _l("Unpublished content"),
    "content.republish": _l("Republished content"),
    "content.feature": _l("Featured content on the home page"),
    "content.unfeature": _l("Removed content from the home page"),
    "network.join": _l("Marked as a network member"),
    "network.update": _l("Changed network membership details"),
    "network.leave": _l("Marked as no longer a network member"),
    "mail.lift_suppression": _l("Lifted an email suppression"),
    "export.users": _l("Downloaded the user list"),
    "newsletter.create": _l("Wrote a newsletter"),
    "newsletter.copy": _l("Copied a newsletter into a new draft"),
    "newsletter.send": _l("Sent a newsletter"),
    "newsletter.schedule": _l("Scheduled a newsletter"),
    "newsletter.unschedule": _l("Took a newsletter off the schedule"),
    "newsletter.pause": _l("Paused a newsletter"),
    "newsletter.resume": _l("Resumed a newsletter"),
    "newsletter.cancel": _l("Stopped a newsletter"),
}


TARGET_KINDS = {
    "user": _l("User"),
    "membership": _l("Membership"),
    "project": _l("Project"),
    "practice": _l("Good practice"),
    "organisation": _l("Organisation"),
    "email": _l("Email address"),
    "export": _l("Export"),
    "newsletter": _l("Newsletter"),
}


def target_kind_label(code: str) -> str:
    return str(TARGET_KINDS.get(code, code))


def action_label(code: str) -> str:
    """The action's label; an action we have no label for (a newer one) as its code."""
    return str(ACTIONS.get(code, code))
