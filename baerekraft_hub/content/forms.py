"""Forms the project and practice pages share."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import TextAreaField
from wtforms.validators import Length, Optional

from baerekraft_hub.core.forms import BaseForm


class UnpublishForm(BaseForm):
    reason = TextAreaField(
        _l("Reason"),
        description=_l("Sent to the owner organisation."),
        validators=[Optional(), Length(max=2000)],
    )
