"""Reports catch up by themselves without a broker (issue 15, item 10): in
embedded mode (`make run`: SQLite, tasks in-process, no beat) an order change
rebuilds its sale day when its transaction commits, so a paid order is in the
county sales report at once, with no command run. With a broker the day stays
marked for beat's `rebuild_dirty_days`, as before. And orders never import
reports: reports listens to the orders' `sale_changed` signal."""

import ast
import re
from decimal import Decimal
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role
from catalogue.models import ProductStatus
from orders.models import DirtyDay, OrderLine, OrderStatus
from reports.models import DailySales
from tests.factories import (
    AssignmentFactory,
    ProductFactory,
    UserFactory,
    order_pay,
    place_checkout,
    place_order,
)

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
GMV = re.compile(r'id="figure-gmv"><dt>[^<]*</dt><dd>([^<]*)</dd>')


def gmv_shown(client, county) -> str:
    month = timezone.localdate().strftime("%Y-%m")
    page = client.get(
        reverse("reports:county_sales"),
        {"county": county.code, "start": month, "end": month},
    )
    assert page.status_code == 200
    return GMV.search(page.content.decode()).group(1)


@pytest.fixture
def shop():
    """A farmer of County C with two listings, and the county's official."""
    assignment = AssignmentFactory()
    farmer = assignment.farmer
    honey, walnuts = (
        ProductFactory(
            farmer=farmer, status=ProductStatus.ACTIVE, price=price, stock=50
        )
        for price in (Decimal("68.00"), Decimal("32.50"))
    )
    county = farmer.household.village.county
    official = UserFactory(role=Role.OFFICIAL)
    official.counties.add(county)
    return county, official, honey, walnuts


def test_a_paid_order_is_in_the_county_sales_report_without_any_command(
    client, settings, shop, django_capture_on_commit_callbacks
):
    settings.EMBEDDED = True  # as under `make run`, whatever this run's REDIS_URL
    county, official, honey, walnuts = shop
    buyer = UserFactory(role=Role.BUYER)
    with django_capture_on_commit_callbacks(execute=True):
        placed = place_checkout(buyer, [(honey, 2), (walnuts, 3)])
    payment = placed.payments.get()

    # The buyer pays on the simulated gateway's page (its signed callback).
    client.force_login(buyer)
    with django_capture_on_commit_callbacks(execute=True):
        paid = client.post(reverse("orders:gateway", args=[payment.reference]))
    assert paid.status_code == 302
    assert set(placed.orders.values_list("status", flat=True)) == {OrderStatus.PAID}

    # No command, no beat: the day was rebuilt when the payment committed.
    assert not DirtyDay.objects.exists()
    lines = OrderLine.objects.filter(order__checkout=placed)
    sold = sum(line.quantity * line.unit_price for line in lines)
    assert sold == Decimal("233.50")  # 2 × 68.00 + 3 × 32.50
    client.force_login(official)
    assert gmv_shown(client, county) == f"¥{sold}"


def test_a_cancelled_sale_leaves_the_report_at_once(
    client, settings, shop, django_capture_on_commit_callbacks
):
    """Every order change, not only payment: a paid order cancelled by its buyer
    is a refund in the rollup straight away."""
    settings.EMBEDDED = True
    county, official, honey, _walnuts = shop
    with django_capture_on_commit_callbacks(execute=True):
        order = order_pay(order=place_order(product=honey, quantity=1))
    assert DailySales.objects.get().refunds == 0
    client.force_login(order.buyer)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("orders:act", args=[order.pk, "cancel"]))
    order.refresh_from_db()
    assert order.status == OrderStatus.CANCELLED
    assert DailySales.objects.get().refunds == Decimal("68.00")
    assert not DirtyDay.objects.exists()


def test_with_a_broker_the_day_waits_for_beat(
    settings, shop, django_capture_on_commit_callbacks
):
    """With Redis, rebuilding stays the 5-minute beat job's (one rebuild for many
    changes): the payment only marks its day."""
    settings.EMBEDDED = False
    _county, _official, honey, _walnuts = shop
    with django_capture_on_commit_callbacks(execute=True):
        order = order_pay(order=place_order(product=honey, quantity=1))
    assert list(DirtyDay.objects.values_list("day", flat=True)) == [
        timezone.localdate(order.paid_at)
    ]
    assert not DailySales.objects.exists()


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(), filename=str(path))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def test_orders_do_not_import_reports():
    """Reports sit above orders (they read orders); orders tell them through
    orders.signals.sale_changed, which reports connect in their AppConfig."""
    offenders = {
        str(path.relative_to(ROOT)): sorted(
            name
            for name in imported_modules(path)
            if name == "reports" or name.startswith("reports.")
        )
        for path in (ROOT / "orders").rglob("*.py")
    }
    assert {path: names for path, names in offenders.items() if names} == {}
