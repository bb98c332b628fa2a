"""The rollups equal a direct aggregate of the orders (also after refunds and
cancellations days later), a rebuild twice is identical, and only dirty days are
rebuilt."""

from datetime import datetime, timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.db.models import Count, Q, Sum
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.models import Role
from catalogue.models import ProductStatus
from orders.models import DirtyDay, Order, OrderLine
from orders.services.dirty_days import dirty_day_mark
from orders.services.transitions import (
    order_cancel,
    order_complete,
    order_refund,
    order_ship,
)
from reports import rollups
from reports.models import DailyCategorySales, DailySales, MonthlyFarmerSales
from tests.factories import (
    AssignmentFactory,
    ProductFactory,
    UserFactory,
    order_pay,
    place_order,
)

pytestmark = pytest.mark.django_db
TZ = timezone.get_current_timezone()


def at(day: int, hour: int = 10, month: int = 3) -> datetime:
    return datetime(2018, month, day, hour, tzinfo=TZ)


def paid_order(product, quantity, when, buyer=None):
    order = order_pay(
        order=place_order(buyer=buyer, product=product, quantity=quantity)
    )
    Order.objects.filter(pk=order.pk).update(paid_at=when)
    order.refresh_from_db()
    dirty_day_mark(order)
    return order


@pytest.fixture
def sales():
    assignment = AssignmentFactory()
    honey = ProductFactory(
        status=ProductStatus.ACTIVE,
        farmer=assignment.farmer,
        price=Decimal("10.00"),
        stock=500,
    )
    tea = ProductFactory(status=ProductStatus.ACTIVE, price=Decimal("33.30"), stock=500)
    buyer = UserFactory()
    orders = [
        paid_order(honey, 2, at(1), buyer),
        paid_order(honey, 1, at(1, 23, 3), buyer),  # 23:00 local: still March 1st
        paid_order(tea, 3, at(1, 1)),  # 01:00 local = the evening before in UTC
        paid_order(tea, 1, at(2)),
        paid_order(honey, 5, at(30, 12, 4)),
    ]
    DirtyDay.objects.all().delete()
    rollups.rebuild_all()
    return orders


def paid_lines(first, last):
    """The lines paid from local day `first` to `last`, both included."""
    start = datetime.combine(first, datetime.min.time(), TZ)
    end = datetime.combine(last, datetime.min.time(), TZ) + timedelta(days=1)
    return OrderLine.objects.filter(order__paid_at__gte=start, order__paid_at__lt=end)


def direct(day):
    return paid_lines(day, day).aggregate(
        gmv=Sum("line_total"),
        units=Sum("quantity"),
        orders=Count("order", distinct=True),
        buyers=Count("order__buyer", distinct=True),
    )


def rolled(day):
    return DailySales.objects.filter(day=day).aggregate(
        gmv=Sum("gmv"), units=Sum("units"), orders=Sum("orders"), buyers=Sum("buyers")
    )


def test_rollups_equal_a_direct_aggregate(sales):
    for day in (at(1).date(), at(2).date(), at(30, 12, 4).date()):
        assert rolled(day) == direct(day), day
    march_1 = DailySales.objects.filter(day=at(1).date())
    assert march_1.aggregate(n=Sum("orders"))["n"] == 3
    honey_row = march_1.get(assistant__isnull=False)
    assert (honey_row.gmv, honey_row.units, honey_row.buyers) == (
        Decimal("30.00"),
        3,
        1,
    )
    categories = DailyCategorySales.objects.filter(day=at(1).date()).aggregate(
        gmv=Sum("gmv")
    )
    assert categories["gmv"] == direct(at(1).date())["gmv"]
    months = dict(
        MonthlyFarmerSales.objects.values_list("month", "gmv")
        .order_by("month")
        .distinct()
    )
    assert set(months) == {
        at(1).date().replace(day=1),
        at(30, 12, 4).date().replace(day=1),
    }


def month_of_lines(month):
    """The month's paid lines, aggregated directly (as each monthly table must
    add up to)."""
    closed = Q(order__status__in=["cancelled", "refunded"])
    return paid_lines(month, rollups.month_end(month)).aggregate(
        gmv=Sum("line_total"),
        units=Sum("quantity"),
        orders=Count("order", distinct=True),
        refunds=Sum("line_total", filter=closed, default=Decimal("0.00")),
    )


def months_add_up(model):
    for month in model.objects.values_list("month", flat=True).distinct():
        rows = model.objects.filter(month=month).aggregate(
            gmv=Sum("gmv"),
            units=Sum("units"),
            orders=Sum("orders"),
            refunds=Sum("refunds"),
        )
        assert rows == month_of_lines(month), (model.__name__, month)


@pytest.mark.parametrize("model", list(rollups.MONTHLY), ids=lambda m: m.__name__)
def test_each_monthly_table_adds_up_to_its_months_orders(sales, model):
    months_add_up(model)
    staff = UserFactory(role=Role.STAFF)
    order_refund(order=sales[0], actor=staff)
    rollups.rebuild_dirty()
    months_add_up(model)
    assert model.objects.filter(refunds__gt=0).exists()


def test_refunds_and_cancellations_days_later_update_the_sale_day(sales):
    first, _late, _early, tea_day_2, april = sales
    staff = UserFactory(role=Role.STAFF)
    order_refund(order=first, actor=staff)
    order_cancel(order=tea_day_2, actor=tea_day_2.buyer)
    order_ship(
        order=april, actor=april.farmer.user, carrier="other", tracking_number="E1234"
    )
    order_complete(order=april, actor=april.buyer)
    dirty = set(DirtyDay.objects.values_list("day", flat=True))
    assert dirty == {at(1).date(), at(2).date(), at(30, 12, 4).date()}
    rebuilt = rollups.rebuild_dirty()
    assert set(rebuilt) == dirty and not DirtyDay.objects.exists()
    day_1 = DailySales.objects.filter(day=at(1).date()).aggregate(
        refunds=Sum("refunds"), gmv=Sum("gmv")
    )
    assert day_1 == {"refunds": Decimal("20.00"), "gmv": direct(at(1).date())["gmv"]}
    assert DailySales.objects.get(day=at(2).date()).refunds == Decimal("33.30")
    assert DailySales.objects.get(day=at(30, 12, 4).date()).completed == Decimal(
        "50.00"
    )


def snapshot():
    return [
        sorted(
            model.objects.values_list(
                *[f.attname for f in model._meta.fields if f.attname != "id"]
            )
        )
        for model in [*rollups.DAILY, *rollups.MONTHLY]
    ]


def test_rebuilding_twice_is_identical(sales):
    before = snapshot()
    rollups.rebuild_all()
    assert snapshot() == before
    for day in (at(1).date(), at(2).date()):
        rollups.rebuild_day(day)
        rollups.rebuild_day(day)
    assert snapshot() == before
    rollups.rebuild_all(since=at(2).date())
    assert snapshot() == before


def test_a_day_rebuilds_the_monthly_rows_of_the_keys_it_had_and_has(sales):
    """Honey's sales move from March 1st to April 2nd (keys leave one day and
    month and join another); the monthly rows of keys neither day had stay
    untouched."""
    other = paid_order(ProductFactory(status=ProductStatus.ACTIVE, stock=9), 1, at(9))
    rollups.rebuild_dirty()
    march = at(1).date().replace(day=1)
    untouched = rollups.MONTHLY[MonthlyFarmerSales].daily_model.objects.get(
        day=at(9).date()
    )
    marker = MonthlyFarmerSales.objects.filter(month=march, farmer=other.farmer)
    marker.update(units=999)
    for order in sales[:2]:
        dirty_day_mark(order)
        Order.objects.filter(pk=order.pk).update(paid_at=at(2, 15, 4))
        order.refresh_from_db()
        dirty_day_mark(order)
    assert rollups.rebuild_dirty() == [at(1).date(), at(2, 15, 4).date()]
    assert marker.get().units == 999  # not a key of either day: kept
    marker.update(units=untouched.units)
    rebuilt = snapshot()
    rollups.rebuild_all()
    assert snapshot() == rebuilt


def test_only_dirty_days_are_rebuilt(sales):
    DailySales.objects.filter(day=at(2).date()).update(gmv=Decimal("999"))  # a marker
    staff = UserFactory(role=Role.STAFF)
    order_refund(order=sales[0], actor=staff)
    assert rollups.rebuild_dirty() == [at(1).date()]
    assert DailySales.objects.get(day=at(2).date()).gmv == Decimal("999")


def test_a_dirty_day_costs_the_same_queries_whatever_the_history(sales):
    product = ProductFactory(status=ProductStatus.ACTIVE, stock=500)
    dirty_day_mark(sales[0])
    with CaptureQueriesContext(connection) as few:
        rollups.rebuild_dirty()
    for day in range(3, 20):
        paid_order(product, 1, at(day))
    DirtyDay.objects.all().delete()
    dirty_day_mark(sales[0])
    with CaptureQueriesContext(connection) as many:
        rollups.rebuild_dirty()
    assert len(many) == len(few)


def test_the_command_and_the_tasks(sales):
    import io

    from django.core.management import CommandError, call_command

    from reports.tasks import nightly_rollup, rebuild_dirty_days

    before = snapshot()
    DailySales.objects.all().delete()
    call_command("rebuild_rollups", stdout=io.StringIO())
    assert snapshot() == before
    call_command("rebuild_rollups", "--since", "2018-03-02", stdout=io.StringIO())
    assert snapshot() == before
    with pytest.raises(CommandError):
        call_command("rebuild_rollups", "--since", "March", stdout=io.StringIO())
    dirty_day_mark(sales[0])
    assert rebuild_dirty_days() == ["2018-03-01"]
    assert rebuild_dirty_days() == []
    yesterday = (timezone.localdate() - timedelta(days=1)).isoformat()
    assert nightly_rollup() == [yesterday]
    assert snapshot() == before


def test_the_seeded_year_rolls_up_to_the_orders():
    import io

    from django.core.management import call_command

    call_command("seed_demo", stdout=io.StringIO())
    rolled = DailySales.objects.aggregate(gmv=Sum("gmv"), orders=Sum("orders"))
    paid = Order.objects.filter(paid_at__isnull=False)
    assert rolled == {
        "gmv": paid.aggregate(total=Sum("total"))["total"],
        "orders": paid.count(),
    }
