"""Translated labels for stored codes (status, state, partner type ...), for templates."""

from __future__ import annotations

from collections.abc import Callable

from flask_babel import lazy_gettext as _l


def _label_of(labels: dict[str, object]) -> Callable[[str], str]:
    """A function from a stored code to its label in the reader's language (an unknown code
    is shown as it is)."""

    def label(code: str) -> str:
        return str(labels.get(code, code))

    return label


status_label = _label_of(
    {
        "idea": _l("Idea"),
        "planned": _l("Planned"),
        "ongoing": _l("Ongoing"),
        "completed": _l("Completed"),
        "stopped": _l("Stopped"),
    }
)
state_label = _label_of(
    {"draft": _l("Draft"), "published": _l("Published"), "unpublished": _l("Unpublished")}
)
partner_type_label = _label_of(
    {
        "business": _l("Business"),
        "academia": _l("Academia"),
        "ngo": _l("Voluntary organisation"),
        "citizens": _l("Citizens' group"),
        "state": _l("State agency"),
    }
)
involvement_label = _label_of(
    {
        "citizens": _l("Citizens"),
        "business": _l("Business"),
        "organisations": _l("Organisations"),
        "academia": _l("Academia"),
    }
)
language_label = _label_of({"nb": "Bokmål", "nn": "Nynorsk", "en": "English"})

TEMPLATE_GLOBALS = {
    "status_label": status_label,
    "state_label": state_label,
    "partner_type_label": partner_type_label,
    "involvement_label": involvement_label,
    "language_label": language_label,
}
