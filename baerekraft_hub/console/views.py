"""The console's dashboard and audit log."""

from __future__ import annotations

from flask import render_template, request

from baerekraft_hub.audit import services as audit
from baerekraft_hub.console import bp, dashboard
from baerekraft_hub.console.forms import AuditFilterForm
from baerekraft_hub.console.labels import ACTIONS, action_label, target_kind_label
from baerekraft_hub.core.pagination import page_number, paginate


@bp.get("/")
def dashboard_page():
    return render_template(
        "console/dashboard.html", figures=dashboard.figures(), action_label=action_label
    )


@bp.get("/logg/")
def audit_log():
    """The audit log, newest first; bad filter input is shown with its message and ignored."""
    form = AuditFilterForm(request.args)
    codes = dict.fromkeys([*ACTIONS, *audit.actions_in_log()])
    form.action.choices = [("", "")] + [(code, action_label(code)) for code in codes]
    valid = form.validate()
    filters = audit.AuditFilters(
        actor=(form.actor.data or "").strip() if not form.actor.errors else "",
        action=form.action.data or "",
        since=form.since.data if valid else None,
        until=form.until.data if valid else None,
    )
    page = paginate(audit.filtered(filters), page_number(request.args), per_page=30)
    args = {k: v for k, v in request.args.items() if k != "page" and k in form.data and v}
    return render_template(
        "console/audit.html",
        form=form,
        page=page,
        args=args,
        action_label=action_label,
        target_kind_label=target_kind_label,
    ), 200 if valid else 422
