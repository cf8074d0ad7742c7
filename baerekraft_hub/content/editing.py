"""Between the project and practice forms and the services: what both kinds fill and read alike.

Also the list filters, read from a query string the same way for both lists.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, TypeVar

from baerekraft_hub.content.queries import ContentFilters
from baerekraft_hub.content.services import split_tags
from baerekraft_hub.core.pagination import page_number
from baerekraft_hub.core.text import norwegian_sort_key
from baerekraft_hub.extensions import db
from baerekraft_hub.memberships import policy
from baerekraft_hub.organisations.models import Organisation
from baerekraft_hub.organisations.services import organisation_label
from baerekraft_hub.sdg.models import Goal, Target

F = TypeVar("F", bound=ContentFilters)


def all_organisations() -> list[Organisation]:
    """Every organisation, in Norwegian alphabetical order."""
    organisations = db.session.scalars(db.select(Organisation)).all()
    return sorted(organisations, key=lambda o: norwegian_sort_key(o.name))


def organisation_choices(organisations: Iterable[Organisation]) -> list[tuple[int, str]]:
    return [(o.id, organisation_label(o)) for o in organisations]


def prepare_common_choices(form, user, item=None) -> list[Organisation]:
    """Owner, target and goal choices shared by the project and practice forms.

    Owners are the organisations the user may create content for (all, for the coordinator),
    plus the current owner when editing. Returns every organisation, sorted.
    """
    organisations = all_organisations()
    if policy.is_coordinator(user):
        owners = organisations
    else:
        owners = list(policy.editable_organisations(user))
        if item is not None and item.owner not in owners:
            owners.append(item.owner)
    form.owner.choices = organisation_choices(owners)
    targets = db.session.scalars(db.select(Target).order_by(Target.goal_number, Target.position))
    form.targets.choices = [(t.id, f"{t.id} {t.text}") for t in targets]
    goals = db.session.scalars(db.select(Goal).order_by(Goal.number))
    form.goals.choices = [(g.number, f"{g.number} {g.short_title}") for g in goals]
    return organisations


COMMON_VALUES = ("title", "summary", "language", "contact_name", "contact_email", "version")


def fill_common(form, item, names: Iterable[str] = ()) -> None:
    """Put the stored values both kinds have, and the kind's own `names`, into the form."""
    for name in (*COMMON_VALUES, *names):
        getattr(form, name).data = getattr(item, name)
    form.owner.data = item.owner_id
    form.targets.data = [t.id for t in item.targets]
    form.goals.data = [g.number for g in item.goals]
    form.tags.data = ", ".join(t.name for t in item.tags)


def common_data(form) -> dict[str, Any]:
    """The validated values both kinds have, as keyword arguments for ProjectData/PracticeData."""
    return {
        "title": form.title.data,
        "summary": form.summary.data,
        "owner": db.session.get(Organisation, form.owner.data),
        "language": form.language.data,
        "contact_name": form.contact_name.data or "",
        "contact_email": form.contact_email.data or "",
        "target_ids": form.targets.data or [],
        "goal_numbers": form.goals.data or [],
        "tags": split_tags(form.tags.data or ""),
    }


def int_between(value: str | None, low: int, high: int) -> int | None:
    """The number in a query-string value if it lies in low..high, else None."""
    try:
        number = int(value or "")
    except ValueError:
        return None
    return number if low <= number <= high else None


def read_filters(args, filters_class: type[F] = ContentFilters, **own) -> F:
    """The shared list filters from a query string, plus the kind's own (`own`, read by the
    caller); anything malformed is ignored, never a 500."""
    return filters_class(
        goal=int_between(args.get("goal"), 1, 17),
        target=(args.get("target") or "")[:8] or None,
        county=(args.get("county") or "")[:2] or None,
        municipality=(args.get("municipality") or "")[:4] or None,
        tag=(args.get("tag") or "")[:60] or None,
        page=page_number(args),
        **own,
    )


@dataclass
class TargetGroup:
    goal: Goal
    options: list
    chosen: int


def target_groups(form) -> list[TargetGroup]:
    """The target checkboxes grouped by goal, with how many are ticked in each."""
    goals = {g.number: g for g in db.session.scalars(db.select(Goal))}
    groups: dict[int, TargetGroup] = {}
    for option in form.targets:
        number = int(str(option.data).split(".", 1)[0])
        group = groups.setdefault(number, TargetGroup(goals[number], [], 0))
        group.options.append(option)
        group.chosen += bool(option.checked)
    return [groups[n] for n in sorted(groups)]
