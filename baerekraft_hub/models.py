"""Every domain's models, imported in one place so metadata (and Alembic) sees all tables."""

from baerekraft_hub.accounts.models import User
from baerekraft_hub.activity.models import ActivityEvent, EventSubject
from baerekraft_hub.audit.models import AuditEvent
from baerekraft_hub.content.models import Tag
from baerekraft_hub.core.outbox.models import OutboxBody, OutboxMessage
from baerekraft_hub.core.worker import WorkerTaskRun
from baerekraft_hub.digests.models import DigestRun
from baerekraft_hub.follows.models import Follow
from baerekraft_hub.kpis.medians import KpiMedian
from baerekraft_hub.kpis.models import KpiValue, KpiValueVersion
from baerekraft_hub.memberships.models import Membership
from baerekraft_hub.newsletters.models import Newsletter, NewsletterDelivery
from baerekraft_hub.organisations.models import Organisation
from baerekraft_hub.practices.models import Practice, PracticeAdoption
from baerekraft_hub.projects.models import (
    Project,
    ProjectPartner,
    ProjectUpdate,
    ResultIndicator,
    StatusChange,
)
from baerekraft_hub.sdg.models import Goal, Indicator, Kpi, KpiGroup, Target
from baerekraft_hub.search.models import SearchIndexChange

__all__ = [
    "ActivityEvent",
    "AuditEvent",
    "DigestRun",
    "EventSubject",
    "Follow",
    "Goal",
    "Indicator",
    "Kpi",
    "KpiGroup",
    "KpiMedian",
    "KpiValue",
    "KpiValueVersion",
    "Membership",
    "Newsletter",
    "NewsletterDelivery",
    "Organisation",
    "OutboxBody",
    "OutboxMessage",
    "Practice",
    "PracticeAdoption",
    "Project",
    "ProjectPartner",
    "ProjectUpdate",
    "ResultIndicator",
    "SearchIndexChange",
    "WorkerTaskRun",
    "StatusChange",
    "Tag",
    "Target",
    "User",
]
