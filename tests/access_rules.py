"""Who may reach which route: one row per (endpoint, method), one status per role.

The table is `tests/access_rules.csv` (lines starting with # are notes): the endpoint, the
method, the path, the expected statuses by name (below) and the form data, URL-encoded.
`tests/test_access_matrix.py` checks every route registered in the app against it, so a new
route without a row there fails the suite. Add your routes' rows when you add routes.

Roles: anonymous; member and editor of Molde; admin of another organisation (Bergen);
network coordinator. In paths, {membership} is a pending request to join Molde.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import parse_qsl

ROLES = ("anonymous", "member", "editor", "other_admin", "coordinator")


def statuses(anonymous: int, member: int, editor: int, other_admin: int, coordinator: int):
    return dict(zip(ROLES, (anonymous, member, editor, other_admin, coordinator), strict=True))


EVERYONE = statuses(200, 200, 200, 200, 200)
NOBODY_FOUND = statuses(404, 404, 404, 404, 404)
BAD_LINK = statuses(400, 400, 400, 400, 400)
REDIRECT_ALL = statuses(302, 302, 302, 302, 302)
SIGNED_IN = statuses(302, 200, 200, 200, 200)
# A form posted empty: anonymous users are sent to sign in, the others get their form back.
SIGNED_IN_FORM = statuses(302, 422, 422, 422, 422)
# Pages for people without an account: signed-in users are sent on.
GUESTS_FORM = statuses(422, 302, 302, 302, 302)
GUESTS_PAGE = statuses(200, 302, 302, 302, 302)
# Managing Molde's members: Molde's admins and the coordinator (an admin elsewhere may not).
MOLDE_MANAGERS_PAGE = statuses(302, 403, 403, 403, 200)
MOLDE_MANAGERS_ACTION = statuses(302, 403, 403, 403, 302)
COORDINATOR_PAGE = statuses(302, 403, 403, 403, 200)
COORDINATOR_FORM = statuses(302, 403, 403, 403, 422)
# The console's actions ({applicant} is the user who asked to join Molde).
COORDINATOR_ACTION = statuses(302, 403, 403, 403, 302)
# Content of Molde ({project}, {practice} published; {draft}, {practice_draft} drafts): its
# editors and the coordinator edit; its members read drafts; others see only what is published.
CREATE_PAGE = statuses(302, 403, 200, 200, 200)
CREATE_FORM = statuses(302, 403, 422, 422, 422)
MOLDE_EDIT_PAGE = statuses(302, 403, 200, 403, 200)
MOLDE_EDIT_FORM = statuses(302, 403, 422, 403, 422)
MOLDE_EDIT_ACTION = statuses(302, 403, 302, 403, 302)
MOLDE_DRAFT_ACTION = statuses(302, 403, 302, 404, 302)
# "We are reusing this" for Bergen: Bergen's admin and the coordinator.
BERGEN_REUSE = statuses(302, 403, 403, 302, 302)
# Following Molde's draft: who may see it follows it; to others it does not exist.
FOLLOW_MOLDE_DRAFT = statuses(302, 302, 302, 404, 302)


@dataclass(frozen=True)
class Rule:
    path: str
    expect: dict[str, int]
    data: dict[str, str] = field(default_factory=dict)


def _read(path: Path) -> dict[tuple[str, str], Rule]:
    expectations = {name: value for name, value in globals().items() if name.isupper()}
    with path.open(newline="", encoding="utf-8") as table:
        rows = csv.DictReader(line for line in table if not line.startswith("#"))
        return {
            (row["endpoint"], row["method"]): Rule(
                row["path"],
                expectations[row["expect"]],
                dict(parse_qsl(row["data"], keep_blank_values=True)),
            )
            for row in rows
        }


RULES = _read(Path(__file__).with_suffix(".csv"))
