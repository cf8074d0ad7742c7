"""From projects, practices and organisations to search documents, and what the index holds.

The engine knows only `SearchDocument`s; this is the one place that knows our models. A
document is built only for published content: the applier and `reindex` remove the rest.
Every organisation (municipality, county, partner) is a document of its own, so `Molde` or
`KS` finds the organisation itself; a project's document carries its updates and the names of
its result indicators.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import datetime

from sqlalchemy import Select
from sqlalchemy.orm import Session, selectinload

from baerekraft_hub.content.models import PublicationState
from baerekraft_hub.core.urls import site_path
from baerekraft_hub.extensions import db
from baerekraft_hub.follows.kinds import followable_of
from baerekraft_hub.organisations.models import Organisation, OrgKind
from baerekraft_hub.practices.models import SECTIONS, Practice
from baerekraft_hub.projects.models import Project
from baerekraft_hub.sdg.models import Target
from baerekraft_hub.search.engine import SearchDocument

MODELS: dict[str, type[Project] | type[Practice]] = {"project": Project, "practice": Practice}
ORGANISATION = "organisation"
KINDS = (*MODELS, ORGANISATION)
BATCH = 500  # items loaded per query when building many documents
# Indexed with an organisation's name, so `kommune` or `fylke` finds the kind of organisation.
_ORG_KIND_WORDS = {OrgKind.MUNICIPALITY: "kommune", OrgKind.COUNTY: "fylke"}


def _load(kind: str) -> tuple:
    """What a document needs loaded with the item (a function: options configure mappers)."""
    if kind == "project":
        return (
            selectinload(Project.owner).selectinload(Organisation.county),
            selectinload(Project.participants).selectinload(Organisation.county),
            selectinload(Project.targets).selectinload(Target.goal),
            selectinload(Project.goals),
            selectinload(Project.tags),
            selectinload(Project.partners),
            selectinload(Project.updates),
            selectinload(Project.indicators),
        )
    return (
        selectinload(Practice.owner).selectinload(Organisation.county),
        selectinload(Practice.targets).selectinload(Target.goal),
        selectinload(Practice.goals),
        selectinload(Practice.tags),
    )


def kind_of(item: Project | Practice) -> str:
    """The search kind of a content item."""
    return "project" if isinstance(item, Project) else "practice"


def _places(organisations: Iterable[Organisation]) -> tuple[list[str], list[str]]:
    """Municipality and county names of the organisations (partners have none)."""
    places: dict[str, None] = {}
    counties: dict[str, None] = {}
    for org in organisations:
        if org.kind == OrgKind.COUNTY:
            places.setdefault(org.name)
            counties.setdefault(org.name)
        elif org.kind == OrgKind.MUNICIPALITY:
            places.setdefault(org.name)
            if org.county is not None:
                places.setdefault(org.county.name)
                counties.setdefault(org.county.name)
    return list(places), list(counties)


def document_for(item: Project | Practice) -> SearchDocument:
    """The search document of a published project or practice (works outside a request)."""
    kind = kind_of(item)
    url = followable_of(item).url(item, build=site_path)
    if isinstance(item, Project):
        organisations = item.organisations
        body_parts = [item.description or ""]
        body_parts += [p.name for p in item.partners]
        body_parts += [f"{u.title}\n\n{u.body}" for u in item.updates]
        body_parts += [indicator.name for indicator in item.indicators]
        status = item.status
        start_year = item.start_date.year if item.start_date else None
    else:
        organisations = [item.owner]
        body_parts = [getattr(item, name) or "" for name in SECTIONS]
        status, start_year = None, None
    places, counties = _places(organisations)
    return SearchDocument(
        kind=kind,
        id=item.id,
        title=item.title,
        summary=item.summary,
        body="\n\n".join(part for part in body_parts if part),
        language=item.language,
        organisation=item.owner.name,
        organisation_slug=item.owner.slug,
        places=places,
        counties=counties,
        sdg_goals=[g.number for g in item.all_goals],
        sdg_targets=[t.id for t in item.targets],
        status=status,
        start_year=start_year,
        tags=[t.name for t in item.tags],
        url=url,
        updated_at=item.updated_at,
    )


def organisation_document(org: Organisation) -> SearchDocument:
    """The search document of an organisation: its names and kind; its county is a facet only.

    A municipality's text leaves out its county's name, so `Vestland` finds the county and the
    content of its municipalities rather than 43 municipalities.
    """
    _, counties = _places([org])
    places = [org.name]
    if org.alt_names:
        places += [name.strip() for name in org.alt_names.split(",") if name.strip()]
    kind_word = _ORG_KIND_WORDS.get(OrgKind(org.kind))
    return SearchDocument(
        kind=ORGANISATION,
        id=org.id,
        title=org.name,
        summary=org.official_name if org.official_name != org.name else "",
        language="nb",
        organisation=org.official_name,
        organisation_slug=org.slug,
        places=places,
        counties=counties,
        tags=[kind_word] if kind_word else [],
        url=site_path("pages.organisation", slug=org.slug),
        updated_at=org.updated_at,
    )


def _published(model: type[Project] | type[Practice]) -> Select:
    return db.select(model).where(model.state == PublicationState.PUBLISHED.value)


def _organisations() -> Select:
    return db.select(Organisation).options(selectinload(Organisation.county))


def load_published(session: Session, kind: str, ids: Iterable[int]) -> dict[int, object]:
    """The published items of a kind among `ids`, with what their documents need."""
    ids = list(ids)
    found: dict[int, object] = {}
    for start in range(0, len(ids), BATCH):
        chunk = ids[start : start + BATCH]
        if kind == ORGANISATION:
            query = _organisations().where(Organisation.id.in_(chunk))
        else:
            model = MODELS[kind]
            query = _published(model).where(model.id.in_(chunk)).options(*_load(kind))
        found.update({row.id: row for row in session.scalars(query)})
    return found


def build_document(item) -> SearchDocument:
    """The document of a loaded item of any kind."""
    return organisation_document(item) if isinstance(item, Organisation) else document_for(item)


def all_documents(session: Session) -> Iterator[SearchDocument]:
    """Every published item's document, loaded in batches (for `reindex`)."""
    yield from _all_content(session)
    for org in session.scalars(_organisations().order_by(Organisation.id)):
        yield organisation_document(org)


def _all_content(session: Session) -> Iterator[SearchDocument]:
    for kind, model in MODELS.items():
        last = 0
        while True:
            rows = list(
                session.scalars(
                    _published(model)
                    .where(model.id > last)
                    .order_by(model.id)
                    .limit(BATCH)
                    .options(*_load(kind))
                )
            )
            if not rows:
                break
            for row in rows:
                yield document_for(row)
            last = rows[-1].id
            session.expunge_all()  # keep memory flat over 10,000 items


def published_count(session: Session) -> int:
    """How many documents a rebuild writes (for its progress)."""
    organisations = session.scalar(db.select(db.func.count(Organisation.id)))
    return organisations + sum(
        session.scalar(db.select(db.func.count()).select_from(_published(model).subquery()))
        for model in MODELS.values()
    )


def expected_versions(session: Session) -> dict[tuple[str, int], datetime]:
    """What the index should hold: (kind, id) of each published item and its updated_at."""
    expected: dict[tuple[str, int], datetime] = {}
    for kind, model in MODELS.items():
        query = db.select(model.id, model.updated_at).where(
            model.state == PublicationState.PUBLISHED.value
        )
        for item_id, updated_at in session.execute(query):
            expected[(kind, item_id)] = updated_at
    for org_id, updated_at in session.execute(db.select(Organisation.id, Organisation.updated_at)):
        expected[(ORGANISATION, org_id)] = updated_at
    return expected
