"""Register, confirm, sign in and out, forgotten and new passwords."""

from __future__ import annotations

from flask import current_app, flash, g, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_limiter.util import get_remote_address
from flask_login import (
    current_user,
    login_required,
    login_user,
    logout_user,
    user_logged_in,
    user_logged_out,
)

from baerekraft_hub.accounts import bp, services
from baerekraft_hub.accounts.forms import (
    EmailOnlyForm,
    LoginForm,
    NewPasswordForm,
    RegisterForm,
)
from baerekraft_hub.accounts.tokens import Purpose, TokenExpired, TokenInvalid
from baerekraft_hub.core.errors import ValidationError
from baerekraft_hub.core.forms import render_form, show_error
from baerekraft_hub.core.i18n import current_language
from baerekraft_hub.core.transactions import keep_changes
from baerekraft_hub.core.urls import safe_next
from baerekraft_hub.extensions import limiter


@user_logged_in.connect
@user_logged_out.connect
def _new_csrf_token(*_sender, **_extra) -> None:
    """Who is signed in changed: a CSRF token handed out before (or planted) stops working."""
    session.pop("csrf_token", None)
    g.pop("csrf_token", None)


def _limit(setting: str):
    return lambda: current_app.config[setting]


def _submitted_email() -> str:
    """Rate-limit key per address typed and client: failures from elsewhere never lock the
    owner out (the client address is the visitor's only behind a trusted proxy)."""
    email = services.normalise_email(request.form.get("email", ""))[:254]
    return f"email:{email}|client:{get_remote_address()}"


@bp.route("/registrer/", methods=["GET", "POST"])
@limiter.limit(_limit("RATELIMIT_REGISTER"), methods=["POST"])
def register():
    if current_user.is_authenticated:
        return redirect(url_for("accounts.profile"))
    form = RegisterForm()
    if form.validate_on_submit():
        values = {
            "name": form.name.data,
            "email": form.email.data,
            "password": form.password.data,
            "language": current_language(),
            "newsletter": form.newsletter.data,
        }
        try:
            user = services.register_user(**values)
        except ValidationError as error:
            show_error(form, error)
        else:
            # The same answer whether the address was free or taken (its owner got an email).
            session["check_email"] = user.email
            return redirect(url_for("accounts.register_done"))
    return render_form("accounts/register.html", form)


@bp.get("/registrer/sjekk-e-posten/")
def register_done():
    return render_template("accounts/register_done.html", email=session.get("check_email"))


@bp.get("/bekreft/<token>/")
def confirm_email(token: str):
    try:
        services.confirm_email(token)
    except (TokenExpired, TokenInvalid) as error:
        return _link_problem("confirm", expired=isinstance(error, TokenExpired))
    keep_changes()  # a GET that writes: the token in the link is its credential
    flash(_("Your email address is confirmed. You can sign in now."), "success")
    if current_user.is_authenticated:
        return redirect(url_for("accounts.profile"))
    return redirect(url_for("accounts.login"))


def _link_problem(kind: str, *, expired: bool):
    return render_template("accounts/link_problem.html", kind=kind, expired=expired), 400


@bp.route("/bekreft/ny-lenke/", methods=["GET", "POST"])
@limiter.limit(_limit("RATELIMIT_REGISTER"), methods=["POST"])
def resend_confirmation():
    form = EmailOnlyForm()
    if form.validate_on_submit():
        services.resend_confirmation(form.email.data)
        flash(
            _(
                "If an unconfirmed account uses %(email)s, we have sent it a new link.",
                email=form.email.data,
            ),
            "info",
        )
        return redirect(url_for("accounts.login"))
    return render_form("accounts/resend_confirmation.html", form)


@bp.route("/logg-inn/", methods=["GET", "POST"])
@limiter.limit(_limit("RATELIMIT_LOGIN"), methods=["POST"])
@limiter.limit(_limit("RATELIMIT_LOGIN"), methods=["POST"], key_func=_submitted_email)
def login():
    if current_user.is_authenticated:
        return redirect(safe_next(request.args.get("next"), url_for("accounts.profile")))
    form = LoginForm(next=request.args.get("next", ""))
    if form.validate_on_submit():
        user = services.authenticate(form.email.data, form.password.data)
        if user is None:
            form.form_errors.append(_("The email address or the password is wrong."))
        elif user.is_deactivated:
            form.form_errors.append(
                _(
                    "This account has been deactivated. Contact the network coordinator if "
                    "you need it again."
                )
            )
        elif not user.is_active:
            services.send_confirmation(user)
            keep_changes()  # the refusal below promises this email
            form.form_errors.append(
                _(
                    "You have not confirmed your email address yet. We have sent you a link: "
                    "open it, then sign in."
                )
            )
        else:
            login_user(user, remember=form.remember.data)
            flash(_("You are signed in."), "success")
            return redirect(safe_next(form.next.data, url_for("accounts.profile")))
    return render_form("accounts/login.html", form)


@bp.post("/logg-ut/")
@login_required
def logout():
    services.end_sessions(current_user._get_current_object())
    logout_user()
    flash(_("You are signed out on every device."), "info")
    return redirect(url_for("pages.home"))


@bp.route("/glemt-passord/", methods=["GET", "POST"])
@limiter.limit(_limit("RATELIMIT_PASSWORD_RESET"), methods=["POST"])
@limiter.limit(_limit("RATELIMIT_PASSWORD_RESET"), methods=["POST"], key_func=_submitted_email)
def forgot_password():
    form = EmailOnlyForm()
    if form.validate_on_submit():
        services.request_password_reset(form.email.data)
        session["reset_email"] = services.normalise_email(form.email.data)
        return redirect(url_for("accounts.forgot_password_sent"))
    return render_form("accounts/forgot_password.html", form)


@bp.get("/glemt-passord/sendt/")
def forgot_password_sent():
    return render_template("accounts/forgot_password_sent.html", email=session.get("reset_email"))


@bp.route("/nytt-passord/<token>/", methods=["GET", "POST"])
@limiter.limit(_limit("RATELIMIT_PASSWORD_RESET"), methods=["POST"])
def reset_password(token: str):
    return _choose_password(token, Purpose.RESET_PASSWORD)


@bp.route("/velg-passord/<token>/", methods=["GET", "POST"])
@limiter.limit(_limit("RATELIMIT_PASSWORD_RESET"), methods=["POST"])
def set_password(token: str):
    return _choose_password(token, Purpose.SET_PASSWORD)


def _choose_password(token: str, purpose: Purpose):
    """The page behind a reset or set-password link: choose a password, then be signed in."""
    kind = "reset" if purpose == Purpose.RESET_PASSWORD else "set"
    try:
        user = services.user_for_password_token(token, purpose)
    except (TokenExpired, TokenInvalid) as error:
        return _link_problem(kind, expired=isinstance(error, TokenExpired))
    form = NewPasswordForm()
    if form.validate_on_submit():
        try:
            services.set_password(user, form.password.data)
        except ValidationError as error:
            show_error(form, error)
        else:
            login_user(user)
            flash(_("Your new password is saved, and you are signed in."), "success")
            return redirect(url_for("accounts.profile"))
    return render_form("accounts/choose_password.html", form, kind=kind, email=user.email)
