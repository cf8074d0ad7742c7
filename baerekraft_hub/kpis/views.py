"""KPI value pages of an organisation: list, enter by form, upload with preview."""

from __future__ import annotations

from baerekraft_hub.kpis import bp  # noqa: F401
