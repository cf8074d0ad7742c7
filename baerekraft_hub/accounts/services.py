"""What the accounts domain does: register, confirm, sign in, passwords, profile, privacy.

Functions take models and plain values, flush and queue emails, and never commit.
"""

from __future__ import annotations

import hashlib
import time
from typing import Any

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy.orm import joinedload, selectinload

from baerekraft_hub.accounts.models import User
from baerekraft_hub.accounts.passwords import hash_password, password_problem, verify_password
from baerekraft_hub.accounts.signals import user_data_requested, user_deleted
from baerekraft_hub.accounts.tokens import Purpose, TokenInvalid, make_token, read_token
from baerekraft_hub.core.dialects import insert_ignoring_conflicts
from baerekraft_hub.core.errors import ValidationError
from baerekraft_hub.core.models import utcnow
from baerekraft_hub.core.outbox import OutboxMessage, forget_user, queue_email, render_email
from baerekraft_hub.core.urls import public_url
from baerekraft_hub.extensions import db, login_manager


@login_manager.user_loader
def load_user(session_id: str) -> User | None:
    """The user behind a session, unless the session predates their last password change."""
    user_id, _sep, version = session_id.partition(":")
    if not user_id.isdigit() or not version.isdigit():
        return None
    # Memberships come along: nearly every signed-in page asks what the user may do.
    user = db.session.get(User, int(user_id), options=[joinedload(User.memberships)])
    if user is None or user.session_version != int(version) or not user.is_active:
        return None
    return user


def normalise_email(email: str) -> str:
    """Addresses are stored and compared lower-cased and trimmed."""
    return email.strip().lower()


def find_user_by_email(email: str) -> User | None:
    """The account with this address, whatever case it was typed in."""
    return db.session.scalars(
        db.select(User).where(User.email == normalise_email(email))
    ).one_or_none()


def _time_bucket(seconds: int) -> int:
    return int(time.time() // seconds)


def _check_password(password: str, user_inputs: list[str], field: str = "password") -> None:
    problem = password_problem(password, user_inputs)
    if problem:
        raise ValidationError(problem, field=field)


# --- registration and confirmation -------------------------------------------------------------


def register_user(
    *, name: str, email: str, password: str, language: str, newsletter: bool = False
) -> User:
    """Create an unconfirmed account and queue its confirmation email.

    The answer must not tell whether the address already has an account: the password rules
    apply either way, and the owner of a taken address is told by email instead. The same
    form sent twice (a double click, the back button) finds the account it made and only
    sends its confirmation link again, also when both arrive at once: the row is inserted
    with ON CONFLICT DO NOTHING, so the second waits for the first's commit and finds it.
    """
    email = normalise_email(email)
    _check_password(password, [name, email])
    password_hash = hash_password(password)  # also for a taken address: the same work, time
    existing = find_user_by_email(email)
    if existing is None:
        values = {
            "email": email,
            "name": name.strip(),
            "password_hash": password_hash,
            "language": language,
            "is_coordinator": False,
            "session_version": 1,
            "newsletter_consent_at": utcnow() if newsletter else None,
        }
        statement = insert_ignoring_conflicts(User, values, ["email"]).returning(User.id)
        new_id = db.session.execute(statement).scalar()
        if new_id is not None:
            user = db.session.get(User, new_id)
            send_confirmation(user)
            return user
        existing = find_user_by_email(email)  # registered a moment ago
    if existing.confirmed_at is None and verify_password(existing.password_hash, password):
        send_confirmation(existing)
    else:
        _tell_owner_of_registration_attempt(existing)
    return existing


def _tell_owner_of_registration_attempt(user: User) -> None:
    """Someone tried to register the address: point its owner to signing in (once an hour)."""
    queue_email(
        to=user.email,
        template="account_exists",
        context={
            "name": user.name,
            "url": public_url("accounts.login"),
            "reset_url": public_url("accounts.forgot_password"),
        },
        language=user.language,
        dedup_key=f"account-exists:{user.id}:{_time_bucket(3600)}",
        user=user,
    )


def send_confirmation(user: User) -> OutboxMessage | None:
    """Queue the confirmation link; asking again within the hour sends nothing new."""
    token = make_token(Purpose.CONFIRM_EMAIL, {"id": user.id, "email": user.email})
    return queue_email(
        to=user.email,
        template="confirm_email",
        context={"name": user.name, "url": public_url("accounts.confirm_email", token=token)},
        language=user.language,
        dedup_key=f"confirm-email:{user.id}:{_time_bucket(3600)}",
        user=user,
    )


def resend_confirmation(email: str) -> None:
    """Send a new confirmation link if an unconfirmed account has this address; say nothing."""
    user = find_user_by_email(email)
    if user is not None and user.confirmed_at is None:
        send_confirmation(user)


def confirm_email(token: str) -> User:
    """Mark the account in the token as confirmed (again: no harm); raises on a bad token."""
    payload = read_token(Purpose.CONFIRM_EMAIL, token)
    user = db.session.get(User, payload.get("id")) if isinstance(payload.get("id"), int) else None
    if user is None or user.email != payload.get("email"):
        raise TokenInvalid
    if user.confirmed_at is None:
        user.confirmed_at = utcnow()
    return user


# --- signing in and passwords -------------------------------------------------------------------


def authenticate(email: str, password: str) -> User | None:
    """The account when the address and password match (confirmed or not), else None."""
    user = find_user_by_email(email)
    if not verify_password(user.password_hash if user else None, password):
        return None
    return user


def _password_fingerprint(user: User) -> str:
    return hashlib.sha256((user.password_hash or "").encode()).hexdigest()[:16]


def _password_token(user: User, purpose: Purpose) -> str:
    # The session version and a fingerprint of the current hash make the link single-use:
    # once the password changes, both differ and the token stops working.
    payload = {"id": user.id, "v": user.session_version, "h": _password_fingerprint(user)}
    return make_token(purpose, payload)


def request_password_reset(email: str) -> None:
    """Queue a reset link when the address has an account; do the same work when it has not.

    The answer, and about the time it takes, must not tell whether the address is registered.
    """
    user = find_user_by_email(email)
    if user is None:
        render_email("reset_password", {"name": "", "url": public_url("pages.home")}, "nb")
        return
    token = _password_token(user, Purpose.RESET_PASSWORD)
    queue_email(
        to=user.email,
        template="reset_password",
        context={"name": user.name, "url": public_url("accounts.reset_password", token=token)},
        language=user.language,
        dedup_key=f"reset-password:{user.id}:{user.session_version}:{_time_bucket(600)}",
        user=user,
    )


def user_for_password_token(token: str, purpose: Purpose) -> User:
    """The account a reset or set-password link is for; raises when it is bad or used."""
    payload = read_token(purpose, token)
    user = db.session.get(User, payload.get("id")) if isinstance(payload.get("id"), int) else None
    if (
        user is None
        or payload.get("v") != user.session_version
        or payload.get("h") != _password_fingerprint(user)
    ):
        raise TokenInvalid
    return user


def set_password(user: User, password: str) -> None:
    """Set a new password, end every other session, and tell the user by email.

    Reaching this through an emailed (or administrator-given) link also proves the address.
    """
    _check_password(password, [user.name, user.email])
    user.password_hash = hash_password(password)
    end_sessions(user)
    if user.confirmed_at is None:
        user.confirmed_at = utcnow()
    db.session.flush()
    queue_email(
        to=user.email,
        template="password_changed",
        context={"name": user.name, "url": public_url("accounts.forgot_password")},
        language=user.language,
        dedup_key=f"password-changed:{user.id}:{user.session_version}",
        user=user,
    )


def end_sessions(user: User) -> None:
    """Sign the user out everywhere: every session and remember cookie made so far is refused.

    The cookies hold the session version (`User.get_id`); `load_user` refuses an old one.
    """
    user.session_version += 1
    db.session.flush()


def change_password(user: User, current_password: str, new_password: str) -> None:
    """Change the password after checking the current one."""
    if not verify_password(user.password_hash, current_password):
        raise ValidationError(_("The current password is wrong."), field="current_password")
    set_password(user, new_password)


def set_password_url(user: User) -> str:
    """A one-time link for a new account to choose its password (from `flask users create`)."""
    return public_url("accounts.set_password", token=_password_token(user, Purpose.SET_PASSWORD))


# --- profile and privacy -------------------------------------------------------------------------


def update_profile(
    user: User, *, name: str, title: str | None, language: str, newsletter: bool | None = None
) -> None:
    """Change what the user tells about themselves, the language they read and (when given)
    whether they want the newsletter."""
    user.name = name.strip()
    user.title = (title or "").strip() or None
    if newsletter is not None:
        set_newsletter_consent(user, newsletter)
    set_language(user, language)


def set_newsletter_consent(user: User, wanted: bool) -> None:
    """Opt in (keeping the time of the first consent while it lasts) or out."""
    if not wanted:
        user.newsletter_consent_at = None
    elif user.newsletter_consent_at is None:
        user.newsletter_consent_at = utcnow()
    db.session.flush()


def set_language(user: User, language: str) -> None:
    """The user's language: the interface and every email to them use it."""
    if language not in current_app.config["LANGUAGES"]:
        raise ValidationError(_("Choose one of the languages offered."), field="language")
    user.language = language
    db.session.flush()


def create_user(email: str, *, name: str, coordinator: bool = False) -> User:
    """An account made from the command line: no password until its owner follows the link."""
    email = normalise_email(email)
    if find_user_by_email(email) is not None:
        raise ValidationError(f"There is already an account for {email}.", field="email")
    user = User(
        email=email, name=name.strip(), is_coordinator=coordinator, language="nb", session_version=1
    )
    db.session.add(user)
    db.session.flush()
    return user


def export_user_data(user: User) -> dict[str, Any]:
    """Everything the platform holds about the user, as plain JSON-able data."""
    emails = db.session.scalars(
        db.select(OutboxMessage)
        .where(OutboxMessage.user_id == user.id)
        .options(selectinload(OutboxMessage.body))
        .order_by(OutboxMessage.created_at)
    )

    def when(value) -> str | None:
        return value.isoformat() if value else None

    return {
        "account": {
            "id": user.id,
            "email": user.email,
            "name": user.name,
            "title": user.title,
            "language": user.language,
            "digest_frequency": user.digest_frequency,
            "is_coordinator": user.is_coordinator,
            "confirmed_at": when(user.confirmed_at),
            "created_at": when(user.created_at),
            "updated_at": when(user.updated_at),
        },
        # What the domains above accounts hold (follows, memberships ...), by name: the order
        # their receivers were connected in depends on what the process did before.
        **dict(
            sorted(
                (
                    (name, section)
                    for _receiver, sections in user_data_requested.send(
                        current_app._get_current_object(), user=user
                    )
                    for name, section in sections.items()
                ),
                key=lambda pair: pair[0],
            )
        ),
        "emails": [
            {
                "subject": e.subject,
                "template": e.template,
                "status": e.status,
                "queued_at": when(e.created_at),
                "sent_at": when(e.sent_at),
                "text": e.body_text,
            }
            for e in emails
        ],
    }


def delete_user(user: User, password: str) -> None:
    """Delete the account and its personal data, after checking the password.

    Receivers of `user_deleted` keep what belongs to organisations (without the name) and
    drop what does not; memberships go with the account, and so do the unsent emails.
    """
    if not verify_password(user.password_hash, password):
        raise ValidationError(_("The password is wrong."), field="password")
    remove_account(user)


def remove_account(user: User) -> None:
    """Delete the account and its personal data, as `delete_user` does, without asking for a
    password: for accounts never confirmed (the retention run deletes them)."""
    user_deleted.send(current_app._get_current_object(), user=user)
    forget_user(user)
    db.session.delete(user)
    db.session.flush()
