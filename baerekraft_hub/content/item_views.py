"""What the project and practice pages do alike, given the item and the kind's own sentences:
publish, unpublish, delete, and refusing a save while keeping what the user typed.

The views load the item and check the right to change it; these carry out the change.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import flash, redirect, render_template
from flask_login import current_user

from baerekraft_hub.content import services as content
from baerekraft_hub.content.forms import UnpublishForm
from baerekraft_hub.core.forms import BaseForm
from baerekraft_hub.extensions import db


def publish(item: Any, *, done: str, back_url: str):
    content.publish(item, current_user)
    db.session.commit()
    flash(done, "success")
    return redirect(back_url)


def unpublish(item: Any, *, done: str, back_url: str):
    """GET: the page that asks why; POST: unpublish with that reason."""
    form = UnpublishForm()
    if form.validate_on_submit():
        content.unpublish(item, current_user, form.reason.data)
        db.session.commit()
        flash(done, "success")
        return redirect(back_url)
    return render_template("content/unpublish.html", form=form, item=item, back_url=back_url)


def delete(item: Any, *, done: str, back_url: str, list_url: str):
    """GET: the page that asks to confirm; POST: delete, then go to the list."""
    form = BaseForm()  # the CSRF token
    if form.validate_on_submit():
        content.delete(item, current_user)
        db.session.commit()
        flash(done, "success")
        return redirect(list_url)
    return render_template("content/delete.html", form=form, item=item, back_url=back_url)


def refuse_keeping_text(message: str, render_form: Callable[..., Any], form, item):
    """The user lost the right to save while typing: say so, and give their text back."""
    flash(message, "error")
    return render_form(form, item, status=403)
