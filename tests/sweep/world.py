"""The demo content plus hostile content in every user text field, for the sweeps.

Built once per sweep module (the demo alone takes seconds) and removed after it. Text is
written straight to the models: the forms' own checks are tested elsewhere, and the pages
must survive whatever the database holds (older rows, imports, a missed check).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from baerekraft_hub.audit import record
from baerekraft_hub.content.models import Tag
from baerekraft_hub.content.services import publish, unpublish
from baerekraft_hub.core.models import utcnow
from baerekraft_hub.core.outbox.models import MailSuppression
from baerekraft_hub.extensions import db
from baerekraft_hub.follows.models import Follow
from baerekraft_hub.kpis.models import KpiValue
from baerekraft_hub.memberships.models import MembershipStatus, Role
from baerekraft_hub.organisations.models import Organisation
from baerekraft_hub.practices.models import SECTIONS, Practice
from baerekraft_hub.practices.services import PracticeData, create_practice, mark_reused
from baerekraft_hub.projects import services as projects
from baerekraft_hub.projects.models import Project
from baerekraft_hub.sdg.models import Kpi
from baerekraft_hub.transfer import demo
from tests.conftest import empty_tables
from tests.factories import make_member, make_user, organisation
from tests.hostile import MAX_BIGINT, MAX_NUMERIC, hostile_text

HOSTILE_SLUG = "sweep-fiendtlig-partner"
ROLES = ("anonymous", "member", "editor", "admin", "coordinator")


@dataclass
class World:
    projects: list[int] = field(default_factory=list)  # hostile first, then the demo's
    practices: list[int] = field(default_factory=list)
    organisations: list[str] = field(default_factory=list)  # slugs
    goals: list[int] = field(default_factory=list)
    targets: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    users: dict[str, str] = field(default_factory=dict)  # role -> session id
    hostile_user: int = 0
    newsletters: list[int] = field(default_factory=list)  # draft, sending, sent
    kpis: list[str] = field(default_factory=list)  # KPI page slugs
    kpi_values: list[int] = field(default_factory=list)  # Molde's hostile ones, then a demo one
    text: str = ""  # a hostile text that fits a query string


def _fill(obj, nul: bool, *names: str) -> None:
    """Each named text column of `obj`: hostile, cut to the column's length."""
    for name in names:
        column = type(obj).__table__.columns[name]
        setattr(obj, name, hostile_text(getattr(column.type, "length", None), nul=nul))


def build_world() -> World:
    """Load the demo and the hostile content, and commit."""
    nul = db.engine.dialect.name == "sqlite"  # PostgreSQL cannot store NUL in text
    demo.load_demo()
    world = World(text=hostile_text(200))
    molde = organisation("1506")
    hostile_org = Organisation(
        kind="partner",
        slug=HOSTILE_SLUG,
        name="x",
        official_name="x",
        website="javascript:sweep()",
    )
    _fill(hostile_org, False, "name", "official_name", "alt_names", "alt_name_languages")
    db.session.add(hostile_org)
    db.session.flush()

    users = {
        "member": make_member("1506", Role.MEMBER),
        "editor": make_member("1506", Role.EDITOR),
        "admin": make_member("1506", Role.ADMIN),
        "coordinator": make_user(coordinator=True),
    }
    applicant = make_member("1506", Role.EDITOR, status=MembershipStatus.PENDING)
    make_member(HOSTILE_SLUG, Role.ADMIN, user=applicant)
    for user in [*users.values(), applicant]:
        _fill(user, nul, "name", "title")
        user.digest_frequency = "daily"
        user.newsletter_consent_at = user.created_at
    editor = users["editor"]

    tag = hostile_text(60).strip().casefold()
    created = []
    for state in ("published", "draft", "unpublished"):
        project = projects.create_project(
            projects.ProjectData(
                title="x",
                summary="x",
                owner=molde,
                participants=[hostile_org],
                target_ids=["11.6", "13.1"],
                partners=[("x", "ngo")],
                involved=["citizens", "business", "organisations", "academia", "?"],
                budget_nok=MAX_BIGINT,
                start_date=date(1, 1, 1),
                end_date=date(9999, 12, 31),
            ),
            editor,
        )
        if state != "draft":
            publish(project, editor)
        if state == "unpublished":
            # With the hostile title this raises HeaderInjectionError (issue 10, finding 4,
            # not ours): unpublish first; the email sweep renders that email on its own.
            unpublish(project, users["coordinator"], hostile_text(nul=nul))
        _fill(project, nul, "title", "summary", "description", "funding_sources")
        _fill(project, nul, "contact_name")
        project.tags = (
            [Tag(name=tag)]
            if state == "published"
            else db.session.scalars(db.select(Tag).where(Tag.name == tag)).all()
        )
        for partner in project.partners:
            _fill(partner, nul, "name")
        update = projects.post_update(project, hostile_text(200), hostile_text(nul=nul), editor)
        _fill(update, nul, "title")
        for low, high in ((Decimal("-" + MAX_NUMERIC), Decimal(MAX_NUMERIC)), (0, 0)):
            indicator = projects.add_indicator(
                project,
                name=hostile_text(200),
                unit=hostile_text(40),
                baseline_value=Decimal(low),
                baseline_year=1,
                target_value=Decimal(high),
                target_year=9999,
            )
            projects.record_indicator_value(indicator, Decimal(MAX_NUMERIC), date.today(), editor)
        created.append(project)

    practice = create_practice(
        PracticeData(
            title="x",
            summary="x",
            owner=molde,
            target_ids=["11.6"],
            tags=[tag],
            project_ids=[created[0].id],
        ),
        editor,
    )
    _fill(practice, nul, "title", "summary", "contact_name", "unpublished_reason")
    _fill(practice, nul, *SECTIONS)
    publish(practice, editor)
    mark_reused(practice, hostile_org, editor)
    draft_practice = create_practice(PracticeData(title="x", summary="x", owner=molde), editor)
    _fill(draft_practice, nul, "title", "summary", "challenge")

    for user in [*users.values(), applicant]:
        for kind, key in (
            ("organisation", molde.id),
            ("organisation", hostile_org.id),
            ("goal", 11),
            ("target", "13.1"),
            ("project", created[0].id),
            ("practice", practice.id),
        ):
            db.session.add(Follow(user_id=user.id, kind=kind, key=str(key)))
    _console_world(users["coordinator"], applicant, molde, created[0], nul)
    world.kpi_values = _kpi_values(molde, editor, nul)
    _kpi_world(molde, created[0], nul)
    db.session.commit()

    demo_projects = db.session.scalars(
        db.select(Project.id).where(Project.external_id.startswith("demo-")).order_by(Project.id)
    ).all()
    demo_practices = db.session.scalars(
        db.select(Practice.id).where(Practice.external_id.startswith("demo-")).order_by(Practice.id)
    ).all()
    world.projects = [p.id for p in created] + list(demo_projects)
    world.practices = [practice.id, draft_practice.id, *demo_practices]
    world.organisations = [HOSTILE_SLUG, "molde", "bergen", "more-og-romsdal-fylke"]
    world.goals = [11, 13, 1, 17]
    world.targets = ["11.6", "13.1", "17.19"]
    world.tags = [tag, "demo"]
    world.users = {role: user.get_id() for role, user in users.items()}
    world.hostile_user = applicant.id
    world.newsletters = _newsletters(nul, applicant)
    world.kpis = ["ec-ict-ict-1c", "ec-ict-ict-2c", "en-en-aq-1c", "x"]
    return world


def _kpi_world(molde: Organisation, project: Project, nul: bool) -> None:
    """Molde's KPI values at the extremes (the largest float, zero, negative, a tiny start) with
    hostile comments, and the hostile project linked to the KPIs they are for."""
    kpis = db.session.scalars(db.select(Kpi).order_by(Kpi.id).limit(3)).all()
    for kpi, year, value in (
        (kpis[0], 2025, 1e-300),  # after the demo's years (2019-2024): these are the latest
        (kpis[0], 2026, 1.7976931348623157e308),
        (kpis[1], 2025, 0.0),
        (kpis[2], 2025, -5.0),
        (kpis[2], 2026, 3.0),
    ):
        kpi_value = KpiValue(organisation=molde, kpi=kpi, year=year, value=value, demo=True)
        _fill(kpi_value, nul, "source", "comment")
        db.session.add(kpi_value)
    project.kpis = list(kpis)


def _newsletters(nul: bool, recipient) -> list[int]:
    """A draft, one being sent and one sent (in the archive), hostile in every text."""
    from baerekraft_hub.core.models import utcnow
    from baerekraft_hub.newsletters.models import Newsletter, NewsletterDelivery

    letters = []
    for status in ("draft", "sending", "sent"):
        audience = {"goals": [13], "targets": [hostile_text(20)], "kinds": [hostile_text(20)]}
        letter = Newsletter(status=status, audience=audience, started_at=utcnow())
        _fill(letter, nul, "subject", "preheader", "body", "news", "utm_campaign")
        db.session.add(letter)
        db.session.flush()
        if status != "draft":
            db.session.add(NewsletterDelivery(newsletter_id=letter.id, user_id=recipient.id))
        letters.append(letter.id)
    db.session.commit()
    return letters


def _kpi_values(molde, editor, nul: bool) -> list[int]:
    """Molde's KPI values with hostile sources, comments, earlier versions and an event whose
    details are hostile; then the demo values."""
    from baerekraft_hub.activity.recorder import record_organisation_event
    from baerekraft_hub.kpis.demo import load_demo_values
    from baerekraft_hub.kpis.models import KpiValue, KpiValueVersion
    from baerekraft_hub.sdg.models import Kpi

    kpis = db.session.scalars(db.select(Kpi).order_by(Kpi.code).limit(2)).all()
    values = []
    for kpi, number in zip(kpis, (1.7976931348623157e308, -0.0), strict=True):
        value = KpiValue(
            organisation=molde,
            kpi=kpi,
            year=2024,
            value=number,
            numerator=number,
            denominator=number,
            quality="high",
            entered_by=editor,
            verified=True,
        )
        _fill(value, nul, "comment")
        value.source = hostile_text(300)
        value.versions.append(
            KpiValueVersion(
                value=number,
                quality="low",
                source=hostile_text(300),
                entered_at=utcnow(),
                entered_by=editor,
                replaced_by=editor,
            )
        )
        db.session.add(value)
        values.append(value)
    record_organisation_event(
        molde,
        "kpi_values",
        editor,
        details={"created": hostile_text(20), "years": [hostile_text(20)], "updated": 1},
    )
    load_demo_values()
    db.session.flush()
    demo_value = db.session.scalars(
        db.select(KpiValue.id).where(KpiValue.demo.is_(True)).order_by(KpiValue.id).limit(1)
    ).one()
    return [v.id for v in values] + [demo_value]


def _console_world(coordinator, applicant, molde, project, nul: bool) -> None:
    """What the coordinator's console shows: audit entries, a network contact, a featured
    project and a suppressed address, all hostile."""
    record(
        coordinator,
        hostile_text(60),
        hostile_text(40),
        hostile_text(254),
        reason=hostile_text(nul=nul),
        details={"label": hostile_text(200)},
    )
    record(coordinator, "user.deactivate", "user", applicant.id, hostile_text(2000, nul=nul))
    molde.network_member_since = date(2020, 1, 1)
    _fill(molde, False, "network_contact_name", "network_contact_email")
    project.featured_at = utcnow()
    db.session.add(MailSuppression(address=hostile_text(254), reason="hard", created_at=utcnow()))


def remove_world() -> None:
    """Empty what the tests own, as the `db` fixture does, and the hostile organisation."""
    db.session.rollback()
    empty_tables()
    db.session.execute(db.delete(Organisation).where(Organisation.slug == HOSTILE_SLUG))
    db.session.commit()
