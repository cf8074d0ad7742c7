"""The coordinator's newsletter pages under /koordinator/nyhetsbrev/ (coordinators only: 403
for everyone else, signed-out visitors are sent to sign in)."""

from __future__ import annotations

from functools import partial, wraps
from typing import Any
from zoneinfo import ZoneInfo

from flask import Response, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from baerekraft_hub.core.errors import ValidationError
from baerekraft_hub.core.forms import show_error
from baerekraft_hub.core.htmx import is_partial, render
from baerekraft_hub.core.markdown import render_markdown
from baerekraft_hub.core.models import utcnow
from baerekraft_hub.core.outbox import queue_emails, render_email
from baerekraft_hub.core.transactions import undo_changes
from baerekraft_hub.extensions import db
from baerekraft_hub.memberships import policy
from baerekraft_hub.newsletters import bp, sending, services
from baerekraft_hub.newsletters.audience import Audience, count_recipients, recipients
from baerekraft_hub.newsletters.emails import TEMPLATE, test_email
from baerekraft_hub.newsletters.forms import ActionForm, NewsletterForm, SendForm
from baerekraft_hub.newsletters.models import Newsletter, NewsletterStatus

BASE = "/koordinator/nyhetsbrev/"


def coordinator_only(view):
    @wraps(view)
    @login_required
    def wrapper(*args, **kwargs):
        if not policy.is_coordinator(current_user):
            abort(403)
        return view(*args, **kwargs)

    return wrapper


def _get(newsletter_id: int) -> Newsletter:
    return db.get_or_404(Newsletter, newsletter_id)


def audience_from(values) -> Audience:
    """The audience in posted (or queried) form values: the count and the save read it alike."""
    targets = [t.strip() for t in values.get("targets", "").split(",") if t.strip()]
    return Audience.from_dict(
        {
            "kinds": values.getlist("kinds"),
            "members_only": values.get("members_only") in ("y", "on", "1", "true"),
            "counties": values.getlist("counties"),
            "goals": values.getlist("goals"),
            "targets": targets[:50],
            "roles": values.getlist("roles"),
        }
    )


def _data(form: NewsletterForm) -> services.NewsletterData:
    return services.NewsletterData(
        subject=form.subject.data or "",
        preheader=form.preheader.data or "",
        body=form.body.data or "",
        news=form.news.data or "",
        utm_campaign=form.utm_campaign.data or "",
        audience=audience_from(request.form),
    )


def _compose_page(form: NewsletterForm, newsletter: Newsletter | None, status: int = 200):
    audience = audience_from(request.form) if request.method == "POST" else None
    if audience is None:
        audience = Audience.from_dict(newsletter.audience if newsletter else None)
    preview = None
    if request.form.get("preview"):
        preview = render_markdown((form.body.data or "") + "\n\n" + (form.news.data or ""))
    html = render_template(
        "newsletters/compose.html",
        form=form,
        newsletter=newsletter,
        count=count_recipients(audience),
        preview=preview,
    )
    return html, 422 if form.errors else status


def _save(form: NewsletterForm, newsletter: Newsletter | None):
    """Validate and save; on a preview or count button, show the form again unsaved."""
    if request.form.get("preview") or request.form.get("recount"):
        form.validate()
        return _compose_page(form, newsletter)
    if form.validate_on_submit():
        try:
            if newsletter is None:
                newsletter = services.create_newsletter(_data(form), current_user)
            else:
                services.update_newsletter(newsletter, _data(form))
        except ValidationError as error:
            show_error(form, error)
        else:
            flash(_("The newsletter is saved."), "success")
            return redirect(url_for("newsletters.show", newsletter_id=newsletter.id))
    if not form.errors:  # a form that did not validate for want of its token
        abort(400)
    return _compose_page(form, newsletter)


@bp.get(BASE)
@coordinator_only
def index():
    newsletters = db.session.scalars(
        db.select(Newsletter).order_by(Newsletter.created_at.desc(), Newsletter.id.desc())
    ).all()
    return render_template("newsletters/index.html", newsletters=newsletters)


@bp.route(f"{BASE}ny/", methods=["GET", "POST"])
@coordinator_only
def create():
    form = NewsletterForm()
    if request.method == "GET":
        form.news.data = services.news_since_last_newsletter()
        return _compose_page(form, None)
    return _save(form, None)


@bp.route(f"{BASE}<int:newsletter_id>/rediger/", methods=["GET", "POST"])
@coordinator_only
def edit(newsletter_id: int):
    newsletter = _get(newsletter_id)
    if not newsletter.is_draft:
        flash(_("This newsletter has been sent and cannot be changed. Copy it instead."), "warning")
        return redirect(url_for("newsletters.show", newsletter_id=newsletter.id))
    form = NewsletterForm(obj=newsletter)
    if request.method == "GET":
        form.fill_audience(Audience.from_dict(newsletter.audience))
        return _compose_page(form, newsletter)
    return _save(form, newsletter)


@bp.post(f"{BASE}forhandsvis/")
@coordinator_only
def live_preview():
    text = request.form.get("body", "")[:50000] + "\n\n" + request.form.get("news", "")[:50000]
    return render_template("content/_preview.html", preview=render_markdown(text))


@bp.get(f"{BASE}antall/")
@coordinator_only
def count():
    """The live recipient count of the audience in the query (htmx); a page without JS."""
    number = count_recipients(audience_from(request.args))
    return render("newsletters/count_page.html", "newsletters/_count.html", count=number)


def _summary(audience: Audience) -> list[tuple[str, list[str]]]:
    """The audience in words, one line per criterion."""
    form = NewsletterForm(formdata=None)
    labels = {
        name: dict(getattr(form, name).choices) for name in ("kinds", "counties", "goals", "roles")
    }
    lines = [
        (getattr(form, name).label.text, [str(labels[name].get(v, v)) for v in values])
        for name, values in (
            ("kinds", audience.kinds),
            ("counties", audience.counties),
            ("goals", audience.goals),
            ("roles", audience.roles),
        )
        if values
    ]
    if audience.targets:
        lines.append((form.targets.label.text, audience.targets))
    if audience.members_only:
        lines.append((form.members_only.label.text, []))
    return lines


@bp.get(f"{BASE}<int:newsletter_id>/")
@coordinator_only
def show(newsletter_id: int):
    newsletter = _get(newsletter_id)
    audience = Audience.from_dict(newsletter.audience)
    return render_template(
        "newsletters/show.html",
        newsletter=newsletter,
        summary=_summary(audience),
        count=count_recipients(audience) if newsletter.is_draft else newsletter.recipient_count,
        progress=sending.progress(newsletter),
    )


@bp.get(f"{BASE}<int:newsletter_id>/fremdrift/")
@coordinator_only
def progress(newsletter_id: int):
    newsletter = _get(newsletter_id)
    return render(
        "newsletters/progress_page.html",
        "newsletters/_progress.html",
        newsletter=newsletter,
        progress=sending.progress(newsletter),
    )


@bp.get(f"{BASE}<int:newsletter_id>/mottakere/")
@coordinator_only
def recipient_list(newsletter_id: int):
    newsletter = _get(newsletter_id)
    return render_template(
        "newsletters/recipients.html",
        newsletter=newsletter,
        users=recipients(Audience.from_dict(newsletter.audience)) if newsletter.is_draft else None,
        frozen=sending.frozen_recipients(newsletter) if not newsletter.is_draft else None,
    )


def _email_preview(newsletter: Newsletter) -> tuple[str, str, str]:
    email = test_email(newsletter, current_user, "preview")
    email.context["test"] = False
    return render_email(TEMPLATE, email.context, current_user.language)


@bp.get(f"{BASE}<int:newsletter_id>/epost.html")
@coordinator_only
def preview_html(newsletter_id: int):
    return Response(_email_preview(_get(newsletter_id))[2], mimetype="text/html")


@bp.get(f"{BASE}<int:newsletter_id>/epost.txt")
@coordinator_only
def preview_text(newsletter_id: int):
    subject, text, _html = _email_preview(_get(newsletter_id))
    return Response(f"{subject}\n\n{text}", mimetype="text/plain")


def _action_form_or_400() -> None:
    if not ActionForm().validate_on_submit():
        abort(400)


@bp.post(f"{BASE}<int:newsletter_id>/test/")
@coordinator_only
def send_test(newsletter_id: int):
    newsletter = _get(newsletter_id)
    _action_form_or_400()
    key = f"newsletter-test:{newsletter.id}:{current_user.id}:{utcnow().timestamp()}"
    queue_emails([test_email(newsletter, current_user, key)])
    flash(_("A test is on its way to %(email)s.", email=current_user.email), "success")
    return redirect(url_for("newsletters.show", newsletter_id=newsletter.id))


@bp.route(f"{BASE}<int:newsletter_id>/send/", methods=["GET", "POST"])
@coordinator_only
def send(newsletter_id: int):
    newsletter = _get(newsletter_id)
    back = redirect(url_for("newsletters.show", newsletter_id=newsletter.id))
    if not newsletter.is_draft:
        flash(_("This newsletter has already been sent."), "warning")
        return back
    form = SendForm()
    number = count_recipients(Audience.from_dict(newsletter.audience))
    if form.validate_on_submit():
        try:
            if form.when.data == "later":
                when = _local_to_utc(form.send_at.data)
                sending.schedule(newsletter, when, actor=current_user)
                flash(_("The newsletter is scheduled."), "success")
            else:
                sent_to = sending.send_now(newsletter, actor=current_user)
                flash(_("Sending to %(num)d recipients has started.", num=sent_to), "success")
        except ValidationError as error:
            show_error(form, error)
        else:
            return back
    page = render_template("newsletters/send.html", newsletter=newsletter, form=form, count=number)
    return page, 422 if form.errors else 200


def _local_to_utc(value) -> Any:
    if value is None:
        raise ValidationError(_("Choose when to send it."), field="send_at")
    zone = ZoneInfo(current_app.config["BABEL_DEFAULT_TIMEZONE"])
    return value.replace(tzinfo=zone).astimezone(ZoneInfo("UTC"))


def _state_action(newsletter_id: int, action, done: str, refused: str):
    newsletter = _get(newsletter_id)
    _action_form_or_400()
    if action(newsletter):
        flash(done, "success")
    else:
        undo_changes()
        flash(refused, "warning")
    if is_partial():
        return render_template(
            "newsletters/_progress.html",
            newsletter=newsletter,
            progress=sending.progress(newsletter),
        )
    return redirect(url_for("newsletters.show", newsletter_id=newsletter.id))


@bp.post(f"{BASE}<int:newsletter_id>/pause/")
@coordinator_only
def pause(newsletter_id: int):
    return _state_action(
        newsletter_id,
        partial(sending.pause, actor=current_user),
        _("Sending is paused."),
        _("Only a newsletter being sent can be paused."),
    )


@bp.post(f"{BASE}<int:newsletter_id>/fortsett/")
@coordinator_only
def resume(newsletter_id: int):
    return _state_action(
        newsletter_id,
        partial(sending.resume, actor=current_user),
        _("Sending goes on."),
        _("Only a paused newsletter can be resumed."),
    )


@bp.post(f"{BASE}<int:newsletter_id>/avbryt/")
@coordinator_only
def cancel(newsletter_id: int):
    def cancel_or_unschedule(newsletter: Newsletter) -> bool:
        if newsletter.status == NewsletterStatus.SCHEDULED:
            return sending.unschedule(newsletter, actor=current_user)
        return sending.cancel(newsletter, actor=current_user)

    return _state_action(
        newsletter_id,
        cancel_or_unschedule,
        _("Sending is stopped."),
        _("This newsletter is not being sent."),
    )


@bp.post(f"{BASE}<int:newsletter_id>/kopier/")
@coordinator_only
def clone(newsletter_id: int):
    newsletter = _get(newsletter_id)
    _action_form_or_400()
    copy = services.clone_newsletter(newsletter, current_user)
    flash(_("A copy is ready as a new draft."), "success")
    return redirect(url_for("newsletters.edit", newsletter_id=copy.id))
