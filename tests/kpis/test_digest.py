"""A followed municipality's new KPI values reach its followers' digests, as one item."""

from __future__ import annotations

from baerekraft_hub.digests.models import Frequency
from baerekraft_hub.digests.runner import send_digests
from baerekraft_hub.kpis.services import import_file
from tests.conftest import text_of
from tests.digests.conftest import follower, today  # noqa: F401 - the fixture
from tests.factories import make_member, organisation
from tests.kpis.conftest import PERCENT_KPI


def test_new_values_are_one_item_in_the_digest(db, smtp_server, today, kpis):  # noqa: F811
    molde = organisation("1506")
    follower(db, ("organisation", molde.id), language="en")
    editor = make_member("1506", "editor")
    table = "organisation;kpi;year;value\n" + "".join(
        f"1506;{PERCENT_KPI};{year};{year - 1990}\n" for year in (2021, 2022, 2023)
    )
    report = import_file(table.encode(), editor)
    assert report.summary() == "created 3, updated 0, unchanged 0, skipped 0"
    db.session.commit()
    send_digests(Frequency.DAILY, today)
    (message,) = smtp_server.wait_for(1)
    assert message["Subject"] == "Your daily digest: 1 new item"
    text = text_of(message)
    assert "* Molde (Molde)" in text
    assert "- 3 new or changed indicator values for 2021, 2022, 2023" in text
    assert "/organisasjoner/molde/indikatorverdier/" in text
