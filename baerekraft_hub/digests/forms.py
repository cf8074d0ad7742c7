"""The digest choice."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import RadioField

from baerekraft_hub.core.forms import BaseForm
from baerekraft_hub.digests.models import Frequency


class DigestForm(BaseForm):
    frequency = RadioField(
        _l("How often do you want a digest of what is new?"),
        choices=[
            (Frequency.WEEKLY.value, _l("Weekly, on Monday morning")),
            (Frequency.DAILY.value, _l("Daily, in the morning")),
            (Frequency.NONE.value, _l("Never")),
        ],
        validate_choice=False,  # checked by the service, with our own message
    )
