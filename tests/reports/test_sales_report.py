"""The county sales report: figures equal the orders', only the viewer's counties,
bad filters get clear errors, and the page and API cost the same queries whatever
the number of orders."""

from datetime import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.models import Role
from catalogue.models import ProductStatus
from orders.models import Order
from orders.services.transitions import order_complete, order_ship
from reports import rollups
from tests.factories import (
    AssignmentFactory,
    CountyFactory,
    ProductFactory,
    UserFactory,
    order_pay,
    place_order,
)

pytestmark = pytest.mark.django_db


def sale(product, quantity, when, complete=True):
    order = order_pay(order=place_order(product=product, quantity=quantity))
    if complete:
        order_ship(
            order=order,
            actor=product.farmer.user,
            carrier="other",
            tracking_number="E1234",
        )
        order_complete(order=order, actor=order.buyer)
    from django.utils import timezone

    Order.objects.filter(pk=order.pk).update(
        paid_at=datetime(*when, 10, tzinfo=timezone.get_current_timezone())
    )
    return order


@pytest.fixture
def county_c():
    assignment = AssignmentFactory()
    county = assignment.farmer.household.village.county
    honey = ProductFactory(
        status=ProductStatus.ACTIVE,
        farmer=assignment.farmer,
        price=Decimal("50.00"),
        stock=999,
    )
    sale(honey, 2, (2018, 3, 5))
    sale(honey, 1, (2018, 11, 11))
    sale(honey, 3, (2017, 3, 9))
    sale(honey, 1, (2018, 6, 1), complete=False)
    other = ProductFactory(status=ProductStatus.ACTIVE, stock=999)  # another county
    sale(other, 4, (2018, 3, 5))
    rollups.rebuild_all()
    official = UserFactory(role=Role.OFFICIAL)
    official.counties.add(county)
    return county, official, assignment


def report(client, **params):
    return client.get(
        "/api/reports/county-sales/", {"start": "2018-01", "end": "2018-12", **params}
    )


def figures(body):
    return {figure["key"]: figure["value"] for figure in body["figures"]}


def test_figures_equal_the_orders_of_the_viewers_county(client, county_c):
    county, official, assignment = county_c
    client.force_login(official)
    body = report(client).json()
    got = figures(body)
    assert got["gmv"] == "200.00"  # 100 + 50 + 50 (the uncompleted one counts as sold)
    assert got["completed"] == "150.00"
    assert got["orders"] == 3 and got["storefronts"] == 1 and got["assistants"] == 1
    assert got["average_order"] == "66.67"
    series = body["series"][0]
    march = series["months"].index("2018-03-01")
    assert (series["values"][march], series["previous"][march]) == ("100.00", "150.00")
    by_month = {row["month"]: row for row in body["tables"][0]["rows"]}
    assert by_month["2018-03"]["growth"] == "-33.3"


def test_staff_see_every_county_and_officials_only_theirs(client, county_c):
    county, official, _ = county_c
    client.force_login(UserFactory(role=Role.STAFF))
    assert figures(report(client).json())["orders"] == 4
    client.force_login(official)
    other = CountyFactory()
    assert report(client, county=other.code).status_code == 404
    assert client.get("/reports/sales/", {"county": other.code}).status_code == 404
    assert report(client, county="999999").status_code == 400
    client.force_login(county_c[2].assistant.user)
    assert report(client).status_code == 403
    assert client.get("/reports/sales/").status_code == 403


@pytest.mark.parametrize(
    ("start", "end"),
    [
        ("2018-12", "2018-01"),
        ("2000-01", "2018-01"),
        ("2018-13", "2018-12"),
        ("x", "y"),
    ],
)
def test_bad_periods_are_clear_errors(client, county_c, start, end):
    client.force_login(county_c[1])
    response = report(client, start=start, end=end)
    assert response.status_code == 400
    page = client.get("/reports/sales/", {"start": start, "end": end})
    assert page.status_code == 200 and page.context["filters"].errors
    assert page.context["report"] is None


def test_the_page_renders_the_same_report(client, county_c):
    client.force_login(county_c[1])
    page = client.get("/reports/sales/", {"start": "2018-01", "end": "2018-12"})
    html = page.content.decode()
    assert page.status_code == 200
    assert "<svg" in html and "¥200.00" in html
    assert html.count('<rect class="current"') == 12
    assert 'class="cell-bar"' in html  # the breakdowns chart their GMV
    assert 'id="table-top_farmers"' in html


def test_queries_do_not_grow_with_orders(client, county_c):
    county, official, assignment = county_c
    client.force_login(official)
    with CaptureQueriesContext(connection) as few:
        assert report(client).status_code == 200
    honey = ProductFactory(
        status=ProductStatus.ACTIVE, farmer=assignment.farmer, stock=999
    )
    for day in range(1, 25):
        sale(honey, 1, (2018, 5, day), complete=False)
    rollups.rebuild_all()
    with CaptureQueriesContext(connection) as many:
        assert report(client).status_code == 200
    assert len(many) == len(few)
    with CaptureQueriesContext(connection) as page:
        client.get("/reports/sales/", {"start": "2018-01", "end": "2018-12"})
    assert all("orders_order" not in q["sql"] for q in page.captured_queries)


def test_the_county_sales_command_prints_the_reports_figures(county_c):
    import io

    from django.core.management import CommandError, call_command

    county = county_c[0]
    out = io.StringIO()
    call_command("county_sales", county.code, "2018", stdout=out)
    lines = dict(line.split() for line in out.getvalue().splitlines()[1:])
    assert lines["completed"] == "150.00" and lines["assistants"] == "1"
    with pytest.raises(CommandError):
        call_command("county_sales", "Atlantis", "2018", stdout=io.StringIO())


def test_things_of_one_name_stay_apart(client, county_c):
    county, official, assignment = county_c
    twin = ProductFactory(
        status=ProductStatus.ACTIVE,
        title="Honey",
        stock=99,
        farmer=assignment.farmer,
    )
    other = ProductFactory(
        status=ProductStatus.ACTIVE,
        title="Honey",
        stock=99,
        farmer=assignment.farmer,
    )
    sale(twin, 1, (2018, 8, 1))
    sale(other, 2, (2018, 8, 2))
    rollups.rebuild_all()
    client.force_login(official)
    body = report(client).json()
    top = next(t for t in body["tables"] if t["key"] == "top_products")
    honey = [row["name"] for row in top["rows"] if row["name"].startswith("Honey")]
    assert len(honey) == 2  # each named with its shop
