"""Translated labels for stored codes (status, state, partner type ...), for templates."""

from __future__ import annotations

from collections.abc import Callable

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from baerekraft_hub.core.i18n import current_language


def _label_of(labels: dict[str, object]) -> Callable[[str], str]:
    """A function from a stored code to its label in the reader's language (an unknown code
    is shown as it is)."""

    def label(code: str) -> str:
        return str(labels.get(code, code))

    return label


STATUSES = {
    "idea": _l("Idea"),
    "planned": _l("Planned"),
    "ongoing": _l("Ongoing"),
    "completed": _l("Completed"),
    "stopped": _l("Stopped"),
}
status_label = _label_of(STATUSES)
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

_card_words: dict[str, dict] = {}


def card_words() -> dict:
    """The words every list card shows, in the reader's language: translated once per
    process and language, where twenty cards asked for the same three words sixty times."""
    language = current_language()
    words = _card_words.get(language)
    if words is None:
        words = _card_words[language] = {
            "goal": _("Goal"),
            "goals": _("Goals"),
            "good_practice": _("Good practice"),
            "status": {code: str(label) for code, label in STATUSES.items()},
        }
    return words


TEMPLATE_GLOBALS = {
    "card_words": card_words,
    "status_label": status_label,
    "state_label": state_label,
    "partner_type_label": partner_type_label,
    "involvement_label": involvement_label,
    "language_label": language_label,
}
