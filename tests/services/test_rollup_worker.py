"""The rollup through a real Celery worker on Redis and PostgreSQL: an order change
marks its day dirty, the task sent through Redis rebuilds it, and the rows equal a
direct aggregate of the orders."""

import pytest
from django.db.models import Sum

from catalogue.models import ProductStatus
from orders.models import DirtyDay, OrderLine
from reports.models import DailySales
from reports.tasks import rebuild_dirty_days
from tests.factories import ProductFactory, order_pay, place_order
from tests.services.stack import STARTUP_SECONDS, running, wait_for

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]


def test_a_worker_rebuilds_the_dirty_day(stack_env, tmp_path):
    product = ProductFactory(status=ProductStatus.ACTIVE, stock=50)
    for quantity in (1, 2, 3):
        order_pay(order=place_order(product=product, quantity=quantity))
    assert DirtyDay.objects.count() == 1
    log = tmp_path / "worker.log"
    with running("worker", stack_env, log) as worker:
        wait_for(lambda: "ready." in log.read_text(), worker, log)
        days = rebuild_dirty_days.delay().get(timeout=STARTUP_SECONDS)
        again = rebuild_dirty_days.delay().get(timeout=STARTUP_SECONDS)
    assert len(days) == 1 and again == []
    assert not DirtyDay.objects.exists()
    row = DailySales.objects.get()
    lines = OrderLine.objects.aggregate(gmv=Sum("line_total"), units=Sum("quantity"))
    assert (row.gmv, row.units, row.orders) == (lines["gmv"], lines["units"], 3)
    assert "reports.tasks.rebuild_dirty_days" in log.read_text()


def test_two_rebuilds_of_one_month_at_once_keep_one_set_of_rows():
    """Each rebuild replaces its month's farmer rows; run together they must not
    each keep the other's (the rebuilds take turns)."""
    from datetime import date, datetime

    from django.utils import timezone

    from orders.models import Order
    from reports import rollups
    from reports.models import MonthlyFarmerSales
    from tests.services.test_people_concurrency import run_together

    product = ProductFactory(status=ProductStatus.ACTIVE, stock=50)
    for day in (1, 2):
        order = order_pay(order=place_order(product=product, quantity=day))
        Order.objects.filter(pk=order.pk).update(
            paid_at=datetime(2018, 3, day, 12, tzinfo=timezone.get_current_timezone())
        )
    expected = OrderLine.objects.aggregate(gmv=Sum("line_total"))["gmv"]
    for _ in range(5):
        outcomes = run_together(
            [lambda d=day: rollups.rebuild_day(date(2018, 3, d)) for day in (1, 2)]
        )
        assert not [o for o in outcomes if isinstance(o, Exception)], outcomes
        total = MonthlyFarmerSales.objects.aggregate(gmv=Sum("gmv"))["gmv"]
        assert total == expected
