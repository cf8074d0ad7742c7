"""The pages projects and practices have alike: create, edit, publish, unpublish, delete.

Each kind describes itself once in an `ItemPages` (how to get an item, build and read its form,
save it, show the form) and `add_routes` gives its blueprint the five pages, as Flask's own
`register_api` pattern does for class-based views. The kind's blueprint is named after it in
the plural ("projects") and has `index` and `show` pages of its own.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from baerekraft_hub.content import services as content
from baerekraft_hub.content.forms import UnpublishForm
from baerekraft_hub.content.visibility import can_see
from baerekraft_hub.core.errors import ValidationError
from baerekraft_hub.core.forms import BaseForm, show_error
from baerekraft_hub.core.transactions import undo_changes
from baerekraft_hub.memberships import policy

# What the pages tell the user, a sentence per kind: bokmål and nynorsk inflect the noun
# ("prosjektet", "praksisen") and the words around it, so one sentence cannot serve both.
SAID = {
    "refused": {  # the user lost the right to save while typing
        "project": _l(
            "You no longer have the right to save this project. Your text is kept below so "
            "you can copy it; ask an administrator of your organisation for access."
        ),
        "practice": _l(
            "You no longer have the right to save this practice. Your text is kept below so "
            "you can copy it; ask an administrator of your organisation for access."
        ),
    },
    "conflict": {  # someone else saved while the user was editing
        "project": _l(
            "Someone else saved this project while you were editing. Your text is "
            "kept below: compare it with the saved version and save again."
        ),
        "practice": _l(
            "Someone else saved this practice while you were editing. Your text is "
            "kept below: compare it with the saved version and save again."
        ),
    },
    "created": {
        "project": _l("The project was saved as a draft."),
        "practice": _l("The practice was saved as a draft."),
    },
    "saved": {"project": _l("The project was saved."), "practice": _l("The practice was saved.")},
    "published": {
        "project": _l("The project is published."),
        "practice": _l("The practice is published."),
    },
    "unpublished": {
        "project": _l("The project is no longer published."),
        "practice": _l("The practice is no longer published."),
    },
    "deleted": {
        "project": _l("The project was deleted."),
        "practice": _l("The practice was deleted."),
    },
}


class Editing(Protocol):
    """The kind's `editing` module: between its form and its services."""

    def prepare_form(self, form, user, item=None): ...  # the form with its choices

    def fill_form(self, form, item) -> None: ...  # the stored values, for GET

    def data_from_form(self, form) -> Any: ...  # plain values for the services


@dataclass(frozen=True)
class ItemPages:
    """One kind's part in the shared pages."""

    kind: str  # "project"
    get: Callable[[int], Any]  # the item with what its page shows, or None
    form_class: type[BaseForm]
    editing: Editing
    create: Callable[[Any, Any], Any]  # (data, user): the new item
    update: Callable[[Any, Any, Any, int], Any]  # (item, data, user, expected version)
    render_form: Callable[..., str]  # (form, item, **context): the create/edit page
    previews: bool = False  # the form has a "Preview" button (`preview=True` to render_form)

    def load(self, item_id: int, *, edit: bool = False):
        """The item if the user may see it (404 otherwise), and may edit it when asked (403)."""
        item = self.get(item_id)
        if item is None or not can_see(current_user, item):
            abort(404)
        if edit and not policy.can_edit_item(current_user, item):
            abort(403)
        return item

    def show_url(self, item) -> str:
        return url_for(f"{self.kind}s.show", **{f"{self.kind}_id": item.id})

    def new_form(self, item=None):
        return self.editing.prepare_form(self.form_class(), current_user, item)

    def say(self, what: str, category: str = "success") -> None:
        flash(str(SAID[what][self.kind]), category)


def _render(pages: ItemPages, form, item, *, status: int | None = None, **context):
    """The create/edit page; 422 when the form was sent with errors."""
    if status is None:
        status = 422 if form.errors and request.method == "POST" else 200
    return pages.render_form(form, item, **context), status


def refuse_keeping_text(pages: ItemPages, item):
    """The user lost the right to save while typing: say so, and give their text back."""
    form = pages.new_form(item)
    pages.say("refused", "error")
    return _render(pages, form, item, status=403)


def create(pages: ItemPages):
    """GET: the empty form; POST: save a new draft and show it."""
    if not policy.editable_organisations(current_user) and not policy.is_coordinator(current_user):
        if request.method == "POST":
            return refuse_keeping_text(pages, None)
        abort(403)
    form = pages.new_form()
    if pages.previews and request.form.get("preview"):
        return _render(pages, form, None, preview=True)
    if form.validate_on_submit():
        try:
            item = pages.create(pages.editing.data_from_form(form), current_user)
        except ValidationError as error:
            show_error(form, error)
        else:
            pages.say("created")
            return redirect(pages.show_url(item))
    return _render(pages, form, None)


def edit(pages: ItemPages, item_id: int):
    """GET: the form with the stored values; POST: save, unless someone saved in between."""
    item = pages.load(item_id)
    if not policy.can_edit_item(current_user, item):
        if request.method == "POST":
            return refuse_keeping_text(pages, item)
        abort(403)
    form = pages.new_form(item)
    if request.method == "GET":
        pages.editing.fill_form(form, item)
    elif pages.previews and request.form.get("preview"):
        return _render(pages, form, item, preview=True)
    elif form.validate_on_submit():
        data = pages.editing.data_from_form(form)
        try:
            pages.update(item, data, current_user, int(form.version.data or 0))
        except content.EditConflict:
            undo_changes()  # read the version saved meanwhile
            item = pages.load(item_id, edit=True)
            form.version.data = item.version
            pages.say("conflict", "error")
            return _render(pages, form, item, status=409)
        except ValidationError as error:
            show_error(form, error)
        else:
            pages.say("saved")
            return redirect(pages.show_url(item))
    return _render(pages, form, item)


def publish(pages: ItemPages, item_id: int):
    item = pages.load(item_id, edit=True)
    content.publish(item, current_user)
    pages.say("published")
    return redirect(pages.show_url(item))


def unpublish(pages: ItemPages, item_id: int):
    """GET: the page that asks why; POST: unpublish with that reason."""
    item = pages.load(item_id, edit=True)
    back_url = pages.show_url(item)
    form = UnpublishForm()
    if form.validate_on_submit():
        content.unpublish(item, current_user, form.reason.data)
        pages.say("unpublished")
        return redirect(back_url)
    return render_template("content/unpublish.html", form=form, item=item, back_url=back_url)


def delete(pages: ItemPages, item_id: int):
    """GET: the page that asks to confirm; POST: delete, then go to the list."""
    item = pages.load(item_id, edit=True)
    form = BaseForm()  # the CSRF token
    if form.validate_on_submit():
        content.delete(item, current_user)
        pages.say("deleted")
        return redirect(url_for(f"{pages.kind}s.index"))
    back_url = pages.show_url(item)
    return render_template("content/delete.html", form=form, item=item, back_url=back_url)


def add_routes(bp: Blueprint, pages: ItemPages, base: str) -> None:
    """The five pages under the kind's address (`base`, "/prosjekter/"), for signed-in users."""
    item = f"{base}<int:{pages.kind}_id>/"

    def with_id(flow):
        return lambda **url_values: flow(pages, url_values[f"{pages.kind}_id"])

    def add(rule: str, endpoint: str, view, methods=("GET", "POST")) -> None:
        bp.add_url_rule(rule, endpoint, login_required(view), methods=list(methods))

    add(f"{base}ny/", "create", lambda: create(pages))
    add(f"{item}rediger/", "edit", with_id(edit))
    add(f"{item}publiser/", "publish", with_id(publish), methods=["POST"])
    add(f"{item}avpubliser/", "unpublish", with_id(unpublish))
    add(f"{item}slett/", "delete", with_id(delete))
