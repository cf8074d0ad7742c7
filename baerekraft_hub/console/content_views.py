"""Content in the console: every project and practice, and one item's page with what the
coordinator may do to it (unpublish, republish, feature on the home page)."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from baerekraft_hub.console import bp
from baerekraft_hub.console import content as service
from baerekraft_hub.console.forms import ActionForm, ReasonForm
from baerekraft_hub.core.errors import ValidationError
from baerekraft_hub.core.pagination import page_number, paginate
from baerekraft_hub.extensions import db

MAX_QUERY = 100
WORD = {"project": "prosjekt", "practice": "praksis"}


@bp.get("/innhold/")
def content():
    kind = request.args.get("kind", "")
    kind = kind if kind in service.KINDS else "prosjekt"  # an unknown kind: the projects
    model = service.KINDS[kind]
    query = request.args.get("q", "")[:MAX_QUERY]
    state = request.args.get("state", "")
    page = paginate(service.items(model, query, state), page_number(request.args), per_page=30)
    args = {k: v for k, v in {"kind": kind, "q": query, "state": state}.items() if v}
    return render_template(
        "console/content.html",
        page=page,
        kind=kind,
        query=query,
        state=state,
        args=args,
        featured=service.featured(),
        max_featured=service.MAX_FEATURED,
    )


def _forms() -> dict:
    return {
        "unpublish": ReasonForm(prefix="unpublish", formdata=None),
        "republish": ActionForm(prefix="republish", formdata=None),
        "feature": ActionForm(prefix="feature", formdata=None),
    }


def _show(item, sent: str | None = None, form=None, status: int = 200):
    forms = _forms()
    if sent:
        forms[sent] = form
    return render_template(
        "console/item.html",
        item=item,
        kind=service.kind_of(item),
        word=WORD[service.kind_of(item)],
        forms=forms,
        max_featured=service.MAX_FEATURED,
    ), status


@bp.get("/innhold/prosjekt/<int:project_id>/")
def project(project_id: int):
    return _show(db.session.get(service.KINDS["prosjekt"], project_id) or abort(404))


@bp.get("/innhold/praksis/<int:practice_id>/")
def practice(practice_id: int):
    return _show(db.session.get(service.KINDS["praksis"], practice_id) or abort(404))


ACTIONS = {
    # URL word: (form name, form class, service, message)
    "avpubliser": ("unpublish", ReasonForm, service.unpublish, "unpublished"),
    "publiser": ("republish", ActionForm, service.republish, "republished"),
    "fremhev": ("feature", ActionForm, service.feature, "featured"),
    "fjern-fremheving": ("feature", ActionForm, service.unfeature, "unfeatured"),
}


def _message(outcome: str, item) -> str:
    return {
        "unpublished": _(
            "“%(title)s” is unpublished. Its organisation's editors are told by email.",
            title=item.title,
        ),
        "republished": _("“%(title)s” is published again.", title=item.title),
        "featured": _("“%(title)s” is featured on the home page.", title=item.title),
        "unfeatured": _("“%(title)s” is no longer featured on the home page.", title=item.title),
    }[outcome]


@bp.post(
    "/innhold/<any(prosjekt, praksis):kind>/<int:item_id>/"
    "<any(avpubliser, publiser, fremhev, 'fjern-fremheving'):action>/"
)
def act_on_content(kind: str, item_id: int, action: str):
    item = db.session.get(service.KINDS[kind], item_id) or abort(404)
    name, form_class, run, outcome = ACTIONS[action]
    form = form_class(prefix=name)
    if not form.validate_on_submit():
        return _show(item, name, form, 422)
    try:
        run(current_user._get_current_object(), item, form.reason.data)
    except ValidationError as error:
        form.form_errors.append(error.message)
        return _show(item, name, form, 422)
    flash(_message(outcome, item), "success")
    back = "console.project" if kind == "prosjekt" else "console.practice"
    return redirect(url_for(back, **{f"{service.kind_of(item)}_id": item.id}))
