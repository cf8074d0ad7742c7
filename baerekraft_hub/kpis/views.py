"""KPI value pages of an organisation: the list, a value by hand, a file with a preview.

Editors of the organisation and the coordinator change values; everybody may read them.
An upload is previewed first (a dry run); the preview carries the file, signed, so "Save"
stores exactly what was previewed, and nothing typed or chosen is lost on the way.
"""

from __future__ import annotations

import base64
import decimal

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import format_decimal
from flask_babel import gettext as _
from flask_login import current_user, login_required
from itsdangerous import BadSignature, URLSafeTimedSerializer

from baerekraft_hub.kpis import bp, services
from baerekraft_hub.kpis.forms import MAX_UPLOAD_BYTES, SaveUploadForm, UploadForm, ValueForm
from baerekraft_hub.kpis.references import References
from baerekraft_hub.kpis.table import RawRow, TableFileError, check_rows
from baerekraft_hub.memberships import policy
from baerekraft_hub.organisations.models import Organisation
from baerekraft_hub.organisations.services import get_by_slug

UPLOAD_MAX_AGE = 3600  # seconds a preview may be saved
PREVIEW_ROWS = 1000  # rows the preview lists (a county's file can be far longer)


def _organisation(slug: str, *, edit: bool = False) -> Organisation:
    organisation = get_by_slug(slug) or abort(404)
    if edit and not policy.can_edit_content(current_user, organisation):
        abort(403)
    return organisation


@bp.get("/organisasjoner/<slug>/indikatorverdier/")
def values(slug: str):
    """The organisation's KPI values, newest year first."""
    organisation = _organisation(slug)
    return render_template(
        "kpis/values.html",
        organisation=organisation,
        values=services.values_of(organisation),
        can_edit=policy.can_edit_content(current_user, organisation),
    )


def _value_form(form: ValueForm) -> ValueForm:
    form.kpi.choices = [("", _("Choose an indicator"))] + [
        (kpi.code, f"{kpi.code} – {kpi.name}") for kpi in services.all_kpis()
    ]
    return form


def _save_value(organisation: Organisation, form: ValueForm):
    """Check the form as a table row; store it, or put each problem on its field."""
    cells = {"organisation": organisation.number or organisation.slug, **form.cells()}
    valid, problems = check_rows([RawRow(1, cells)], References())
    for problem in problems:
        target = getattr(form, problem.field or "", None) or form.value
        target.errors = [*target.errors, problem.message]
    if problems:
        return None
    services.store_values(valid, current_user._get_current_object())
    return valid[0]


@bp.route("/organisasjoner/<slug>/indikatorverdier/ny/", methods=["GET", "POST"])
@login_required
def new_value(slug: str):
    """Enter one value by hand."""
    organisation = _organisation(slug, edit=True)
    form = _value_form(ValueForm())
    if form.validate_on_submit() and _save_value(organisation, form):
        flash(_("The value is saved."), "success")
        return redirect(url_for("kpis.values", slug=organisation.slug))
    return render_template(
        "kpis/value_form.html", form=form, organisation=organisation, value=None
    ), 422 if form.errors else 200


@bp.route("/organisasjoner/<slug>/indikatorverdier/<int:value_id>/endre/", methods=["GET", "POST"])
@login_required
def edit_value(slug: str, value_id: int):
    """Change a value; the earlier version is kept and shown."""
    organisation = _organisation(slug, edit=True)
    value = services.get_value(organisation, value_id) or abort(404)
    form = _value_form(ValueForm(obj=None if request.method == "POST" else _FormData(value)))
    if request.method == "POST":
        # The indicator and year name the value: they are not changed here.
        form.kpi.data, form.year.data = value.kpi.code, str(value.year)
    if form.validate_on_submit() and _save_value(organisation, form):
        flash(_("The value is saved; the earlier version is kept."), "success")
        return redirect(url_for("kpis.values", slug=organisation.slug))
    return render_template(
        "kpis/value_form.html", form=form, organisation=organisation, value=value
    ), 422 if form.errors else 200


class _FormData:
    """A stored value as the form shows it: numbers written as typed."""

    def __init__(self, value) -> None:
        def text(number):
            # In the reader's language, without grouping: "12,5" in Norwegian, as typed.
            if number is None:
                return ""
            try:
                return format_decimal(number, format="0.##########")
            except decimal.InvalidOperation:  # past Decimal's precision (1e300)
                return str(number)

        self.kpi = value.kpi.code
        self.year = str(value.year)
        self.value = text(value.value)
        self.numerator = text(value.numerator)
        self.denominator = text(value.denominator)
        self.quality = value.quality
        self.source = value.source
        self.verified = value.verified
        self.comment = value.comment


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="kpi-upload")


def _allowed(organisation: Organisation) -> set[int] | None:
    """Whose values an upload may change: the coordinator any, an editor their own."""
    return None if policy.is_coordinator(current_user) else {organisation.id}


@bp.route("/organisasjoner/<slug>/indikatorverdier/last-opp/", methods=["GET", "POST"])
@login_required
def upload(slug: str):
    """Upload a file and see what it would change, before anything is saved."""
    organisation = _organisation(slug, edit=True)
    form = UploadForm()
    report = save_form = None
    if form.validate_on_submit():
        data = _read_upload(form)
        if data is not None:
            try:
                report = services.import_file(
                    data, dry_run=True, skip_invalid=True, only_organisations=_allowed(organisation)
                )
            except TableFileError as error:
                form.file.errors = [str(error)]
            else:
                content = base64.b64encode(data).decode("ascii")
                token = {"organisation": organisation.id, "user": current_user.id, "data": content}
                save_form = SaveUploadForm(content=_serializer().dumps(token))
    status = 422 if form.errors else 200
    return render_template(
        "kpis/upload.html",
        form=form,
        organisation=organisation,
        report=report,
        save_form=save_form,
        preview_rows=PREVIEW_ROWS,
    ), status


def _read_upload(form: UploadForm) -> bytes | None:
    upload_file = form.file.data
    if upload_file is None or not getattr(upload_file, "filename", ""):
        form.file.errors = [_("Choose a file.")]
        return None
    data = upload_file.read(MAX_UPLOAD_BYTES + 1)
    if len(data) > MAX_UPLOAD_BYTES:
        form.file.errors = [_("The file is larger than 5 MB. Split it, or ask the coordinator.")]
        return None
    return data


@bp.post("/organisasjoner/<slug>/indikatorverdier/last-opp/lagre/")
@login_required
def save_upload(slug: str):
    """Store the previewed file: the valid rows, as the preview said."""
    organisation = _organisation(slug, edit=True)
    form = SaveUploadForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        token = _serializer().loads(form.content.data or "", max_age=UPLOAD_MAX_AGE)
    except BadSignature:
        flash(_("The preview had expired. Upload the file again."), "warning")
        return redirect(url_for("kpis.upload", slug=organisation.slug))
    if token.get("organisation") != organisation.id or token.get("user") != current_user.id:
        abort(400)
    report = services.import_file(
        base64.b64decode(token["data"]),
        current_user._get_current_object(),
        skip_invalid=True,
        only_organisations=_allowed(organisation),
    )
    flash(
        _(
            "Saved: %(created)s new, %(updated)s changed, %(unchanged)s unchanged, "
            "%(skipped)s rows with problems left out.",
            created=report.count("created"),
            updated=report.count("updated"),
            unchanged=report.count("unchanged"),
            skipped=report.skipped,
        ),
        "success",
    )
    return redirect(url_for("kpis.values", slug=organisation.slug))
