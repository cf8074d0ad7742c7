"""The forms of KPI values: one value by hand, a file to upload, its preview to save."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField
from wtforms import BooleanField, HiddenField, SelectField, StringField, TextAreaField
from wtforms.validators import Length

from baerekraft_hub.core.forms import BaseForm
from baerekraft_hub.kpis.models import Quality

QUALITY_CHOICES = [
    (Quality.HIGH.value, _l("High (official statistics)")),
    (Quality.MEDIUM.value, _l("Medium")),
    (Quality.LOW.value, _l("Low (estimate)")),
]
MAX_UPLOAD_BYTES = 5 * 1024 * 1024


class ValueForm(BaseForm):
    """One value; the numbers are text, checked by `table.check_row` like an imported row
    (so "12,5" works here as in a file)."""

    kpi = SelectField(_l("Indicator (U4SSC KPI)"), choices=[])
    year = StringField(_l("Year"), render_kw={"inputmode": "numeric"})
    value = StringField(
        _l("Value"),
        description=_l("Decimal comma or point: 12,5"),
        render_kw={"inputmode": "decimal"},
    )
    numerator = StringField(_l("Numerator"), render_kw={"inputmode": "decimal"})
    denominator = StringField(_l("Denominator"), render_kw={"inputmode": "decimal"})
    quality = SelectField(_l("Data quality"), choices=QUALITY_CHOICES, default=Quality.MEDIUM.value)
    source = StringField(_l("Source"), validators=[Length(max=300)])
    verified = BooleanField(_l("Verified (U4SSC verification)"))
    comment = TextAreaField(_l("Comment"), validators=[Length(max=2000)])

    def cells(self) -> dict[str, str]:
        """The form as a table row."""
        return {
            "kpi": self.kpi.data or "",
            "year": self.year.data or "",
            "value": self.value.data or "",
            "numerator": self.numerator.data or "",
            "denominator": self.denominator.data or "",
            "quality": self.quality.data or "",
            "source": self.source.data or "",
            "verified": "yes" if self.verified.data else "no",
            "comment": self.comment.data or "",
        }


class UploadForm(BaseForm):
    file = FileField(
        _l("CSV or JSON-stat file"),
        description=_l(
            "Columns: organisation, kpi, year, value, and optionally numerator, denominator, "
            "unit, quality, source, verified, comment. Separated by ; or ,."
        ),
    )


class SaveUploadForm(BaseForm):
    """The previewed file, signed, so that saving stores exactly what was previewed."""

    content = HiddenField()
