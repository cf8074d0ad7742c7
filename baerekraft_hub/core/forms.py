"""Small helpers every form view uses."""

from __future__ import annotations

from flask import render_template

from baerekraft_hub.core.errors import ValidationError


def show_error(form, error: ValidationError) -> None:
    """Put a domain error next to its field, or above the form."""
    field = getattr(form, error.field, None) if error.field else None
    if field is not None:
        field.errors = [*field.errors, error.message]
    else:
        form.form_errors.append(error.message)


def render_form(template: str, form, **context):
    """The page with its form; 422 when the form came back with errors."""
    return render_template(template, form=form, **context), 422 if form.errors else 200
