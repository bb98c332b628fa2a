"""Assistant performance: each assistant's farmers' sales and growth, training
hours, visits and the share of farmers with a recent sale, in the viewer's
counties only, in a constant number of queries."""

from datetime import date, datetime
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.models import Role
from catalogue.models import ProductStatus
from fieldwork.models import TrainingSession, Visit
from orders.models import Order
from reports import rollups
from tests.factories import (
    AssistantFactory,
    ProductFactory,
    UserFactory,
    farmer_of,
    order_pay,
    place_order,
)

pytestmark = pytest.mark.django_db


def paid(farmer, amount_units, when=None):
    product = ProductFactory(
        status=ProductStatus.ACTIVE, farmer=farmer, price=Decimal("10.00"), stock=999
    )
    order = order_pay(order=place_order(product=product, quantity=amount_units))
    if when:
        Order.objects.filter(pk=order.pk).update(
            paid_at=datetime(*when, 12, tzinfo=timezone.get_current_timezone())
        )
    return order


def test_each_assistants_figures(client):
    a = AssistantFactory(user__first_name="Li")
    b = AssistantFactory(county=a.county, user__first_name="Wang")
    a1, a2 = farmer_of(a), farmer_of(a)
    farmer_of(b)
    paid(a1, 3, (2018, 5, 1))  # ¥30 in the period
    paid(a1, 1, (2017, 12, 1))  # ¥10 in the 6 months before
    paid(a2, 2)  # today: a sale in 30 days (outside the period)
    TrainingSession.objects.create(
        assistant=a,
        held_on=date(2018, 3, 1),
        hours=Decimal("2.5"),
        location="x",
        topics=["pricing"],
    )
    TrainingSession.objects.create(
        assistant=a,
        held_on=date(2017, 3, 1),
        hours=Decimal("9"),
        location="x",
        topics=["pricing"],
    )
    Visit.objects.create(
        assistant=a,
        household=a1.household,
        visited_on=date(2018, 4, 1),
        purpose="follow_up",
    )
    rollups.rebuild_all()
    official = UserFactory(role=Role.OFFICIAL)
    official.counties.add(a.county)
    client.force_login(official)
    body = client.get(
        "/api/reports/assistant-performance/", {"start": "2018-01", "end": "2018-06"}
    ).json()
    rows = {row["name"]: row for row in body["tables"][0]["rows"]}
    assert rows["Li"] == {
        "name": "Li",
        "sales": "30.00",
        "growth": "200.0",
        "training_hours": "2.5",
        "visits": 1,
        "farmers": 2,
        "selling_share": "50.00",
    }
    assert rows["Wang"]["sales"] == "0.00" and rows["Wang"]["selling_share"] == "0.00"
    cache.clear()  # both views below are computed, not read from the result cache
    with CaptureQueriesContext(connection) as few:
        client.get("/reports/assistants/", {"start": "2018-01", "end": "2018-06"})
    for _ in range(5):
        extra = AssistantFactory(county=a.county)
        farmer_of(extra)
    with CaptureQueriesContext(connection) as many:
        page = client.get(
            "/reports/assistants/", {"start": "2018-01", "end": "2018-06"}
        )
    assert page.status_code == 200 and len(many) == len(few)
    other = AssistantFactory()
    names = {
        row["name"]
        for row in client.get("/api/reports/assistant-performance/").json()["tables"][
            0
        ]["rows"]
    }
    assert other.user.username not in names
