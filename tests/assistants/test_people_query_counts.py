"""The people lists cost a constant number of queries: each list page and API list
runs as many queries for 50 rows as for 5 (no query per row), and stays under a
fixed bound. Every measurement checks the rows really are in the response."""

from datetime import UTC, date, datetime
from types import SimpleNamespace

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.models import Role
from assistants.selectors import (
    assignments_visible_to,
    farmers_visible_to,
    households_visible_to,
)
from assistants.services import assignment_assign
from farmers.models import Farmer
from tests.factories import (
    AssistantFactory,
    CountyFactory,
    FarmerFactory,
    UserFactory,
    farmer_of,
)

pytestmark = pytest.mark.django_db

FEW, MANY = 5, 50
VISITED = datetime(2020, 1, 1, tzinfo=UTC)


@pytest.fixture
def place():
    """County X with the assistant whose farmers grow, three colleagues who held
    some of those farmers first, an official and staff; plus an unassigned farmer
    in X and a farmer in another county, so scoping has something to filter."""
    county = CountyFactory()
    main = AssistantFactory(county=county)
    colleagues = [AssistantFactory(county=county) for _ in range(3)]
    official = UserFactory(role=Role.OFFICIAL)
    official.counties.add(county)
    FarmerFactory(household__village__county=county)
    farmer_of(AssistantFactory())
    return SimpleNamespace(
        county=county,
        main=main,
        colleagues=colleagues,
        added=0,
        users={
            "assistant": main.user,
            "official": official,
            "staff": UserFactory(role=Role.STAFF),
        },
    )


def add_farmers(place, count: int) -> None:
    """`count` farmers of the main assistant, in their county. Every other one was
    first a colleague's (so it has an ended assignment); some are registered poor
    households, some verified."""
    for _ in range(count):
        i = place.added
        place.added += 1
        first = place.colleagues[i % 3] if i % 2 else place.main
        farmer = farmer_of(first, household__registered=i % 3 == 0)
        if first != place.main:
            assignment_assign(
                farmer=farmer,
                assistant=place.main,
                assigned_by=place.main.user,
                today=date(2019, 1, 1),
            )
        if i % 4 == 0:
            Farmer.objects.filter(pk=farmer.pk).update(
                verified_at=VISITED, verified_by=place.main.user
            )


def measure(client, url: str):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, response.content[:500]
    return len(queries.captured_queries), response


# --- Pages --------------------------------------------------------------------------


def check_page(response, place, who: str, per_page: int) -> int:
    """The page lists every farmer of the user's scope (of the county, on the
    assignment page), a full page of them shown; returns how many are listed."""
    page = response.context["page_obj"]
    visible = farmers_visible_to(place.users[who])
    if who != "assistant":
        visible = visible.filter(household__village__county=place.county)
    assert page.paginator.count == visible.count()
    assert len(page.object_list) == min(page.paginator.count, per_page)
    html = response.content.decode()
    for farmer in page.object_list:
        assert farmer.shop_name in html
    return page.paginator.count


ASSIGNMENTS = "/assistant/assignments/?county={county}"
# Bounds are what was observed plus two. Observed, on SQLite: the farmer list runs
# 5 queries (session, user, count, farmers, their active assignments); the
# assignment page 8 (session, user, counties, county, count, farmers, their
# active assignments, the county's assistants).
PAGES = [
    # (who, url, rows per page, most queries allowed)
    pytest.param("assistant", "/assistant/farmers/", 25, 7, id="assistant-farmer-list"),
    pytest.param("official", ASSIGNMENTS, 50, 10, id="official-assignment-page"),
    pytest.param("staff", ASSIGNMENTS, 50, 10, id="staff-assignment-page"),
]


@pytest.mark.parametrize("who, url, per_page, bound", PAGES)
def test_list_page_queries_do_not_grow_with_rows(
    client, place, django_assert_max_num_queries, who, url, per_page, bound
):
    url = url.format(county=place.county.pk)
    client.force_login(place.users[who])

    add_farmers(place, FEW)
    few, response = measure(client, url)
    assert check_page(response, place, who, per_page) >= FEW

    add_farmers(place, MANY - FEW)
    many, response = measure(client, url)
    assert check_page(response, place, who, per_page) >= MANY
    assert len(response.context["page_obj"]) == per_page  # a full page

    assert many == few, f"{few} queries for {FEW} rows, {many} for {MANY}"
    with django_assert_max_num_queries(bound):
        assert client.get(url).status_code == 200


# --- API lists ----------------------------------------------------------------------

SELECTORS = {
    "/api/farmers/": farmers_visible_to,
    "/api/households/": households_visible_to,
    "/api/assignments/": assignments_visible_to,
}
# Observed plus two. Observed: session, user and the rows (3); farmers add one
# query for their active assignments (4).
API_BOUNDS = {"/api/farmers/": 6, "/api/households/": 5, "/api/assignments/": 5}
API = [
    pytest.param(who, path, API_BOUNDS[path], id=f"{who}-{path.split('/')[2]}")
    for who in ("assistant", "official", "staff")
    for path in SELECTORS
]


def check_api(response, user, path: str) -> int:
    """The rows are the user's, as many as there are up to the page size."""
    results = response.json()["results"]
    visible = SELECTORS[path](user)
    assert {row["id"] for row in results} <= set(visible.values_list("pk", flat=True))
    assert len(results) == min(visible.count(), 50)
    return len(results)


@pytest.mark.parametrize("who, path, bound", API)
def test_api_list_queries_do_not_grow_with_rows(
    client, place, django_assert_max_num_queries, who, path, bound
):
    user = place.users[who]
    url = f"{path}?page_size=50"
    client.force_login(user)

    add_farmers(place, FEW)
    few, response = measure(client, url)
    assert check_api(response, user, path) >= FEW

    add_farmers(place, MANY - FEW)
    many, response = measure(client, url)
    assert check_api(response, user, path) == 50

    assert many == few, f"{few} queries for {FEW} rows, {many} for {MANY}"
    with django_assert_max_num_queries(bound):
        assert client.get(url).status_code == 200
