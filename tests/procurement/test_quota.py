"""The unit's progress against its reserved share, checked against an aggregate
written here from the definition: the goods from key poverty counties the unit
accepted in the year, each acceptance line's accepted quantity at the line's
price (what was refused never counts); orders of other counties, not yet
accepted, or accepted in another year do not count."""

from datetime import timedelta
from decimal import ROUND_HALF_UP, Decimal

import pytest
from django.db.models import F, Sum
from django.test import Client
from django.utils import timezone

from procurement.models import Acceptance, AcceptanceLine, ReservedShare
from procurement.selectors import quota_progress
from procurement.services.acceptance import order_accept
from procurement.services.purchases import unit_month_rebuild
from procurement.services.units import budget_set
from tests.procurement.test_acceptance import shipped  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db


def bought_by_definition(unit, year) -> Decimal:
    accepted = AcceptanceLine.objects.filter(
        acceptance__unit_order__unit=unit,
        acceptance__decided_at__year=year,
        line__order__county__is_key_poverty_county=True,
    ).aggregate(t=Sum(F("accepted") * F("line__unit_price")))["t"]
    return Decimal(str(accepted or 0))


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
    # Accepted in another year: not this year's (the months rebuilt, as after
    # a correction of the decision's date).
    earlier = timezone.now() - timedelta(days=400)
    Acceptance.objects.filter(unit_order=unit_order).update(decided_at=earlier)
    unit_month_rebuild(unit.pk, timezone.localdate(earlier))
    unit_month_rebuild(unit.pk, timezone.localdate())
    assert quota_progress(unit, year).bought == bought_by_definition(unit, year) == 0
    client = Client()
    client.force_login(buyer)
    client.cookies["django_language"] = "en"
    page = client.get("/units/").content.decode()
    assert "Bought from key poverty counties" in page and "6000.00" in page


def test_a_county_not_on_the_poverty_list_does_not_count(shipped, unit_and_admin):  # noqa: F811
    unit_order, buyer, _rice, _honey = shipped
    unit, _admin = unit_and_admin
    county = unit_order.order.county
    county.is_key_poverty_county = False
    county.save()
    order_accept(unit_order=unit_order, actor=buyer, accepted={}, reason="")
    year = timezone.localdate().year
    assert quota_progress(unit, year).bought == bought_by_definition(unit, year) == 0
