"""Organisations as the KPI pages name them (slug, name, population), kept per process until
the next commit like the KPI definitions: a ranking names up to 357 municipalities, and
joining the organisation table for their names cost more than reading the values."""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from markupsafe import escape

from baerekraft_hub.core.pagecache import per_generation
from baerekraft_hub.extensions import db
from baerekraft_hub.organisations.models import Organisation, OrgKind


@dataclass(frozen=True, slots=True)
class Place:
    id: int
    slug: str
    name: str
    population: int | None
    municipality: bool
    option: tuple[str, str]  # an <option>'s escaped head and tail: "selected" goes between


@dataclass(frozen=True)
class Places:
    by_id: dict[int, Place]
    by_slug: dict[str, Place]
    by_name: tuple[Place, ...]  # every organisation by name (then slug: two Vålers)


@per_generation
def places() -> Places:
    """Every organisation (one query, once per content generation)."""
    found = [
        Place(
            id,
            slug,
            name,
            population,
            kind == OrgKind.MUNICIPALITY.value,
            (f'<option value="{escape(slug)}"', f">{escape(name)}</option>"),
        )
        for id, slug, name, population, kind in db.session.execute(
            sa.select(
                Organisation.id,
                Organisation.slug,
                Organisation.name,
                Organisation.population,
                Organisation.kind,
            )
        )
    ]
    return Places(
        by_id={p.id: p for p in found},
        by_slug={p.slug: p for p in found},
        by_name=tuple(sorted(found, key=lambda p: (p.name, p.slug))),
    )
