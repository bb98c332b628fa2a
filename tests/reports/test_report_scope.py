"""Every report page and API answer only county officials and staff; other roles
and anonymous visitors are refused, on pages, API and exports."""

import pytest

from accounts.models import Role
from tests.factories import CountyFactory, UserFactory

pytestmark = pytest.mark.django_db
PAGES = ["sales", "income", "targeting", "assistants", "training"]
APIS = [
    "county-sales",
    "income-impact",
    "targeting-quality",
    "assistant-performance",
    "training-effect",
]


@pytest.mark.parametrize("role", [Role.BUYER, Role.FARMER, Role.ASSISTANT])
def test_other_roles_are_refused(client, role):
    client.force_login(UserFactory(role=role))
    for page in PAGES:
        assert client.get(f"/reports/{page}/").status_code == 403, page
    for api in APIS:
        assert client.get(f"/api/reports/{api}/").status_code == 403, api
    response = client.post(
        "/reports/exports/", {"report": "county_sales", "format": "csv"}
    )
    assert response.status_code == 403


def test_anonymous_visitors_sign_in_first(client):
    for page in PAGES:
        assert client.get(f"/reports/{page}/").status_code == 302
    for api in APIS:
        assert client.get(f"/api/reports/{api}/").status_code in (401, 403)


@pytest.mark.parametrize("role", [Role.OFFICIAL, Role.STAFF])
def test_officials_and_staff_open_every_report(client, role):
    user = UserFactory(role=role)
    county = CountyFactory()
    if role == Role.OFFICIAL:
        user.counties.add(county)
    client.force_login(user)
    params = {"county": county.code, "year": 2018, "start": "2018-01", "end": "2018-12"}
    for page in PAGES:
        assert client.get(f"/reports/{page}/", params).status_code == 200, page
    for api in APIS:
        assert client.get(f"/api/reports/{api}/", params).status_code == 200, api


def test_no_report_page_reads_the_orders(client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    staff = UserFactory(role=Role.STAFF)
    county = CountyFactory()
    client.force_login(staff)
    params = {"county": county.code, "year": 2018, "start": "2018-01", "end": "2018-12"}
    for page in PAGES:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(f"/reports/{page}/", params).status_code == 200
        touched = [q["sql"] for q in captured if '"orders_order' in q["sql"]]
        assert touched == [], page


@pytest.mark.parametrize(
    "params",
    [
        {"start": "0001-01", "end": "0001-12"},
        {"start": "9999-01", "end": "9999-12"},
        {"county": "\x00"},
        {"county": "1" * 500},
        {"year": "99999"},
        {"year": "0"},
    ],
)
def test_crafted_filters_are_errors_not_500s(client, params):
    client.force_login(UserFactory(role=Role.STAFF))
    for page in PAGES:
        assert client.get(f"/reports/{page}/", params).status_code == 200, page
    for api in APIS:
        # A filter the report does not use is ignored; one it uses is a 400.
        assert client.get(f"/api/reports/{api}/", params).status_code in (200, 400)
    export = client.post(
        "/reports/exports/", {"report": "county_sales", "format": "csv", **params}
    )
    assert export.status_code == 302
