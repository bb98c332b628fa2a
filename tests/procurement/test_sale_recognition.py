"""A work unit's order counts as a sale once the unit accepts the goods (the 832
rule), at the value of what it accepted: the county sales report leaves a paid,
shipped unit order out until then, and shows the accepted part as work units'
purchases beside the retail sales. Expected figures are aggregates written here
from the definition, over the acceptance's own lines and the retail orders."""

from decimal import Decimal

import pytest
from django.db.models import F, Sum
from django.utils import timezone

from accounts.models import Role
from fieldwork.selectors import platform_sales_for
from orders.models import Order, OrderStatus
from orders.selectors import month_figures
from orders.services.transitions import order_complete, order_ship
from procurement.models import AcceptanceLine
from reports import rollups
from tests.factories import UserFactory, order_pay, place_order
from tests.procurement.test_acceptance import (  # noqa: F401 (fixture)
    accept,
    english,
    shipped,
)

pytestmark = pytest.mark.django_db


def county_sales(county) -> dict:
    rollups.rebuild_dirty()
    official = UserFactory(role=Role.OFFICIAL)
    official.counties.add(county)
    month = f"{timezone.localdate():%Y-%m}"
    client = english(official)
    body = client.get(
        "/api/reports/county-sales/", {"start": month, "end": month}
    ).json()
    return {figure["key"]: Decimal(str(figure["value"])) for figure in body["figures"]}


def retail_paid(county) -> Decimal:
    """Retail GMV, from the definition: every paid order that is not a unit's."""
    return Order.objects.filter(
        county=county, paid_at__isnull=False, completes_on_acceptance=False
    ).aggregate(total=Sum("total"))["total"] or Decimal("0")


def accepted_value() -> Decimal:
    """What units accepted: each acceptance line's accepted quantity at its price."""
    return AcceptanceLine.objects.filter(
        acceptance__unit_order__order__status=OrderStatus.COMPLETED
    ).aggregate(total=Sum(F("accepted") * F("line__unit_price")))["total"]


def test_a_unit_order_counts_only_once_accepted_and_at_what_was_accepted(
    shipped,  # noqa: F811
):
    unit_order, buyer, rice, _honey = shipped
    county = unit_order.order.county
    retail = order_pay(order=place_order(product=rice, quantity=3))
    assert retail.county == county

    before = county_sales(county)
    assert unit_order.order.paid_at is not None  # paid by transfer, and shipped
    assert before["gmv"] == retail_paid(county) == Decimal("157.50")  # 3 × 52.50
    assert before["unit_sales"] == 0 and before["unit_orders"] == 0
    assert before["orders"] == 1

    accept(english(buyer), unit_order, lines={rice.title: 92}, reason="8 bags wet")
    after = county_sales(county)
    accepted = accepted_value()
    assert accepted == Decimal("8350.00")  # 92 × 52.50 + 40 × 88.00
    assert after["unit_sales"] == accepted
    assert after["unit_orders"] == 1
    assert after["gmv"] == retail_paid(county) + accepted
    assert after["retail"] == retail_paid(county)
    assert after["completed"] == accepted  # the retail order is not completed yet
    assert after["orders"] == 2


def test_goods_refused_whole_never_count(shipped):  # noqa: F811
    unit_order, buyer, rice, honey = shipped
    county = unit_order.order.county
    accept(
        english(buyer),
        unit_order,
        lines={rice.title: 0, honey.title: 0},
        reason="all spoiled",
    )
    assert Order.objects.get(pk=unit_order.order_id).status == OrderStatus.REFUNDED
    got = county_sales(county)
    assert got["gmv"] == got["unit_sales"] == got["refunds"] == 0
    assert got["orders"] == 0


def test_a_households_income_and_the_farmers_month_count_only_what_was_accepted(
    shipped,  # noqa: F811
):
    unit_order, buyer, rice, _honey = shipped
    farmer = unit_order.order.farmer
    retail = order_pay(order=place_order(product=rice, quantity=3))
    order_ship(
        order=retail, actor=farmer.user, carrier="other", tracking_number="E0002"
    )
    retail = order_complete(order=retail, actor=retail.buyer)
    accept(english(buyer), unit_order, lines={rice.title: 92}, reason="8 bags wet")
    # From the definition: the retail order's total, and each acceptance line's
    # accepted quantity at its price.
    expected = retail.total + accepted_value()
    assert expected == Decimal("8350.00") + retail.total
    year = timezone.localdate().year
    assert platform_sales_for(farmer.household, year).total == expected
    assert month_figures(farmer.user).completed == expected
