"""Translated labels for stored codes (status, state, partner type ...), for templates."""

from __future__ import annotations

from flask_babel import gettext as _


def status_label(code: str) -> str:
    return {
        "idea": _("Idea"),
        "planned": _("Planned"),
        "ongoing": _("Ongoing"),
        "completed": _("Completed"),
        "stopped": _("Stopped"),
    }.get(code, code)


def state_label(code: str) -> str:
    return {
        "draft": _("Draft"),
        "published": _("Published"),
        "unpublished": _("Unpublished"),
    }.get(code, code)


def partner_type_label(code: str) -> str:
    return {
        "business": _("Business"),
        "academia": _("Academia"),
        "ngo": _("Voluntary organisation"),
        "citizens": _("Citizens' group"),
        "state": _("State agency"),
    }.get(code, code)


def involvement_label(code: str) -> str:
    return {
        "citizens": _("Citizens"),
        "business": _("Business"),
        "organisations": _("Organisations"),
        "academia": _("Academia"),
    }.get(code, code)


def language_label(code: str) -> str:
    return {"nb": "Bokmål", "nn": "Nynorsk", "en": "English"}.get(code, code)


TEMPLATE_GLOBALS = {
    "status_label": status_label,
    "state_label": state_label,
    "partner_type_label": partner_type_label,
    "involvement_label": involvement_label,
    "language_label": language_label,
}
