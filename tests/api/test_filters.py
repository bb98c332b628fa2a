"""API id filters answer an out-of-scope or unknown id the same way: no rows."""

import pytest

from tests.factories import AssignmentFactory, AssistantFactory, farmer_of

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("param", ["farmer", "assistant"])
def test_an_out_of_scope_id_looks_like_an_unknown_one(client, param):
    mine = AssistantFactory()
    farmer_of(mine)
    foreign = AssignmentFactory()  # another assistant, another county
    client.force_login(mine.user)
    foreign_id = getattr(foreign, f"{param}_id")
    seen = client.get("/api/assignments/", {param: foreign_id})
    unknown = client.get("/api/assignments/", {param: foreign_id + 1000})
    assert (seen.status_code, unknown.status_code) == (200, 200)
    assert seen.json()["results"] == unknown.json()["results"] == []


def test_filters_still_filter(client):
    mine = AssistantFactory()
    first, second = farmer_of(mine), farmer_of(mine)
    client.force_login(mine.user)
    rows = client.get("/api/assignments/", {"farmer": first.pk}).json()["results"]
    assert [row["farmer"] for row in rows] == [first.pk]
    rows = client.get("/api/farmers/", {"village": second.household.village_id})
    assert [row["id"] for row in rows.json()["results"]] == [second.pk]
