"""Figure 5: checkout throughput with 16 concurrent buyers on overlapping products
(each a process of its own, through the cart and checkout services, as the page
calls them), then the same buyers racing for a little stock until it is gone, and
the units sold counted against the stock: zero oversold."""

import multiprocessing
import random
import statistics
import time
import uuid
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import connection, connections
from django.db.models import Count, Sum
from django.db.models.functions import TruncHour

from accounts.models import Role, User
from bench.pages import percentile
from bench.results import AT_LEAST, AT_MOST, Figure
from catalogue.models import Product, ProductStatus
from orders.carts import cart_view
from orders.models import Address, Cart, Order, OrderLine, PaymentProviderCode
from orders.services.cart import cart_add
from orders.services.checkout import checkout_place

BUYERS = 16
HOT_PRODUCTS = 8  # every basket takes two of these, so buyers overlap
PLENTY = 1_000_000  # stock in the throughput run: nobody is refused
SCARCE = 10  # stock of each hot product in the race
RACE_SECONDS = 30  # at most: the race ends when the stock is gone
STARTUP_SECONDS = 1  # for the buyers' processes to connect before the start
PEAK_HOUR_FACTOR = 10  # the throughput target: 10 × the history's busiest hour


@dataclass
class Outcome:
    checkouts: int = 0
    orders: int = 0
    refused: int = 0
    latencies_ms: list[float] | None = None


def _buyer(job: tuple[int, list[int], float, float, int]) -> Outcome:
    """One buyer placing two-product checkouts from `start` until `deadline`
    (both on the monotonic clock), or until the hot products are sold out."""
    buyer_id, hot, start, deadline, seed = job
    rng = random.Random(seed)
    buyer = User.objects.get(pk=buyer_id)
    address = Address.objects.filter(buyer=buyer).first()
    cart, _created = Cart.objects.get_or_create(buyer=buyer)
    outcome = Outcome(latencies_ms=[])
    time.sleep(max(0.0, start - time.monotonic()))
    while time.monotonic() < deadline:
        cart.items.all().delete()
        try:
            for product_id in rng.sample(hot, 2):
                cart_add(cart=cart, product_id=product_id, quantity=rng.randint(1, 2))
            placing = time.perf_counter()
            checkout = checkout_place(
                buyer=buyer,
                cart=cart,
                address=address,
                provider=PaymentProviderCode.ON_DELIVERY,
                idempotency_key=uuid.uuid4(),
                quote=cart_view(cart, to=address.province).quote,
            )
        except ValidationError:
            outcome.refused += 1
            # A basket takes two products: with one left in stock, none can pass.
            if Product.objects.filter(pk__in=hot, stock__gt=0).count() < 2:
                break
            continue
        outcome.latencies_ms.append((time.perf_counter() - placing) * 1000)
        outcome.checkouts += 1
        outcome.orders += checkout.orders.count()
    connection.close()
    return outcome


def _race(buyers: list[int], hot: list[int], seconds: float) -> Outcome:
    """Every buyer in its own process, all starting together once every process
    is up, for `seconds`; their outcomes summed."""
    connections.close_all()  # each process opens its own
    start = time.monotonic() + STARTUP_SECONDS
    jobs = [(buyer, hot, start, start + seconds, n) for n, buyer in enumerate(buyers)]
    with multiprocessing.get_context("fork").Pool(len(buyers)) as pool:
        outcomes = pool.map(_buyer, jobs)
    total = Outcome(latencies_ms=[])
    for outcome in outcomes:
        total.checkouts += outcome.checkouts
        total.orders += outcome.orders
        total.refused += outcome.refused
        total.latencies_ms += outcome.latencies_ms
    return total


def _busiest_hour() -> int:
    """The most orders placed in one hour of the loaded history."""
    busiest = (
        Order.objects.annotate(hour=TruncHour("placed_at"))
        .values("hour")
        .annotate(n=Count("pk"))
        .order_by("-n")
        .first()
    )
    return busiest["n"] if busiest else 0


def checkout_figures(results, seconds: int) -> None:
    busiest = _busiest_hour()
    hot = list(
        Product.objects.filter(status=ProductStatus.ACTIVE)
        .order_by("pk")
        .values_list("pk", flat=True)[:HOT_PRODUCTS]
    )
    buyers = list(
        User.objects.filter(role=Role.BUYER, addresses__isnull=False)
        .order_by("pk")
        .values_list("pk", flat=True)[:BUYERS]
    )
    # Throughput: stock to spare, so every checkout is placed.
    Product.objects.filter(pk__in=hot).update(stock=PLENTY)
    outcome = _race(buyers, hot, seconds)
    throughput = outcome.orders / seconds
    target = round(max(busiest / 3600 * PEAK_HOUR_FACTOR, 1.0), 2)
    p95 = percentile(outcome.latencies_ms, 0.95) if outcome.latencies_ms else 0
    results.add(
        Figure(
            5,
            "checkout_orders_per_second",
            f"Checkout throughput, {BUYERS} buyers on {HOT_PRODUCTS} products",
            round(throughput, 1),
            "orders/s",
            target,
            AT_LEAST,
            note=f"{outcome.checkouts} checkouts ({outcome.orders} orders) in "
            f"{seconds} s, {outcome.refused} refused; placement p50 "
            f"{statistics.median(outcome.latencies_ms or [0]):.0f} ms, "
            f"p95 {p95:.0f} ms; "
            f"target {PEAK_HOUR_FACTOR} × the busiest hour of the history "
            f"({busiest} orders)",
        )
    )
    # The race: a little stock each, buyers until it is gone; then count.
    last_order = Order.objects.order_by("-pk").values_list("pk", flat=True).first()
    Product.objects.filter(pk__in=hot).update(stock=SCARCE)
    race = _race(buyers, hot, RACE_SECONDS)
    sold = dict(
        OrderLine.objects.filter(order__pk__gt=last_order, product__in=hot)
        .values("product")
        .annotate(units=Sum("quantity"))
        .values_list("product", "units")
    )
    stock = dict(Product.objects.filter(pk__in=hot).values_list("pk", "stock"))
    oversold = sum(max(0, sold.get(pk, 0) - SCARCE) for pk in hot)
    lost = sum(abs(SCARCE - stock[pk] - sold.get(pk, 0)) for pk in hot)
    results.add(
        Figure(
            5,
            "checkout_oversold_units",
            "Units oversold in the race for scarce stock",
            oversold + lost,
            "units",
            0,
            AT_MOST,
            note=f"{HOT_PRODUCTS} products × {SCARCE} units; {race.checkouts} "
            f"checkouts placed, {race.refused} refused; sold {sum(sold.values())}, "
            f"left {sum(stock.values())}; oversold {oversold}, stock not matching "
            f"sales {lost}",
        )
    )
