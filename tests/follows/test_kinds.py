"""The registry of followable kinds: every kind has an entry that names and links its things."""

from __future__ import annotations

import pytest

from baerekraft_hub.extensions import db as _db
from baerekraft_hub.follows.kinds import FOLLOWABLE, followable, followable_of
from baerekraft_hub.follows.models import FollowKind
from baerekraft_hub.sdg.models import Goal, Target
from tests.factories import make_practice, make_project, organisation

LABELS = {
    FollowKind.ORGANISATION: {"nb": "Molde", "nn": "Molde", "en": "Molde"},
    FollowKind.GOAL: {
        "nb": "Mål 13: Stoppe klimaendringene",
        "nn": "Mål 13: Stoppe klimaendringane",
        "en": "Goal 13: Climate action",
    },
    FollowKind.TARGET: {"nb": "Delmål 13.1", "nn": "Delmål 13.1", "en": "Target 13.1"},
    FollowKind.PROJECT: dict.fromkeys(("nb", "nn", "en"), "Regnbed i Molde"),
    FollowKind.PRACTICE: dict.fromkeys(("nb", "nn", "en"), "Regnbed som virker"),
}


def one_of(kind: FollowKind):
    """A thing of the kind, as the pages show it."""
    return {
        FollowKind.ORGANISATION: lambda: organisation("1506"),
        FollowKind.GOAL: lambda: _db.session.get(Goal, 13),
        FollowKind.TARGET: lambda: _db.session.get(Target, "13.1"),
        FollowKind.PROJECT: lambda: make_project(title="Regnbed i Molde"),
        FollowKind.PRACTICE: lambda: make_practice(title="Regnbed som virker"),
    }[kind]()


def test_every_kind_has_an_entry():
    assert set(FOLLOWABLE) == set(FollowKind) == set(LABELS)
    assert all(entry.kind == kind for kind, entry in FOLLOWABLE.items())


@pytest.mark.parametrize("kind", list(FollowKind))
def test_each_kind_names_its_things_in_every_language_and_links_to_their_page(
    app, client, db, kind
):
    obj = one_of(kind)
    db.session.commit()
    entry = followable(kind.value)
    assert followable_of(obj) is entry
    for language, label in LABELS[kind].items():
        assert entry.label_in(obj, language) == label
    with app.test_request_context():
        url = entry.url(obj)
        reason = entry.reason(obj)
    assert client.get(url).status_code == 200
    assert (reason.kind, reason.key, reason.url) == (kind, entry.key_of(obj), url)
    # The key a follow stores finds it again (goals and targets: their kept copies).
    (loaded,) = entry.load([entry.key_of(obj)])
    assert loaded is obj or type(loaded) is entry.kept_type
    assert (entry.key_of(loaded), entry.label_in(loaded, "nb")) == (
        entry.key_of(obj),
        LABELS[kind]["nb"],
    )
    assert followable_of(loaded) is entry


def test_keys_that_can_name_nothing_load_nothing(db):
    assert followable("goal").load(["x", "1" * 12]) == []
    assert followable("target").load(["13.1" * 3]) == []
