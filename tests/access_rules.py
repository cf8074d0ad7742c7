"""Who may reach which route: one row per (endpoint, method), one status per role.

`tests/test_access_matrix.py` checks every route registered in the app against this table, so
a new route without a row here fails the suite. Add your routes' rows when you add routes.

Roles: anonymous; member and editor of Molde; admin of another organisation (Bergen);
network coordinator. In paths, {membership} is a pending request to join Molde.
"""

from __future__ import annotations

from dataclasses import dataclass, field

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


RULES: dict[tuple[str, str], Rule] = {
    # public pages
    ("pages.home", "GET"): Rule("/", EVERYONE),
    ("pages.about", "GET"): Rule("/om-nettverket/", EVERYONE),
    ("pages.accessibility", "GET"): Rule("/tilgjengelighet/", EVERYONE),
    ("pages.privacy", "GET"): Rule("/personvern/", EVERYONE),
    ("pages.robots", "GET"): Rule("/robots.txt", EVERYONE),
    ("pages.sitemap", "GET"): Rule("/sitemap.xml", EVERYONE),
    ("pages.set_language", "POST"): Rule("/sprak/", REDIRECT_ALL, {"lang": "nb", "next": "/"}),
    ("sdg.overview", "GET"): Rule("/barekraftsmal/", EVERYONE),
    ("pages.goal", "GET"): Rule("/barekraftsmal/11/", EVERYONE),
    ("pages.target", "GET"): Rule("/barekraftsmal/delmal/11.6/", EVERYONE),
    ("sdg.colours", "GET"): Rule("/sdg-farger.css", EVERYONE),
    ("organisations.index", "GET"): Rule("/kommuner/", EVERYONE),
    ("organisations.find", "GET"): Rule("/kommuner/finn/?q=her", EVERYONE),
    ("pages.organisation", "GET"): Rule("/organisasjoner/molde/", EVERYONE),
    ("static", "GET"): Rule("/static/css/app.css", EVERYONE),
    # accounts: signing up and in
    ("accounts.register", "GET"): Rule("/registrer/", GUESTS_PAGE),
    ("accounts.register", "POST"): Rule("/registrer/", GUESTS_FORM),
    ("accounts.register_done", "GET"): Rule("/registrer/sjekk-e-posten/", EVERYONE),
    ("accounts.confirm_email", "GET"): Rule("/bekreft/not-a-token/", BAD_LINK),
    ("accounts.resend_confirmation", "GET"): Rule("/bekreft/ny-lenke/", EVERYONE),
    ("accounts.resend_confirmation", "POST"): Rule(
        "/bekreft/ny-lenke/", REDIRECT_ALL, {"email": "nobody@example.no"}
    ),
    ("accounts.login", "GET"): Rule("/logg-inn/", GUESTS_PAGE),
    ("accounts.login", "POST"): Rule("/logg-inn/", GUESTS_FORM),
    ("accounts.logout", "POST"): Rule("/logg-ut/", REDIRECT_ALL),
    ("accounts.forgot_password", "GET"): Rule("/glemt-passord/", EVERYONE),
    ("accounts.forgot_password", "POST"): Rule(
        "/glemt-passord/", REDIRECT_ALL, {"email": "nobody@example.no"}
    ),
    ("accounts.forgot_password_sent", "GET"): Rule("/glemt-passord/sendt/", EVERYONE),
    ("accounts.reset_password", "GET"): Rule("/nytt-passord/not-a-token/", BAD_LINK),
    ("accounts.reset_password", "POST"): Rule("/nytt-passord/not-a-token/", BAD_LINK),
    ("accounts.set_password", "GET"): Rule("/velg-passord/not-a-token/", BAD_LINK),
    ("accounts.set_password", "POST"): Rule("/velg-passord/not-a-token/", BAD_LINK),
    # accounts: the signed-in user's own pages
    ("accounts.profile", "GET"): Rule("/profil/", SIGNED_IN),
    ("accounts.profile", "POST"): Rule("/profil/", SIGNED_IN_FORM, {"name": ""}),
    ("accounts.change_password", "GET"): Rule("/profil/passord/", SIGNED_IN),
    ("accounts.change_password", "POST"): Rule("/profil/passord/", SIGNED_IN_FORM),
    ("accounts.export_data", "GET"): Rule("/profil/mine-data.json", SIGNED_IN),
    ("accounts.delete_account", "GET"): Rule("/profil/slett/", SIGNED_IN),
    ("accounts.delete_account", "POST"): Rule("/profil/slett/", SIGNED_IN_FORM),
    # memberships
    ("memberships.mine", "GET"): Rule("/profil/organisasjoner/", SIGNED_IN),
    ("memberships.mine", "POST"): Rule("/profil/organisasjoner/", SIGNED_IN_FORM),
    ("memberships.members", "GET"): Rule("/organisasjoner/molde/medlemmer/", MOLDE_MANAGERS_PAGE),
    ("memberships.approve", "POST"): Rule(
        "/organisasjoner/molde/medlemmer/{membership}/godkjenn/",
        MOLDE_MANAGERS_ACTION,
        {"role": "member"},
    ),
    ("memberships.decline", "POST"): Rule(
        "/organisasjoner/molde/medlemmer/{membership}/avsla/", MOLDE_MANAGERS_ACTION
    ),
    ("memberships.change_role", "POST"): Rule(
        "/organisasjoner/molde/medlemmer/{membership}/rolle/",
        MOLDE_MANAGERS_ACTION,
        {"role": "editor"},
    ),
    ("memberships.remove", "POST"): Rule(
        "/organisasjoner/molde/medlemmer/{membership}/fjern/", MOLDE_MANAGERS_ACTION
    ),
    ("memberships.overview", "GET"): Rule("/koordinator/medlemskap/", COORDINATOR_PAGE),
    # projects
    ("projects.index", "GET"): Rule("/prosjekter/", EVERYONE),
    ("transfer.export_projects", "GET"): Rule("/prosjekter/eksport.csv", EVERYONE),
    ("projects.tag_suggestions", "GET"): Rule("/prosjekter/stikkord/?tags=kli", EVERYONE),
    ("projects.markdown_preview", "POST"): Rule(
        "/markdown/forhandsvis/", EVERYONE, {"description": "**hei**"}
    ),
    ("sdg.target_search", "GET"): Rule("/barekraftsmal/delmal/?q=avfall", EVERYONE),
    ("projects.create", "GET"): Rule("/prosjekter/ny/", CREATE_PAGE),
    ("projects.create", "POST"): Rule("/prosjekter/ny/", CREATE_FORM),
    ("projects.show", "GET"): Rule("/prosjekter/{project}/", EVERYONE),
    ("projects.edit", "GET"): Rule("/prosjekter/{project}/rediger/", MOLDE_EDIT_PAGE),
    ("projects.edit", "POST"): Rule("/prosjekter/{project}/rediger/", MOLDE_EDIT_FORM),
    ("projects.publish", "POST"): Rule("/prosjekter/{draft}/publiser/", MOLDE_DRAFT_ACTION),
    ("projects.unpublish", "GET"): Rule("/prosjekter/{project}/avpubliser/", MOLDE_EDIT_PAGE),
    ("projects.unpublish", "POST"): Rule(
        "/prosjekter/{project}/avpubliser/", MOLDE_EDIT_ACTION, {"reason": "test"}
    ),
    ("projects.delete", "GET"): Rule("/prosjekter/{project}/slett/", MOLDE_EDIT_PAGE),
    ("projects.delete", "POST"): Rule("/prosjekter/{project}/slett/", MOLDE_EDIT_ACTION),
    ("projects.post_update", "POST"): Rule("/prosjekter/{project}/oppdateringer/", MOLDE_EDIT_FORM),
    ("projects.add_indicator", "POST"): Rule("/prosjekter/{project}/indikatorer/", MOLDE_EDIT_FORM),
    ("projects.record_value", "POST"): Rule(
        "/prosjekter/{project}/indikatorer/{indicator}/verdi/", MOLDE_EDIT_FORM
    ),
    # practices
    ("practices.index", "GET"): Rule("/praksis/", EVERYONE),
    ("practices.create", "GET"): Rule("/praksis/ny/", CREATE_PAGE),
    ("practices.create", "POST"): Rule("/praksis/ny/", CREATE_FORM),
    ("practices.show", "GET"): Rule("/praksis/{practice}/", EVERYONE),
    ("practices.edit", "GET"): Rule("/praksis/{practice}/rediger/", MOLDE_EDIT_PAGE),
    ("practices.edit", "POST"): Rule("/praksis/{practice}/rediger/", MOLDE_EDIT_FORM),
    ("practices.publish", "POST"): Rule("/praksis/{practice_draft}/publiser/", MOLDE_DRAFT_ACTION),
    ("practices.unpublish", "GET"): Rule("/praksis/{practice}/avpubliser/", MOLDE_EDIT_PAGE),
    ("practices.unpublish", "POST"): Rule(
        "/praksis/{practice}/avpubliser/", MOLDE_EDIT_ACTION, {"reason": "test"}
    ),
    ("practices.delete", "GET"): Rule("/praksis/{practice}/slett/", MOLDE_EDIT_PAGE),
    ("practices.delete", "POST"): Rule("/praksis/{practice}/slett/", MOLDE_EDIT_ACTION),
    ("practices.reuse", "POST"): Rule(
        "/praksis/{practice}/gjenbruk/", BERGEN_REUSE, {"organisation": "{bergen}"}
    ),
    # search
    ("search.page", "GET"): Rule("/sok?q=overvann", EVERYONE),
    ("search.live", "GET"): Rule("/sok/live?q=overvann", EVERYONE),
    ("search.api", "GET"): Rule("/api/v1/search?q=overvann", EVERYONE),
    # follows, activity, digests
    ("follows.follow", "POST"): Rule("/folg/prosjekt/{draft}/", FOLLOW_MOLDE_DRAFT),
    ("follows.unfollow", "POST"): Rule("/folg/organisasjon/{molde}/slutt/", REDIRECT_ALL),
    ("follows.mine", "GET"): Rule("/profil/folger/", SIGNED_IN),
    ("activity.feed", "GET"): Rule("/nytt-for-deg/", SIGNED_IN),
    ("digests.preferences", "GET"): Rule("/profil/oppsummering/", SIGNED_IN),
    ("digests.preferences", "POST"): Rule("/profil/oppsummering/", SIGNED_IN_FORM),
    # The token is the credential (no session needed): a bad one gets the neutral page.
    ("digests.unsubscribe", "GET"): Rule("/avmeld/not-a-token/", BAD_LINK),
    ("digests.unsubscribe", "POST"): Rule("/avmeld/not-a-token/", BAD_LINK),
    # development only: off outside `make run`
    ("devtools.mailbox", "GET"): Rule("/dev/epost/", NOBODY_FOUND),
}
