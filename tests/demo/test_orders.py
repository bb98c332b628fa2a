"""seed_demo's orders: every status in the small preset, each order as the services
would have left it, and a year's sales that reach the target with its seasons."""

import io
import random
from datetime import datetime, timedelta
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db.models import DecimalField, F, OuterRef, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce, ExtractMonth
from django.utils import timezone

from accounts.models import User
from assistants.models import Assignment
from demo.order_plans import THIS_MONTH, day_weight, this_month_label
from demo.orders import checkouts_of_set, seed_year_orders
from demo.shoppers import CHINA, SMALL_REFERENCE
from orders.models import (
    Checkout,
    Order,
    OrderEvent,
    OrderLine,
    OrderStatus,
    Payment,
    PaymentProviderCode,
    PaymentStatus,
    Refund,
    Shipment,
)

pytestmark = pytest.mark.django_db

S = OrderStatus
E = OrderEvent.Type
HALF_CENT = Decimal("0.005")
ZERO = Value(Decimal("0"), output_field=DecimalField(max_digits=12, decimal_places=2))
PROGRESS = ["paid_at", "shipped_at", "delivered_at", "completed_at"]
REACHED = {
    S.PENDING_PAYMENT: 0,
    S.PAID: 1,
    S.SHIPPED: 2,
    S.DELIVERED: 3,
    S.COMPLETED: 4,
}
EVENT_FIELD = {
    E.PLACED: "placed_at",
    E.CONFIRMED: "placed_at",
    E.PAID: "paid_at",
    E.SHIPPED: "shipped_at",
    E.DELIVERED: "delivered_at",
    E.COMPLETED: "completed_at",
    E.CANCELLED: "closed_at",
    E.EXPIRED: "closed_at",
    E.REFUNDED: "closed_at",
}
SMALL_FARMERS = ["demo_farmer"] + [f"demo_farmer_{i:02d}" for i in range(2, 13)]


@pytest.fixture
def small():
    call_command("seed_demo")


def off(queryset, gap):
    """The rows where `gap` is more than half a cent either way."""
    return queryset.annotate(gap=gap).filter(
        Q(gap__gt=HALF_CENT) | Q(gap__lt=-HALF_CENT)
    )


def test_small_preset_has_about_300_orders_in_every_status(small):
    assert 250 <= Order.objects.count() <= 350
    statuses = set(Order.objects.values_list("status", flat=True).distinct())
    assert statuses == set(S.values)
    # Spread over the 90 days before the fixed reference date.
    assert Order.objects.filter(placed_at__lt=SMALL_REFERENCE - timedelta(60)).exists()
    buyers = set(Order.objects.values_list("buyer__username", flat=True).distinct())
    assert "demo_buyer" in buyers and len(buyers) == 5


def test_totals_add_up_in_lines_orders_checkouts_and_payments(small):
    lines = OrderLine.objects.all()
    assert not off(lines, F("line_total") - F("unit_price") * F("quantity")).exists()
    orders = Order.objects.all()
    assert not off(orders, F("total") - Sum("lines__line_total")).exists()
    checkouts = Checkout.objects.all()
    assert not off(checkouts, F("total") - Sum("orders__total")).exists()
    payments = Payment.objects.all()
    assert payments.count() == checkouts.count()
    # On delivery, an order closed before it was collected is not to collect.
    dropped = Coalesce(
        Sum(
            "checkout__orders__total",
            filter=Q(
                provider=PaymentProviderCode.ON_DELIVERY,
                checkout__orders__status__in=[S.CANCELLED, S.REFUNDED],
                checkout__orders__completed_at__isnull=True,
            ),
        ),
        ZERO,
    )
    assert not off(payments, F("amount") + dropped - F("checkout__total")).exists()
    assert payments.annotate(dropped=dropped).filter(dropped__gt=0).exists()


def test_payments_match_how_each_checkout_was_paid(small):
    online = Checkout.objects.filter(provider=PaymentProviderCode.SIMULATED)
    paid_online = online.filter(orders__paid_at__isnull=False).distinct()
    paid = Payment.objects.filter(status=PaymentStatus.PAID)
    assert paid.count() == paid_online.count() > 0
    assert set(paid.values_list("checkout", flat=True)) == set(
        paid_online.values_list("pk", flat=True)
    )
    assert not paid.filter(Q(transaction_id__isnull=True) | Q(paid_at__isnull=True))
    assert not Order.objects.filter(
        checkout__payments__status=PaymentStatus.PAID
    ).exclude(paid_at=F("checkout__payments__paid_at"))
    unpaid = Payment.objects.exclude(status=PaymentStatus.PAID)
    assert not unpaid.filter(Q(transaction_id__isnull=False) | Q(paid_at__isnull=False))
    # Collected on delivery, then refunded: the money went back in cash.
    cash_back = Coalesce(
        Sum(
            "checkout__orders__total",
            filter=Q(
                checkout__orders__status=S.REFUNDED,
                checkout__orders__completed_at__isnull=False,
            ),
        ),
        ZERO,
    )
    assert not off(unpaid, F("refunded") - cash_back).exists()
    assert unpaid.filter(refunded__gt=0).exists()
    assert Refund.objects.filter(payment__in=unpaid).count() == (
        Order.objects.filter(
            checkout__provider=PaymentProviderCode.ON_DELIVERY,
            status=S.REFUNDED,
            completed_at__isnull=False,
        ).count()
    )
    # Money goes back for every cancelled or refunded order that was paid online.
    returned = Coalesce(
        Sum(
            "checkout__orders__total",
            filter=Q(checkout__orders__status__in=[S.CANCELLED, S.REFUNDED]),
        ),
        ZERO,
    )
    assert not off(paid, F("refunded") - returned).exists()
    assert paid.filter(refunded__gt=0).exists()
    on_delivery = Payment.objects.filter(provider=PaymentProviderCode.ON_DELIVERY)
    assert on_delivery.exists()
    assert not on_delivery.filter(status=PaymentStatus.PAID).exists()


def test_orders_record_the_farmers_village_county_and_assistant(small):
    orders = Order.objects.all()
    assert not orders.exclude(village=F("farmer__household__village")).exists()
    assert not orders.exclude(county=F("farmer__household__village__county")).exists()
    current = Assignment.objects.filter(farmer=OuterRef("farmer"), ended_on=None)
    pairs = set(
        orders.annotate(current=Subquery(current.values("assistant")[:1]))
        .values_list("assistant", "current")
        .distinct()
    )
    assert all(assistant == now for assistant, now in pairs)
    assert (None, None) in pairs  # the small team's unassigned farmer sells too
    lines = OrderLine.objects.all()
    assert not lines.exclude(title=F("product__title")).exists()
    assert not lines.exclude(unit=F("product__unit")).exists()
    assert not lines.exclude(unit_price=F("product__price")).exists()
    assert not lines.exclude(product__status="active").exists()


def test_timestamps_follow_the_status(small):
    now = timezone.now()
    for status, reached in REACHED.items():
        rows = Order.objects.filter(status=status)
        for field in PROGRESS[:reached]:
            assert not rows.filter(**{f"{field}__isnull": True}).exists(), field
        for field in PROGRESS[reached:]:
            assert not rows.filter(**{f"{field}__isnull": False}).exists(), field
        assert not rows.filter(closed_at__isnull=False).exists()
    closed = Order.objects.filter(status__in=[S.CANCELLED, S.REFUNDED])
    assert not closed.filter(closed_at__isnull=True).exists()
    pending = Order.objects.filter(status=S.PENDING_PAYMENT)
    assert not pending.filter(Q(expires_at__isnull=True) | Q(expires_at__lte=now))
    assert not Order.objects.exclude(status=S.PENDING_PAYMENT).filter(
        expires_at__isnull=False
    )
    for earlier, later in zip(["placed_at", *PROGRESS], PROGRESS, strict=False):
        assert not Order.objects.filter(**{f"{later}__lt": F(earlier)}).exists()
    # The pinned history; demo_farmer's month so far is tested in
    # tests/demo/test_seed_demo.py.
    this_month = checkouts_of_set(this_month_label(now), len(THIS_MONTH))
    assert this_month.count() == len(THIS_MONTH)
    history = Order.objects.exclude(status=S.PENDING_PAYMENT).exclude(
        checkout__in=this_month
    )
    assert not history.filter(placed_at__lt=SMALL_REFERENCE - timedelta(91)).exists()
    for field in ["placed_at", "completed_at", "closed_at"]:
        assert not history.filter(**{f"{field}__gt": SMALL_REFERENCE}).exists()
    placed = Order.objects.filter(checkout=OuterRef("pk")).values("placed_at")[:1]
    checkouts = Checkout.objects.annotate(placed=Subquery(placed))
    assert not checkouts.exclude(created_at=F("placed")).exists()
    assert not Payment.objects.exclude(created_at=F("checkout__created_at")).exists()


def test_every_transition_has_its_event_by_the_right_actor(small):
    events = OrderEvent.objects.all()
    for event_type, field in EVENT_FIELD.items():
        of_type = events.filter(type=event_type)
        assert not of_type.exclude(created_at=F(f"order__{field}")).exists(), field
    assert events.filter(type=E.PLACED).count() == Order.objects.count()
    assert not events.filter(type=E.PLACED).exclude(actor=F("order__buyer")).exists()
    assert not events.filter(type=E.COMPLETED).exclude(actor=F("order__buyer"))
    for farmer_move in [E.SHIPPED, E.DELIVERED]:
        moves = events.filter(type=farmer_move)
        assert not moves.exclude(actor=F("order__farmer__user")).exists()
    staff = User.objects.get(username="demo_staff")
    assert set(events.filter(type=E.REFUNDED).values_list("actor", flat=True)) == {
        staff.pk
    }
    assert not events.filter(type__in=[E.PAID, E.EXPIRED], actor__isnull=False)
    assert events.filter(type=E.EXPIRED).exists()
    for status, event_type in [
        (S.PAID, E.PAID),
        (S.SHIPPED, E.SHIPPED),
        (S.DELIVERED, E.DELIVERED),
        (S.COMPLETED, E.COMPLETED),
        (S.REFUNDED, E.REFUNDED),
    ]:
        orders = Order.objects.filter(status=status)
        with_event = orders.filter(events__type=event_type).distinct()
        if event_type == E.PAID:  # or confirmed, when paying on delivery
            with_event = orders.filter(
                events__type__in=[E.PAID, E.CONFIRMED]
            ).distinct()
        assert with_event.count() == orders.count(), status


def test_shipped_orders_have_their_shipment(small):
    shipped = Order.objects.filter(shipped_at__isnull=False)
    assert shipped.count() == Shipment.objects.count() > 0
    assert not shipped.filter(shipment__isnull=True).exists()
    shipments = Shipment.objects.all()
    assert not shipments.exclude(shipped_at=F("order__shipped_at")).exists()
    assert not shipments.exclude(shipped_by=F("order__farmer__user")).exists()


def test_a_second_run_adds_no_orders(small):
    counts = (
        Order.objects.count(),
        OrderEvent.objects.count(),
        Payment.objects.count(),
    )
    call_command("seed_demo")
    assert (
        Order.objects.count(),
        OrderEvent.objects.count(),
        Payment.objects.count(),
    ) == counts


def test_day_weights_peak_at_spring_festival_harvest_and_double_11():
    june = datetime(2018, 6, 13).date()
    assert day_weight(datetime(2018, 11, 11).date()) > 5 * day_weight(june)
    assert day_weight(datetime(2018, 2, 1).date()) > day_weight(june)
    assert day_weight(datetime(2018, 2, 16).date()) < day_weight(june)  # couriers off
    assert day_weight(datetime(2018, 10, 10).date()) > day_weight(june)


def test_a_year_of_sales_reaches_its_target_with_seasons(small):
    """The county-c-2018 generator at a small scale: the same code aims the full
    preset at 10 million yuan with 2,000 farmers."""
    target = Decimal("150000")
    seed = {
        "farmer_names": SMALL_FARMERS,
        "buyer_names": [f"test_buyer_{i}" for i in range(40)],
        "password": "!",
        "staff": User.objects.get(username="demo_staff"),
        "year": 2018,
        "completed_sales": target,
        "label": "test-2018",
    }
    written = seed_year_orders(random.Random(1), **seed)
    year = Order.objects.filter(
        placed_at__gte=datetime(2018, 1, 1, tzinfo=CHINA),
        placed_at__lt=datetime(2019, 1, 1, tzinfo=CHINA),
    )
    assert year.count() == written
    completed = year.filter(status=S.COMPLETED)
    sales = completed.aggregate(sales=Sum("total"))["sales"]
    assert target <= sales <= target * Decimal("1.03")
    assert completed.count() > 0.9 * written
    assert set(year.values_list("status", flat=True).distinct()) == {
        S.COMPLETED,
        S.CANCELLED,
        S.REFUNDED,
    }
    by_month = dict(
        completed.annotate(month=ExtractMonth("placed_at", tzinfo=CHINA))
        .values_list("month")
        .annotate(sales=Sum("total"))
    )
    assert len(by_month) == 12
    assert by_month[11] > by_month[6]
    assert by_month[11] == max(by_month.values())
    assert by_month[1] > by_month[7] and by_month[10] > by_month[7]
    typical = completed.aggregate(
        low=Sum("total", filter=Q(total__lt=20)),
        high=Sum("total", filter=Q(total__gt=1000)),
    )
    assert (typical["low"] or 0) + (typical["high"] or 0) < sales / 10
    assert seed_year_orders(random.Random(1), **seed) == 0  # idempotent
    assert Order.objects.filter(placed_at__year=2018).count() == written


def test_seeded_sold_counts_match_the_seeded_orders():
    from catalogue.models import Product
    from orders.models import SOLD

    call_command("seed_demo", stdout=io.StringIO())
    sold = (
        OrderLine.objects.filter(product=OuterRef("pk"), order__status__in=SOLD)
        .values("product")
        .annotate(units=Sum("quantity"))
        .values("units")
    )
    products = Product.objects.annotate(expected=Coalesce(Subquery(sold), 0))
    assert products.filter(units_sold__gt=0).exists()
    assert not products.exclude(units_sold=F("expected")).exists()
