"""What the organisations domain does: load the registers, list, filter and find."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date

from sqlalchemy.orm import joinedload

from baerekraft_hub.core.pagecache import per_generation
from baerekraft_hub.core.reference import Upserter, blank_to_none, read_csv
from baerekraft_hub.core.text import norwegian_sort_key
from baerekraft_hub.extensions import db
from baerekraft_hub.organisations.models import Organisation, OrgKind


def slugify(text: str) -> str:
    """ASCII slug for URLs: 'Møre og Romsdal' -> 'more-og-romsdal'."""
    text = text.casefold().replace("æ", "ae").replace("ø", "o").replace("å", "a")
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-")


def _date(value: str) -> date | None:
    return date.fromisoformat(value) if value else None


def load_reference(upsert: Upserter) -> dict[str, int]:
    """Load counties, municipalities and partners from the shipped CSV files."""
    counties: dict[str, Organisation] = {}
    for row in read_csv("counties.csv"):
        counties[row["number"]] = upsert.apply(
            Organisation,
            {"number": row["number"]},
            {
                "kind": OrgKind.COUNTY.value,
                # Oslo is both a county and a municipality; the county keeps its own slug.
                "slug": slugify(row["name"]) + "-fylke",
                "name": row["name"],
                "official_name": row["official_name"],
                "alt_names": blank_to_none(row["alt_names"]),
                "alt_name_languages": None,
                "population": int(row["population"]),
                "population_date": _date(row["population_date"]),
            },
        )
    db.session.flush()
    rows = list(read_csv("municipalities.csv"))
    names = [r["name"] for r in rows]
    for row in rows:
        slug = slugify(row["name"])
        if names.count(row["name"]) > 1:  # Herøy and Våler exist twice: add the county
            slug = f"{slug}-{slugify(row['county_name'])}"
        upsert.apply(
            Organisation,
            {"number": row["number"]},
            {
                "kind": OrgKind.MUNICIPALITY.value,
                "slug": slug,
                "name": row["name"],
                "official_name": row["official_name"],
                "alt_names": blank_to_none(row["alt_names"]),
                "alt_name_languages": blank_to_none(row["alt_name_languages"]),
                "county_id": counties[row["county_number"]].id,
                "population": int(row["population"]),
                "population_date": _date(row["population_date"]),
                "number_before_2024": blank_to_none(row["number_before_2024"]),
            },
        )
    for row in read_csv("partners.csv"):
        upsert.apply(
            Organisation,
            {"slug": row["slug"]},
            {
                "kind": OrgKind.PARTNER.value,
                "name": row["name"],
                "official_name": row["official_name"],
                "website": blank_to_none(row["website"]),
            },
        )
    db.session.flush()

    def count(kind: OrgKind) -> int:
        query = db.select(db.func.count()).where(Organisation.kind == kind.value)
        return db.session.scalar(query.select_from(Organisation))

    return {
        "municipalities": count(OrgKind.MUNICIPALITY),
        "counties": count(OrgKind.COUNTY),
        "partners": count(OrgKind.PARTNER),
    }


def county_names() -> dict[str, str]:
    """Each county's name by its official number ("15": "Møre og Romsdal")."""
    counties = db.select(Organisation.number, Organisation.name).where(
        Organisation.kind == OrgKind.COUNTY.value
    )
    return {number: name for number, name in db.session.execute(counties) if number}


@dataclass(frozen=True, slots=True)
class Listed:
    """An organisation as the municipality list shows it (plain values, kept per process)."""

    number: str | None
    slug: str
    name: str
    official_name: str
    is_network_member: bool
    sort_key: str


@dataclass
class CountyGroup:
    county: Listed
    municipalities: list[Listed]


@dataclass(frozen=True)
class Directory:
    """The counties in number order, each with its municipalities in Norwegian alphabetical
    order, and the partners in alphabetical order."""

    groups: tuple[CountyGroup, ...]
    partners: tuple[Listed, ...]


@per_generation
def directory() -> Directory:
    """Every county, municipality and partner (about 400 rows, one query): they change with
    `flask seed reference` and network membership only, so the list reads them once per
    content generation rather than on every visit (and sorts them once)."""
    o = Organisation
    rows = db.session.execute(
        db.select(
            o.id, o.kind, o.county_id, o.number, o.slug, o.name, o.official_name,
            o.network_member_since,
        ).order_by(o.number, o.name)
    )  # fmt: skip
    counties: dict[int, CountyGroup] = {}
    municipalities, partners = [], []
    for id_, kind, county_id, number, slug, name, official_name, member_since in rows:
        listed = Listed(
            number, slug, name, official_name, member_since is not None, norwegian_sort_key(name)
        )
        if kind == OrgKind.COUNTY.value:
            counties[id_] = CountyGroup(listed, [])
        elif kind == OrgKind.MUNICIPALITY.value:
            municipalities.append((county_id, listed))
        else:
            partners.append(listed)
    for county_id, listed in sorted(municipalities, key=lambda m: (m[1].sort_key, m[1].name)):
        if county_id in counties:
            counties[county_id].municipalities.append(listed)
    return Directory(tuple(counties.values()), tuple(sorted(partners, key=lambda p: p.name)))


def matches(org: Organisation | Listed, needle: str) -> bool:
    """Name filter: any of the official names, or the number, contains the typed text."""
    needle = norwegian_sort_key(needle.strip())
    haystack = norwegian_sort_key(f"{org.official_name} {org.name} {org.number or ''}")
    return needle in haystack


def municipalities_by_county(
    query: str = "", county: str | None = None, members_only: bool = False
) -> list[CountyGroup]:
    """Counties in number order, each with its municipalities in Norwegian alphabetical order.

    With a query, only matching municipalities are kept, and a county whose own name matches
    keeps all of its municipalities. `county` (its number, "15") keeps only that county;
    `members_only` keeps only members of the network.
    """
    groups = []
    for group in directory().groups:
        if county and group.county.number != county:
            continue
        members = group.municipalities
        if members_only:
            members = [m for m in members if m.is_network_member]
        if query and not matches(group.county, query):
            members = [m for m in members if matches(m, query)]
        if not members and (query or members_only):
            continue
        groups.append(CountyGroup(group.county, list(members)))
    return groups


def counties() -> list[Listed]:
    """The counties in number order (for filters)."""
    return [group.county for group in directory().groups]


def set_network_member(organisation: Organisation, since: date | None) -> None:
    """Mark the organisation a member of the network since `since`, or (None) not a member."""
    organisation.network_member_since = since
    db.session.flush()


def organisation_label(organisation: Organisation) -> str:
    """The name with what tells namesakes apart: "Herøy (Møre og Romsdal)", "Vestland (county)"."""
    from flask_babel import gettext as _

    if organisation.is_county:
        return _("%(name)s (county)", name=organisation.name)
    if organisation.county is not None:
        return f"{organisation.name} ({organisation.county.name})"
    return organisation.name


MAX_FOUND = 12


def find_organisations(query: str, limit: int = MAX_FOUND) -> list[Organisation]:
    """Municipalities, counties and partners whose name or number contains `query`, best first:
    names that start with it before names that only contain it, then alphabetically."""
    needle = norwegian_sort_key(query.strip())
    if not needle:
        return []
    found = [o for o in db.session.scalars(db.select(Organisation)) if matches(o, query)]
    keys = {o.id: norwegian_sort_key(o.name) for o in found}
    found.sort(key=lambda o: (not keys[o.id].startswith(needle), keys[o.id]))
    return found[:limit]


def partners() -> list[Listed]:
    """Partner organisations in alphabetical order."""
    return list(directory().partners)


def get_by_slug(slug: str) -> Organisation | None:
    """An organisation by its URL slug, with its county (a county's municipalities load when
    asked for: a municipality has none)."""
    return db.session.scalars(
        db.select(Organisation)
        .where(Organisation.slug == slug)
        .options(joinedload(Organisation.county))
    ).one_or_none()


def get_by_reference(reference: str) -> Organisation | None:
    """An organisation by official number ('1506', '46') or partner slug ('ks')."""
    column = Organisation.number if reference.isdigit() else Organisation.slug
    return db.session.scalars(db.select(Organisation).where(column == reference)).one_or_none()
