"""What `/sitemap.xml` lists: every public page, in a fixed number of queries."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from urllib.parse import urlsplit

from flask import current_app

from baerekraft_hub.content.models import PublicationState
from baerekraft_hub.extensions import db
from baerekraft_hub.organisations.models import Organisation
from baerekraft_hub.practices.models import Practice
from baerekraft_hub.projects.models import Project
from baerekraft_hub.sdg.models import Goal, Target

# Pages without a database row behind them.
FIXED_PAGES = (
    "pages.home",
    "pages.about",
    "pages.accessibility",
    "pages.privacy",
    "projects.index",
    "practices.index",
    "sdg.overview",
    "organisations.index",
    "newsletters.archive",
)


@dataclass(frozen=True)
class Entry:
    url: str
    lastmod: date | None = None


def sitemap_entries() -> Iterator[Entry]:
    """Absolute URLs on PUBLIC_URL (never the request's host): five queries, however many rows."""
    base = urlsplit(current_app.config["PUBLIC_URL"])
    adapter = current_app.url_map.bind(
        base.netloc, script_name=base.path or "/", url_scheme=base.scheme or "https"
    )

    def url(endpoint: str, **values) -> str:
        return adapter.build(endpoint, values, force_external=True)

    for endpoint in FIXED_PAGES:
        yield Entry(url(endpoint))
    for number in db.session.scalars(db.select(Goal.number).order_by(Goal.number)):
        yield Entry(url("pages.goal", number=number))
    for target_id in db.session.scalars(db.select(Target.id).order_by(Target.id)):
        yield Entry(url("pages.target", target_id=target_id))
    for slug in db.session.scalars(db.select(Organisation.slug).order_by(Organisation.slug)):
        yield Entry(url("pages.organisation", slug=slug))
    for model, endpoint, key in (
        (Project, "projects.show", "project_id"),
        (Practice, "practices.show", "practice_id"),
    ):
        rows = db.session.execute(
            db.select(model.id, model.updated_at)
            .where(model.state == PublicationState.PUBLISHED.value)
            .order_by(model.id)
        )
        for item_id, updated_at in rows:
            yield Entry(url(endpoint, **{key: item_id}), updated_at.date() if updated_at else None)
