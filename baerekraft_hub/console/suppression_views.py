"""Suppressed addresses in the console: what bulk email no longer goes to, and lifting one."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from baerekraft_hub.audit import record
from baerekraft_hub.console import bp
from baerekraft_hub.console.forms import LiftForm
from baerekraft_hub.core.outbox.bounces import lift, suppressions


@bp.get("/sperrede-adresser/")
def suppressions_page():
    return render_template(
        "console/suppressions.html", suppressions=suppressions(), form=LiftForm(formdata=None)
    )


@bp.post("/sperrede-adresser/opphev/")
def lift_suppression():
    form = LiftForm()
    if not form.validate_on_submit():
        abort(400)
    address = form.address.data.strip().lower()
    if lift(address):
        record(
            current_user._get_current_object(),
            "mail.lift_suppression",
            "email",
            address,
            form.reason.data,
        )
        flash(_("Email to %(address)s is no longer held back.", address=address), "success")
    else:
        flash(_("%(address)s was not suppressed.", address=address), "info")
    return redirect(url_for("console.suppressions_page"))
