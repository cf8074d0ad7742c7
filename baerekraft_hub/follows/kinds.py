"""The kinds of thing one can follow, in one table: for each its model, how its key is
written, its name in the reader's language, its page and who may see it.

Follows, activity, digests and search ask this table instead of each asking "which kind is
it?" in their own way: a new kind of followable thing is one more entry here.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from flask import url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import joinedload

# Projects before practices: Practice's mapper names Project, and practices.queries builds
# loader options (which configure every mapper) as it is imported.
from baerekraft_hub.projects.models import Project  # isort: split

from baerekraft_hub.content.queries import Kind
from baerekraft_hub.content.visibility import can_see, visible_to
from baerekraft_hub.core.i18n import rendering_in
from baerekraft_hub.extensions import db
from baerekraft_hub.follows.models import FollowKind
from baerekraft_hub.organisations.models import Organisation
from baerekraft_hub.practices.models import Practice
from baerekraft_hub.practices.queries import PRACTICES
from baerekraft_hub.projects.queries import PROJECTS
from baerekraft_hub.sdg.models import Goal, Target
from baerekraft_hub.sdg.services import GoalInfo, TargetInfo, all_goal_texts, get_goal

UrlBuilder = Callable[..., str]  # url_for, or core.urls.public_url / site_path outside requests


@dataclass(frozen=True, slots=True)
class Reason:
    """A followed thing that made something reach a person: "because you follow <name>".

    The feed links it; a digest shows it as a group heading (`because`, rendered once per
    language and run) and names it beside the item's other reasons.
    """

    kind: FollowKind
    key: str
    name: str
    url: str
    because: str = ""

    @property
    def rank(self) -> int:
        return self.kind.rank


@dataclass(frozen=True)
class Followable:
    """One kind of followable thing."""

    kind: FollowKind
    model: type
    key_attribute: str  # the column a follow's key holds, as text
    endpoint: str  # the thing's own page
    url_args: Callable[[Any], dict[str, Any]]
    label: Callable[[Any], str]  # its name, in the current language
    plural: str  # names its section on "Your follows"
    heading: Any  # that section's heading (lazily translated)
    numeric: bool = True  # keys are whole numbers (targets: '13.1')
    content: Kind | None = None  # projects and practices: drafts are seen by few
    # Loader options for what "Your follows" shows (a function: building options configures
    # the mappers, which must wait until every model is imported).
    listing: Callable[[], tuple] = tuple
    order_by: tuple = ()
    meta: Callable[[Any], Any] = lambda obj: None  # shown beside the name on "Your follows"
    language: Callable[[Any], str | None] = lambda obj: None  # what its title is written in
    order: Callable[[Any], str] | None = None  # things of the kind among themselves (else key)
    # Reference data kept per process (goals, targets): the things with these primary keys,
    # in the listing's order, read without a query (and the kept copies' type).
    kept: Callable[[set], list] | None = None
    kept_type: type | None = None

    def key_of(self, obj) -> str:
        """The key a follow of `obj` stores: '12', '13', '13.1'."""
        return str(getattr(obj, self.key_attribute))

    def sort_key(self, obj) -> str:
        """Where `obj` goes among things of its kind (a digest's groups)."""
        return self.key_of(obj) if self.order is None else self.order(obj)

    def parse_key(self, key: str) -> int | str | None:
        """The primary key a follow's or a URL's key names, or None when it can name none."""
        if self.numeric:
            return int(key) if key.isdigit() and len(key) <= 9 else None
        return key if len(key) <= 8 else None

    def label_in(self, obj, language: str) -> str:
        """The name in `language`, whatever the request's is."""
        with rendering_in(language):
            return self.label(obj)

    def url(self, obj, build: UrlBuilder = url_for) -> str:
        return build(self.endpoint, **self.url_args(obj))

    def can_see(self, user, obj) -> bool:
        """Whether `user` may see `obj` (anyone may see what is not content)."""
        return self.content is None or can_see(user, obj)

    def reason(self, obj, build: UrlBuilder = url_for) -> Reason:
        return Reason(self.kind, self.key_of(obj), self.label(obj), self.url(obj, build))

    def load(self, keys: Iterable[str], *, user=None, listed: bool = False) -> list:
        """The things with these keys, that `user` may see when given (and, `listed`, with
        what "Your follows" shows, in its order): one query, none when no key names one (nor
        for reference data: goals and targets come as their kept copies)."""
        ids = {self.parse_key(key) for key in keys} - {None}
        if not ids:
            return []
        if self.kept is not None:
            return self.kept(ids)
        query = db.select(self.model).where(
            getattr(self.model, self.key_attribute).in_(sorted(ids))
        )
        if user is not None and self.content is not None:
            query = query.where(visible_to(self.content, user))
        if listed:
            query = query.options(*self.listing()).order_by(*self.order_by)
        return list(db.session.scalars(query))


def _item(kind: FollowKind, model: type, content: Kind, plural: str, heading) -> Followable:
    """A project or a practice: followed by id, named by title, seen as the rule says."""
    return Followable(
        kind,
        model,
        "id",
        f"{plural}.show",
        lambda obj: {f"{kind.value}_id": obj.id},
        lambda obj: obj.title,
        plural,
        heading,
        content=content,
        listing=lambda: (joinedload(model.owner),),
        order_by=(model.title,),
        meta=lambda obj: obj.owner.name,
        language=lambda obj: obj.language,
    )


# In the order of the sections on "Your follows".
FOLLOWABLE: dict[FollowKind, Followable] = {
    entry.kind: entry
    for entry in (
        Followable(
            FollowKind.ORGANISATION,
            Organisation,
            "id",
            "pages.organisation",
            lambda obj: {"slug": obj.slug},
            lambda obj: obj.name,
            "organisations",
            _l("Organisations"),
            listing=lambda: (joinedload(Organisation.county),),
            order_by=(Organisation.name,),
            meta=lambda obj: obj.county.name if obj.county else None,
            order=lambda obj: obj.name,
        ),
        Followable(
            FollowKind.GOAL,
            Goal,
            "number",
            "pages.goal",
            lambda obj: {"number": obj.number},
            lambda obj: _("Goal %(number)s: %(title)s", number=obj.number, title=obj.short_title),
            "goals",
            _l("Sustainable Development Goals"),
            order_by=(Goal.number,),
            order=lambda obj: f"{obj.number:02}",
            kept=lambda numbers: [goal for goal in all_goal_texts() if goal.number in numbers],
            kept_type=GoalInfo,
        ),
        Followable(
            FollowKind.TARGET,
            Target,
            "id",
            "pages.target",
            lambda obj: {"target_id": obj.id},
            lambda obj: _("Target %(id)s", id=obj.id),
            "targets",
            _l("Targets"),
            numeric=False,
            listing=lambda: (joinedload(Target.goal),),
            order_by=(Target.goal_number, Target.position),
            meta=lambda obj: _goal_of(obj).short_title,
            kept=lambda ids: [t for g in all_goal_texts() for t in g.targets if t.id in ids],
            kept_type=TargetInfo,
        ),
        _item(FollowKind.PROJECT, Project, PROJECTS, "projects", _l("Projects")),
        _item(FollowKind.PRACTICE, Practice, PRACTICES, "practices", _l("Good practices")),
    )
}
_BY_MODEL = {entry.model: entry for entry in FOLLOWABLE.values()}
_BY_MODEL.update({entry.kept_type: entry for entry in FOLLOWABLE.values() if entry.kept_type})


def _goal_of(target):
    """A target's goal: the model's, or for a kept copy the kept goal."""
    return target.goal if isinstance(target, Target) else get_goal(target.goal_number)


def followable(kind: str | FollowKind) -> Followable:
    """The entry of a kind ('organisation', FollowKind.GOAL ...); ValueError if none."""
    return FOLLOWABLE[FollowKind(kind)]


def followable_of(obj) -> Followable:
    """The entry of a loaded thing (a Project, a Goal ...)."""
    return _BY_MODEL[type(obj)]
