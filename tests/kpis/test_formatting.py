"""KPI pages format numbers as Babel's `|number` does, for the figures they show."""

from __future__ import annotations

from decimal import Decimal

import pytest
from babel.numbers import format_decimal

from baerekraft_hub.kpis.formatting import number_formatter


@pytest.mark.parametrize("language", ["nb", "nn", "en"])
@pytest.mark.parametrize(
    "value", [0, 1, 12.5, 1234.5, 1234567.25, -5, -0.5, 0.001, 99.999, 1e9, 291940, 10.125]
)
def test_same_text_as_babel(language, value):
    assert number_formatter(language)(value) == format_decimal(Decimal(str(value)), locale=language)


def test_digits_none_and_infinity():
    nb = number_formatter("nb")
    assert nb(52.3456, 2) == "52,35"
    assert nb(None) == ""
    assert nb(float("inf")) == "∞"
    assert nb(-0.0001) == "0"  # no minus before a zero
