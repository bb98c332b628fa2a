"""A unit's staff shopping for themselves through the unit's link: their orders
paid from then on count toward the unit's total once completed, kept apart from
the unit's own orders (the quota counts both; the reports show them apart).
Orders paid before joining, or after leaving, do not count; a refund after
completion drops one out. Only the unit's admins make the link, and a new one
stops the old; a member of another unit or a farmer cannot join. Expected
figures are aggregates written here over the orders' own lines."""

from decimal import Decimal

import pytest
from django.db.models import Sum
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role
from audit.models import AuditEvent
from catalogue.models import ProductStatus
from orders.models import OrderLine, OrderStatus
from orders.services.transitions import order_complete, order_refund, order_ship
from procurement.models import StaffPurchase, StaffShopper, WorkUnit
from procurement.selectors import invite_by_token, quota_progress
from procurement.services.units import budget_set, invite_accept, unit_register
from tests.factories import ProductFactory, UserFactory, order_pay, place_order
from tests.procurement.conftest import joined
from tests.procurement.test_acceptance import english, text

pytestmark = pytest.mark.django_db


def make_link(admin, unit) -> str:
    page = english(admin).post(reverse("procurement:staff_link_make", args=[unit.pk]))
    assert page.status_code == 200
    marker = "/units/staff/"
    body = text(page)
    start = body.index(marker) + len(marker)
    return body[start : body.index("/", start)]


def bought(buyer, product, quantity=2, complete=True):
    order = order_pay(
        order=place_order(buyer=buyer, product=product, quantity=quantity)
    )
    if complete:
        order_ship(
            order=order,
            actor=order.farmer.user,
            carrier="other",
            tracking_number="E0001",
        )
        order = order_complete(order=order, actor=buyer)
    return order


def staff_value(unit) -> Decimal:
    """From the definition: the completed orders recorded as the unit's staff
    purchases, at their lines' totals."""
    total = OrderLine.objects.filter(
        order__staff_purchase__unit=unit, order__status=OrderStatus.COMPLETED
    ).aggregate(t=Sum("line_total"))["t"]
    return (total or Decimal(0)).quantize(Decimal("0.01"))


@pytest.fixture
def staff_shopper(unit_and_admin):
    unit, admin = unit_and_admin
    token = make_link(admin, unit)
    shopper = UserFactory(role=Role.BUYER)
    client = english(shopper)
    page = text(
        client.post(reverse("procurement:staff_join", args=[token]), follow=True)
    )
    assert f"what you buy counts toward {unit.shown}" in page
    return unit, admin, shopper, token


def test_staff_purchases_count_toward_the_unit_apart_from_its_orders(
    staff_shopper, staff
):
    unit, admin, shopper, _token = staff_shopper
    honey = ProductFactory(status=ProductStatus.ACTIVE, price=Decimal("88.00"))
    before = bought(UserFactory(), honey)  # someone else's: never the unit's
    first = bought(shopper, honey, quantity=3)
    second = bought(shopper, honey, quantity=1)
    unpaid = place_order(buyer=shopper, product=honey)
    assert set(StaffPurchase.objects.values_list("order", flat=True)) == {
        first.pk,
        second.pk,
    }
    assert before.pk and unpaid.pk
    expected = staff_value(unit)
    assert expected == Decimal("352.00")  # 4 jars at 88.00
    budget_set(unit=unit, year=timezone.localdate().year, amount=10000, actor=staff)
    quota = quota_progress(unit, timezone.localdate().year)
    assert quota.bought == quota.staff == expected
    page = text(english(admin).get(reverse("procurement:home")))
    assert "Of which its staff's own purchases (completed orders)" in page
    body = english(admin).get("/api/reports/unit-purchases/").json()
    figures = {
        figure["key"]: Decimal(str(figure["value"] or 0)) for figure in body["figures"]
    }
    assert figures["staff"] == expected and figures["accepted"] == 0
    assert figures["bought"] == expected
    by_month = {t["key"]: t["rows"] for t in body["tables"]}["by_month"]
    month = f"{timezone.localdate():%Y-%m}"
    row = next(r for r in by_month if r["month"] == month)
    assert Decimal(row["staff_amount"]) == expected
    # A refund after completion drops the order out.
    order_refund(order=second, actor=staff, note="broken jar")
    assert quota_progress(unit, timezone.localdate().year).staff == staff_value(unit)
    assert staff_value(unit) == Decimal("264.00")


def test_leaving_stops_counting_the_next_orders_only(staff_shopper):
    unit, _admin, shopper, token = staff_shopper
    honey = ProductFactory(status=ProductStatus.ACTIVE, price=Decimal("88.00"))
    kept = bought(shopper, honey)
    page = english(shopper).post(
        reverse("procurement:staff_join", args=[token]), {"stop": "1"}, follow=True
    )
    assert "Your next orders count toward no unit." in text(page)
    assert not StaffShopper.objects.filter(user=shopper).exists()
    bought(shopper, honey)
    assert list(StaffPurchase.objects.values_list("order", flat=True)) == [kept.pk]
    assert AuditEvent.objects.filter(action=AuditEvent.Action.UNIT_STAFF_LEFT).exists()


def test_a_new_link_stops_the_old_and_only_admins_make_one(staff_shopper):
    unit, admin, shopper, old = staff_shopper
    buyer = joined(unit, by=admin).user  # the unit's buyer, not an admin
    refused = english(buyer).post(
        reverse("procurement:staff_link_make", args=[unit.pk]), follow=True
    )
    assert "Only the unit's admins can do this." in text(refused)
    new = make_link(admin, unit)
    assert (
        english(UserFactory())
        .get(reverse("procurement:staff_join", args=[old]))
        .status_code
        == 404
    )
    assert (
        english(UserFactory())
        .get(reverse("procurement:staff_join", args=[new]))
        .status_code
        == 200
    )
    # Those who joined by the old link keep shopping as staff.
    assert StaffShopper.objects.get(user=shopper).unit == unit
    assert WorkUnit.objects.get(pk=unit.pk).staff_link_hash not in (old, new)


def test_a_member_of_another_unit_or_a_farmer_cannot_join(staff_shopper, staff):
    unit, _admin, _shopper, token = staff_shopper
    other, _ = unit_register(
        name="另一单位", name_en="", kind="school", county=unit.county, actor=staff
    )
    other_admin = UserFactory(role=Role.BUYER)
    joined(other, "admin", by=staff, user=other_admin)
    url = reverse("procurement:staff_join", args=[token])
    page = text(english(other_admin).post(url, follow=True))
    assert "your purchases count toward it only" in page
    farmer = ProductFactory().farmer.user
    page = text(english(farmer).post(url, follow=True))
    assert "Only a buyer's account can shop as a unit's staff." in page
    assert StaffShopper.objects.count() == 1


def test_an_order_paid_before_joining_is_not_the_units(unit_and_admin):
    unit, admin = unit_and_admin
    token = make_link(admin, unit)
    shopper = UserFactory(role=Role.BUYER)
    honey = ProductFactory(status=ProductStatus.ACTIVE, price=Decimal("88.00"))
    earlier = order_pay(order=place_order(buyer=shopper, product=honey))
    english(shopper).post(reverse("procurement:staff_join", args=[token]))
    assert StaffShopper.objects.filter(user=shopper).exists()
    order_ship(
        order=earlier,
        actor=earlier.farmer.user,
        carrier="other",
        tracking_number="E0003",
    )
    order_complete(order=earlier, actor=shopper)
    assert not StaffPurchase.objects.exists()
    assert staff_value(unit) == 0


def test_joining_a_unit_as_a_member_ends_shopping_for_another(staff_shopper, staff):
    unit, _admin, shopper, _token = staff_shopper
    other, token = unit_register(
        name="另一医院", name_en="", kind="hospital", county=unit.county, actor=staff
    )
    invite_accept(invite=invite_by_token(token), user=shopper)
    assert not StaffShopper.objects.filter(user=shopper).exists()
    assert other.members.filter(user=shopper).exists()
