"""Training effect: sales in the 90 days after a farmer's first training against
the 90 days before, for farmers first trained in the period."""

from datetime import date, datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from accounts.models import Role
from catalogue.models import ProductStatus
from fieldwork.models import Attendance, TrainingSession
from orders.models import Order
from orders.services.transitions import order_cancel
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


def paid(farmer, units, day):
    product = ProductFactory(
        status=ProductStatus.ACTIVE, farmer=farmer, price=Decimal("10.00"), stock=999
    )
    order = order_pay(order=place_order(product=product, quantity=units))
    when = datetime.combine(
        day, datetime.min.time().replace(hour=12), timezone.get_current_timezone()
    )
    Order.objects.filter(pk=order.pk).update(paid_at=when)
    return order


def test_sales_before_and_after_the_first_training(client):
    assistant = AssistantFactory()
    trained, later, untrained = (
        farmer_of(assistant),
        farmer_of(assistant),
        farmer_of(assistant),
    )
    first = TrainingSession.objects.create(
        assistant=assistant,
        held_on=date(2018, 4, 1),
        hours=2,
        location="x",
        topics=["pricing"],
    )
    again = TrainingSession.objects.create(
        assistant=assistant,
        held_on=date(2018, 5, 1),
        hours=2,
        location="x",
        topics=["pricing"],
    )
    Attendance.objects.create(session=first, farmer=trained)
    Attendance.objects.create(session=again, farmer=trained)
    old = TrainingSession.objects.create(
        assistant=assistant,
        held_on=date(2017, 4, 1),
        hours=2,
        location="x",
        topics=["pricing"],
    )
    Attendance.objects.create(
        session=old, farmer=later
    )  # first trained before the period
    paid(trained, 2, date(2018, 1, 10))  # ¥20, within 90 days before
    paid(trained, 1, date(2017, 12, 1))  # ¥10, more than 90 days before
    paid(trained, 5, date(2018, 4, 1))  # ¥50, the day itself counts as after
    paid(trained, 3, date(2018, 6, 29))  # ¥30, day 89 after
    paid(trained, 4, date(2018, 6, 30))  # day 90: outside
    order_cancel(
        order=paid(trained, 9, date(2018, 5, 5)), actor=UserFactory(role=Role.STAFF)
    )
    paid(untrained, 7, date(2018, 5, 5))
    rollups.rebuild_all()
    official = UserFactory(role=Role.OFFICIAL)
    official.counties.add(assistant.county)
    client.force_login(official)
    body = client.get(
        "/api/reports/training-effect/", {"start": "2018-01", "end": "2018-12"}
    ).json()
    figures = {f["key"]: f["value"] for f in body["figures"]}
    assert figures == {
        "farmers": 1,
        "before": "20.00",
        "after": "80.00",
        "growth": "300.0",
    }
    assert [row["name"] for row in body["tables"][0]["rows"]] == [trained.shop_name]
    assert body["tables"][0]["rows"][0]["first_training"] == "2018-04-01"
    page = client.get("/reports/training/", {"start": "2018-01", "end": "2018-12"})
    assert page.status_code == 200 and 'id="figure-after"' in page.content.decode()
