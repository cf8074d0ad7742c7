"""Organisations: municipalities, county municipalities and partners."""

from __future__ import annotations

from datetime import date
from enum import StrEnum

from sqlalchemy import Date, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from baerekraft_hub.core.models import TimestampMixin
from baerekraft_hub.extensions import db


class OrgKind(StrEnum):
    MUNICIPALITY = "municipality"
    COUNTY = "county"
    PARTNER = "partner"


class Organisation(TimestampMixin, db.Model):
    __tablename__ = "organisation"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(20), index=True)
    # Official number: four digits for a municipality ("1506"), two for a county ("15").
    number: Mapped[str | None] = mapped_column(String(4), unique=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    official_name: Mapped[str] = mapped_column(String(200))
    alt_names: Mapped[str | None] = mapped_column(String(200))  # Sami/Kven names
    alt_name_languages: Mapped[str | None] = mapped_column(String(40))
    county_id: Mapped[int | None] = mapped_column(ForeignKey("organisation.id"), index=True)
    population: Mapped[int | None]
    population_date: Mapped[date | None] = mapped_column(Date)
    number_before_2024: Mapped[str | None] = mapped_column(String(4))
    website: Mapped[str | None] = mapped_column(String(200))
    # Member of Bærekraftsnettverket since this day; None: not a member.
    network_member_since: Mapped[date | None] = mapped_column(Date)
    # The organisation's contact person for the network (name and email, as given).
    network_contact_name: Mapped[str | None] = mapped_column(String(120))
    network_contact_email: Mapped[str | None] = mapped_column(String(254))

    county: Mapped[Organisation | None] = relationship(
        remote_side="Organisation.id", back_populates="municipalities"
    )
    municipalities: Mapped[list[Organisation]] = relationship(
        back_populates="county", order_by="Organisation.name"
    )

    @property
    def is_municipality(self) -> bool:
        return self.kind == OrgKind.MUNICIPALITY

    @property
    def is_county(self) -> bool:
        return self.kind == OrgKind.COUNTY

    @property
    def is_partner(self) -> bool:
        return self.kind == OrgKind.PARTNER

    @property
    def is_network_member(self) -> bool:
        return self.network_member_since is not None

    @property
    def alt_name_list(self) -> list[tuple[str, str | None]]:
        """Official Sami/Kven names with their ISO 639-3 language code where known."""
        if not self.alt_names:
            return []
        names = [n.strip() for n in self.alt_names.split(";")]
        langs = [c.strip() for c in (self.alt_name_languages or "").split(";")]
        return [
            (name, langs[i] if i < len(langs) and langs[i] else None)
            for i, name in enumerate(names)
        ]

    def __repr__(self) -> str:
        return f"<Organisation {self.slug}>"
