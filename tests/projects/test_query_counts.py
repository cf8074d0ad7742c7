"""List pages load what they show in a fixed number of queries, however much there is."""

import pytest

from baerekraft_hub.practices.services import PracticeData, create_practice
from tests.factories import make_member, make_project, organisation

PAGES = [
    "/prosjekter/",
    "/prosjekter/?county=15&goal=11",
    "/praksis/",
    "/barekraftsmal/11/",
    "/barekraftsmal/delmal/11.5/",
    "/organisasjoner/molde/",
]


def add_content(db, count):
    owners = ["1506", "4601", "3301", "5001"]
    for i in range(count):
        make_project(
            owner=owners[i % 4],
            title=f"Prosjekt {i}",
            target_ids=["11.5", "13.1"],
            participants=[organisation("1505")],
            tags=[f"tag{i % 7}"],
        )
        if i % 5 == 0:
            practice = create_practice(
                PracticeData(
                    title=f"Praksis {i}",
                    summary="Slik gjorde vi det.",
                    owner=organisation("1506"),
                    target_ids=["11.5"],
                ),
                None,
            )
            from baerekraft_hub.content.services import publish

            publish(practice, None)
    db.session.commit()


def queries_per_page(client, count_queries):
    counts = {}
    for path in PAGES:
        with count_queries() as statements:
            assert client.get(path).status_code == 200
        counts[path] = len(statements)
    return counts


@pytest.mark.parametrize("signed_in", [False, True])
def test_list_and_goal_pages_run_the_same_queries_at_10_and_200_items(
    client, db, count_queries, login_as, signed_in
):
    if signed_in:
        login_as(make_member("1506", "editor"))
    add_content(db, 10)
    at_10 = queries_per_page(client, count_queries)
    add_content(db, 190)
    at_200 = queries_per_page(client, count_queries)
    assert at_200 == at_10
    # The profile is the busiest page: coverage, content, peers, follow state and followers.
    assert max(at_10.values()) <= 25, at_10
