"""The network coordinator's console at /koordinator/: dashboard, people, content, network
membership, exports, suppressed addresses and the audit log. Coordinators only."""

from flask import Blueprint, abort
from flask_login import current_user

from baerekraft_hub.extensions import login_manager
from baerekraft_hub.memberships import policy

bp = Blueprint("console", __name__, url_prefix="/koordinator")


@bp.before_request
def coordinators_only():
    """Anonymous visitors are sent to sign in; everyone but the coordinator gets 403."""
    if not current_user.is_authenticated:
        return login_manager.unauthorized()
    if not policy.is_coordinator(current_user):
        abort(403)
    return None
