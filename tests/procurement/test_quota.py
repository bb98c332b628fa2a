"""The unit's progress against its reserved share, checked against an aggregate
written here from the definition: the unit's own orders from key poverty
counties whose goods were accepted in the year, each order's total less every
refund of it (a refusal at acceptance included); orders of other counties, not
yet accepted, or accepted in another year do not count."""

from datetime import timedelta
from decimal import ROUND_HALF_UP, Decimal

import pytest
from django.db.models import Sum
from django.test import Client
from django.utils import timezone

from orders.models import Order, Refund
from procurement.models import Acceptance, ReservedShare
from procurement.selectors import quota_progress
from procurement.services.acceptance import order_accept
from procurement.services.units import budget_set
from tests.procurement.test_acceptance import shipped  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db


def bought_by_definition(unit, year) -> Decimal:
    accepted = Acceptance.objects.filter(
        unit_order__unit=unit,
        decided_at__year=year,
        unit_order__order__status="completed",
        unit_order__order__county__is_key_poverty_county=True,
    ).values_list("unit_order__order_id", flat=True)
    totals = Order.objects.filter(pk__in=accepted).aggregate(t=Sum("total"))["t"]
    back = Refund.objects.filter(
        order_id__in=accepted, retry_of__isnull=True
    ).aggregate(t=Sum("amount"))["t"]
    return Decimal(str(totals or 0)) - Decimal(str(back or 0))


def test_the_quota_counts_accepted_goods_less_refunds(shipped, unit_and_admin, staff):  # noqa: F811
    unit_order, buyer, rice, _honey = shipped
    unit, _admin = unit_and_admin
    year = timezone.localdate().year
    ReservedShare.objects.create(year=year, province="", share=Decimal("0.15"))
    budget_set(unit=unit, year=year, amount=Decimal("40000"), actor=staff)
    before = quota_progress(unit, year)
    assert before.bought == 0 and before.reserved == Decimal("6000.00")
    lines = {line.title: line for line in unit_order.order.lines.all()}
    order_accept(
        unit_order=unit_order,
        actor=buyer,
        accepted={lines[rice.title].pk: 97},
        reason="3 bags torn",
    )
    quota = quota_progress(unit, year)
    expected = bought_by_definition(unit, year)
    assert expected == Decimal("8770.00") - 3 * Decimal("52.50")
    assert quota.bought == expected
    assert quota.remaining == max(Decimal("6000.00") - expected, Decimal(0)) == 0
    assert quota.percent == (expected / Decimal("6000.00") * 100).quantize(
        Decimal("0.1"), rounding=ROUND_HALF_UP
    )
    # Accepted in another year: not this year's.
    Acceptance.objects.filter(unit_order=unit_order).update(
        decided_at=timezone.now() - timedelta(days=400)
    )
    assert quota_progress(unit, year).bought == bought_by_definition(unit, year) == 0
    client = Client()
    client.force_login(buyer)
    client.cookies["django_language"] = "en"
    page = client.get("/units/").content.decode()
    assert "Bought from poverty counties" in page and "6000.00" in page


def test_a_county_not_on_the_poverty_list_does_not_count(shipped, unit_and_admin):  # noqa: F811
    unit_order, buyer, _rice, _honey = shipped
    unit, _admin = unit_and_admin
    county = unit_order.order.county
    county.is_key_poverty_county = False
    county.save()
    order_accept(unit_order=unit_order, actor=buyer, accepted={}, reason="")
    year = timezone.localdate().year
    assert quota_progress(unit, year).bought == bought_by_definition(unit, year) == 0
