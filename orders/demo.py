"""Demo orders for seed_demo: recent ones in every status, and a year of County C's."""

import random
import uuid
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from itertools import islice
from typing import NamedTuple
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import transaction
from django.db.models import OuterRef, QuerySet, Subquery
from django.utils import timezone

from accounts.models import Role, User
from assistants.selectors import assignments_in_force
from farmers.demo import GIVEN_NAMES, SURNAMES
from farmers.models import Farmer, Product, ProductStatus
from orders.models import (
    Address,
    Checkout,
    Order,
    OrderEvent,
    OrderLine,
    OrderStatus,
    Payment,
    PaymentProviderCode,
    PaymentStatus,
    Shipment,
)

S = OrderStatus
E = OrderEvent.Type
CHINA = ZoneInfo("Asia/Shanghai")
# Idempotency keys and payment references are uuid5 names under this namespace:
# the same on every run, and the first checkout's key tells whether a set exists.
NAMESPACE = uuid.uuid5(uuid.NAMESPACE_DNS, "seed-demo.orders.invalid")
BATCH = 1000  # rows per INSERT where the backend allows it
CHUNK = 2000  # checkouts written (and back-dated) together

# The small preset's history ends at this fixed moment, not at now(), so every run
# makes the same rows. Only orders awaiting payment are placed minutes before the
# real now: placed at the fixed date, the expiry job would cancel them at once.
SMALL_REFERENCE = datetime(2026, 11, 15, 20, 0, tzinfo=CHINA)
SMALL_CHECKOUTS = {  # 280 checkouts, about 300 orders
    S.PENDING_PAYMENT: 12,
    S.PAID: 26,
    S.SHIPPED: 26,
    S.DELIVERED: 22,
    S.COMPLETED: 150,
    S.CANCELLED: 28,
    S.REFUNDED: 16,
}
SMALL_WINDOW_DAYS = {S.PAID: 4, S.SHIPPED: 8, S.DELIVERED: 20}  # others: 90
# A year's orders are mostly received; a few cancelled or refunded.
YEAR_STATUSES = {S.COMPLETED: 93, S.CANCELLED: 4.5, S.REFUNDED: 2.5}
ON_DELIVERY_SHARE = 0.15
TWO_SHOPS_SHARE = 0.12
LINES_WEIGHTS = {1: 70, 2: 20, 3: 7, 4: 3}
QUANTITY_WEIGHTS = {1: 60, 2: 27, 3: 7, 4: 3, 5: 2, 6: 1}
CHEAP = Decimal("20")  # below this a unit (a jin of ginger) is bought two at a time
# Orders by hour of day (China time): lunch and the evening are busiest.
HOUR_WEIGHTS = [1, 0.5, 0.3, 0.2, 0.2, 0.3, 0.8, 1.5, 2, 2.5, 2.8, 3]
HOUR_WEIGHTS += [3.5, 3, 2.6, 2.5, 2.6, 2.8, 3, 3.5, 4.5, 5, 4, 2.5]
# Sales by month: New Year gifts, a summer lull, the autumn harvest.
MONTH_WEIGHTS = [1.25, 1.0, 0.75, 0.85, 0.8, 0.75, 0.65, 0.7, 1.1, 1.25, 1.45, 1.15]
SPRING_FESTIVAL = {
    2017: date(2017, 1, 28),
    2018: date(2018, 2, 16),
    2019: date(2019, 2, 5),
    2020: date(2020, 1, 25),
}
SHOPPING_DAYS = {(11, 11): 7.0, (11, 12): 1.5, (6, 18): 3.0, (12, 12): 3.0}

CARRIERS = [
    ("中国邮政", "98"),
    ("顺丰速运", "SF"),
    ("中通快递", "75"),
    ("韵达快递", "43"),
]
REGIONS = [
    "北京市 朝阳区",
    "上海市 浦东新区",
    "广东省 广州市 天河区",
    "广东省 深圳市 南山区",
    "浙江省 杭州市 西湖区",
    "江苏省 南京市 鼓楼区",
    "四川省 成都市 武侯区",
    "湖北省 武汉市 洪山区",
    "贵州省 贵阳市 南明区",
    "天津市 和平区",
]
STREETS = ["人民路", "建设路", "解放路", "中山路", "文化路", "和平路"]
NOTES = {
    "buyer": "买家取消：拍错了",
    "farmer": "缺货，已与买家沟通",
    "staff": "运输途中破损，全额退款",
}
# The order's timestamp each event sets (and is back-dated to).
EVENT_FIELD = {
    E.PLACED: "placed_at",
    E.CONFIRMED: "paid_at",
    E.PAID: "paid_at",
    E.SHIPPED: "shipped_at",
    E.DELIVERED: "delivered_at",
    E.COMPLETED: "completed_at",
    E.CANCELLED: "closed_at",
    E.EXPIRED: "closed_at",
    E.REFUNDED: "closed_at",
}


@dataclass(frozen=True)
class Listing:
    pk: int
    title: str
    unit: str
    price: Decimal


@dataclass(frozen=True)
class Shop:
    farmer_id: int
    user_id: int
    county_id: int
    village_id: int
    assistant_id: int | None
    listings: tuple[Listing, ...]


@dataclass(frozen=True)
class Buyer:
    pk: int
    recipient: str
    phone: str
    address: str


class Step(NamedTuple):
    """An event: its type, who made it ("buyer", "farmer", "staff" or None for the
    platform), how long after placing, and its note."""

    type: str
    actor: str | None
    after: timedelta
    note: str = ""


@dataclass
class PlannedOrder:
    shop: Shop
    lines: list[tuple[Listing, int]]
    status: str
    steps: list[Step]
    tracking: tuple[str, str] | None

    @property
    def total(self) -> Decimal:
        return sum((listing.price * qty for listing, qty in self.lines), Decimal(0))


@dataclass
class PlannedCheckout:
    buyer: Buyer
    provider: str
    orders: list[PlannedOrder]
    paid_after: timedelta | None  # None: not paid online
    transaction_id: str | None
    placed_at: datetime | None = None

    @property
    def total(self) -> Decimal:
        return sum((order.total for order in self.orders), Decimal(0))

    @property
    def span(self) -> timedelta:
        return max(order.steps[-1].after for order in self.orders)


def _key(label: str, kind: str, n: int) -> uuid.UUID:
    return uuid.uuid5(NAMESPACE, f"{label}:{kind}:{n}")


def already_seeded(label: str) -> bool:
    """Whether the set `label` was written (its first checkout exists)."""
    return Checkout.objects.filter(idempotency_key=_key(label, "checkout", 0)).exists()


def _pay_window() -> timedelta:
    return timedelta(minutes=settings.ORDER_PAYMENT_MINUTES)


def _in_window(rng: random.Random, low: float, high: float) -> timedelta:
    """A whole number of seconds between fractions `low` and `high` of the time
    an order may wait for payment."""
    seconds = _pay_window().total_seconds()
    return timedelta(seconds=rng.randint(int(low * seconds), int(high * seconds)))


def _hours(rng: random.Random, low: float, high: float) -> timedelta:
    return timedelta(seconds=rng.randint(int(low * 3600), int(high * 3600)))


def _draw(rng: random.Random, weights: dict):
    return rng.choices(list(weights), weights=list(weights.values()))[0]


# Buyers and shops ------------------------------------------------------------


def _address(rng: random.Random) -> tuple[str, str, str, str]:
    """A recipient, phone, region and street, drawn whether or not they are used."""
    recipient = rng.choice(SURNAMES) + rng.choice(GIVEN_NAMES)
    phone = f"1{rng.choice('3578')}{rng.randrange(10**9):09d}"
    street = (
        f"{rng.choice(STREETS)}{rng.randint(1, 399)}号"
        f"{rng.randint(1, 30)}栋{rng.randint(1, 28)}0{rng.randint(1, 4)}室"
    )
    return recipient, phone, rng.choice(REGIONS), street


def ensure_buyers(
    rng: random.Random, usernames: list[str], password: str
) -> list[Buyer]:
    """The buyers (created if missing, with the demo password hash), each with an
    address in their book (added if they have none); in `usernames` order."""
    drawn = {name: _address(rng) for name in usernames}  # the same draws every run
    existing = set(
        User.objects.filter(username__in=usernames).values_list("username", flat=True)
    )
    User.objects.bulk_create(
        [
            User(username=n, first_name=drawn[n][0], role=Role.BUYER, password=password)
            for n in usernames
            if n not in existing
        ],
        batch_size=BATCH,
    )
    ids = dict(
        User.objects.filter(username__in=usernames).values_list("username", "pk")
    )
    with_address = set(
        Address.objects.filter(buyer__in=ids.values()).values_list("buyer", flat=True)
    )
    Address.objects.bulk_create(
        [
            Address(
                buyer_id=ids[n],
                recipient=drawn[n][0],
                phone=drawn[n][1],
                region=drawn[n][2],
                street=drawn[n][3],
            )
            for n in usernames
            if ids[n] not in with_address
        ],
        batch_size=BATCH,
    )
    first = {}
    for address in Address.objects.filter(buyer__in=ids.values()).order_by("pk"):
        first.setdefault(address.buyer_id, address)
    return [
        Buyer(
            pk=ids[n],
            recipient=first[ids[n]].recipient,
            phone=first[ids[n]].phone,
            address=f"{first[ids[n]].region} {first[ids[n]].street}",
        )
        for n in usernames
    ]


def shops_of(farmer_names: list[str]) -> list[Shop]:
    """The named farmers that have active listings, with where they sell from and
    their assistant now; by username."""
    listings: dict[int, list[Listing]] = {}
    for farmer_id, *row in (
        Product.objects.filter(
            status=ProductStatus.ACTIVE,
            farmer__user__username__in=farmer_names,
            farmer__user__is_active=True,
        )
        .order_by("farmer__user__username", "pk")
        .values_list("farmer_id", "pk", "title", "unit", "price")
    ):
        listings.setdefault(farmer_id, []).append(Listing(*row))
    places = {
        pk: rest
        for pk, *rest in Farmer.objects.filter(pk__in=listings).values_list(
            "pk", "user_id", "household__village__county_id", "household__village_id"
        )
    }
    assistants = dict(
        assignments_in_force()
        .filter(farmer__in=listings)
        .values_list("farmer_id", "assistant_id")
    )
    return [
        Shop(pk, *places[pk], assistants.get(pk), tuple(items))
        for pk, items in listings.items()
    ]


def _picker(rng: random.Random, items: list, sigma: float) -> Callable:
    """Draw from `items` with skewed (log-normal) popularity: a few buy or sell a
    lot, most a little."""
    weights = [rng.lognormvariate(0, sigma) for _ in items]
    cumulative = []
    total = 0.0
    for weight in weights:
        total += weight
        cumulative.append(total)
    return lambda: rng.choices(items, cum_weights=cumulative)[0]


# One checkout's story -----------------------------------------------------------


def _basket(rng: random.Random, shop: Shop) -> list[tuple[Listing, int]]:
    """1 to 4 of the shop's listings, mostly one or two units each."""
    count = min(_draw(rng, LINES_WEIGHTS), len(shop.listings))
    lines = []
    for listing in rng.sample(shop.listings, count):
        quantity = _draw(rng, QUANTITY_WEIGHTS)
        lines.append((listing, quantity * 2 if listing.price < CHEAP else quantity))
    return lines


def _steps_to(
    rng: random.Random, reach: str, on_delivery: bool, paid_after: timedelta | None
) -> list[Step]:
    """Events from placing up to `reach`: paid, shipped, delivered or completed."""
    if on_delivery:
        steps = [
            Step(E.PLACED, "buyer", timedelta()),
            Step(E.CONFIRMED, "buyer", timedelta()),
        ]
    else:
        steps = [Step(E.PLACED, "buyer", timedelta()), Step(E.PAID, None, paid_after)]
    if reach == S.PAID:
        return steps
    at = steps[-1].after + _hours(rng, 2, 60)
    steps.append(Step(E.SHIPPED, "farmer", at))
    if reach == S.SHIPPED:
        return steps
    if reach == S.DELIVERED or rng.random() < 0.6:
        at += _hours(rng, 24, 120)
        steps.append(Step(E.DELIVERED, "farmer", at))
        if reach == S.DELIVERED:
            return steps
        at += _hours(rng, 1, 168)
    else:  # the buyer confirms receipt without a delivery having been marked
        at += _hours(rng, 48, 240)
    steps.append(Step(E.COMPLETED, "buyer", at))
    return steps


def _steps(
    rng: random.Random,
    status: str,
    cancel: str | None,
    on_delivery: bool,
    paid_after: timedelta | None,
) -> list[Step]:
    """The order's events, as the services would have written them."""
    placed = Step(E.PLACED, "buyer", timedelta())
    if status == S.PENDING_PAYMENT:
        return [placed]
    if cancel == "expired":
        return [placed, Step(E.EXPIRED, None, _pay_window() + _hours(rng, 0, 0.03))]
    if cancel == "unpaid":
        return [
            placed,
            Step(E.CANCELLED, "buyer", _in_window(rng, 0.1, 0.9)),
        ]
    if status == S.CANCELLED:
        steps = _steps_to(rng, S.PAID, on_delivery, paid_after)
        who = rng.choice(["buyer", "farmer"])
        at = steps[-1].after + _hours(rng, 1, 30)
        return [*steps, Step(E.CANCELLED, who, at, NOTES[who])]
    if status == S.REFUNDED:
        reach = rng.choice([S.PAID, S.SHIPPED, S.DELIVERED, S.COMPLETED])
        steps = _steps_to(rng, reach, on_delivery, paid_after)
        at = steps[-1].after + _hours(rng, 12, 120)
        return [*steps, Step(E.REFUNDED, "staff", at, NOTES["staff"])]
    return _steps_to(rng, status, on_delivery, paid_after)


def _tracking(rng: random.Random) -> tuple[str, str]:
    carrier, prefix = rng.choice(CARRIERS)
    return carrier, f"{prefix}{rng.randrange(10**11, 10**12)}"


def plan_checkout(
    rng: random.Random, status: str, pick_shop: Callable, buyer: Buyer
) -> PlannedCheckout:
    """One checkout whose orders (one per storefront) all end in `status`; not yet
    placed in time (placed_at is set by the caller, from its span)."""
    online = status == S.PENDING_PAYMENT or rng.random() >= ON_DELIVERY_SHARE
    cancel = None
    if status == S.CANCELLED:
        # Pay on delivery is confirmed at once, so only cancelled after "paid".
        cancel = (
            _draw(rng, {"expired": 3, "unpaid": 1, "paid": 2}) if online else "paid"
        )
    paid_after = None
    if online and status != S.PENDING_PAYMENT and cancel in (None, "paid"):
        paid_after = _in_window(rng, 0.02, 0.9)
    shops = [pick_shop()]
    if rng.random() < TWO_SHOPS_SHARE:
        other = pick_shop()
        if other.farmer_id != shops[0].farmer_id:
            shops.append(other)
    orders = []
    for shop in shops:
        steps = _steps(rng, status, cancel, not online, paid_after)
        shipped = any(step.type == E.SHIPPED for step in steps)
        orders.append(
            PlannedOrder(
                shop=shop,
                lines=_basket(rng, shop),
                status=status,
                steps=steps,
                tracking=_tracking(rng) if shipped else None,
            )
        )
    return PlannedCheckout(
        buyer=buyer,
        provider=PaymentProviderCode.SIMULATED
        if online
        else PaymentProviderCode.ON_DELIVERY,
        orders=orders,
        paid_after=paid_after,
        transaction_id=f"SIM{rng.getrandbits(80):020X}" if paid_after else None,
    )


# Plans: recent orders, and a year's -------------------------------------------


def recent_plans(
    rng: random.Random,
    shops: list[Shop],
    buyers: list[Buyer],
    reference: datetime,
    now: datetime,
) -> list[PlannedCheckout]:
    """SMALL_CHECKOUTS checkouts: finished ones over the 90 days before
    `reference`, open ones in its last days, and those awaiting payment placed
    minutes before `now` (so still within their payment window)."""
    pick_shop = _picker(rng, shops, 0.6)
    plans = []
    for status, count in SMALL_CHECKOUTS.items():
        for _ in range(count):
            plan = plan_checkout(rng, status, pick_shop, rng.choice(buyers))
            if status == S.PENDING_PAYMENT:
                plan.placed_at = now.replace(microsecond=0) - _in_window(rng, 0.05, 0.5)
            else:
                window = timedelta(days=SMALL_WINDOW_DAYS.get(status, 90))
                latest = reference - plan.span
                earliest = min(reference - window, latest)
                moment = earliest + (latest - earliest) * rng.random()
                plan.placed_at = moment.replace(microsecond=0)
            plans.append(plan)
    return sorted(plans, key=lambda plan: plan.placed_at)


def day_weight(day: date) -> float:
    """How busy a day is: the month's level, gift buying before the Spring Festival
    and the couriers' holiday after it, 11.11 and the other shopping days."""
    weight = MONTH_WEIGHTS[day.month - 1]
    festival = SPRING_FESTIVAL.get(day.year)
    if festival is not None:
        before = (festival - day).days
        if 5 <= before <= 25:
            weight *= 1.8
        elif -7 <= before <= 4:
            weight *= 0.35
    if day.month == 11 and day.day <= 10:
        weight *= 1.2  # Double 11 pre-sales
    weight *= SHOPPING_DAYS.get((day.month, day.day), 1.0)
    return weight * (1.1 if day.weekday() >= 5 else 1.0)


def _moment(rng: random.Random, day: date) -> datetime:
    hour = rng.choices(range(24), weights=HOUR_WEIGHTS)[0]
    return datetime(
        day.year,
        day.month,
        day.day,
        hour,
        rng.randrange(60),
        rng.randrange(60),
        tzinfo=CHINA,
    )


def year_plans(
    rng: random.Random,
    shops: list[Shop],
    buyers: list[Buyer],
    year: int,
    completed_sales: Decimal,
) -> Iterator[PlannedCheckout]:
    """Checkouts placed over `year`, day by day in time order, until the completed
    orders' totals reach `completed_sales`; each day's share follows day_weight,
    so the year ends within one checkout of the target."""
    days = [date(year, 1, 1) + timedelta(days=n) for n in range(366)]
    days = [day for day in days if day.year == year]
    weights = [day_weight(day) for day in days]
    scale = completed_sales / Decimal(sum(weights))
    pick_shop = _picker(rng, shops, 1.1)
    pick_buyer = _picker(rng, buyers, 1.0)
    goal = done = Decimal(0)
    for day, weight in zip(days, weights, strict=True):
        goal += scale * Decimal(weight)
        todays = []
        while done < goal:
            plan = plan_checkout(
                rng, _draw(rng, YEAR_STATUSES), pick_shop, pick_buyer()
            )
            plan.placed_at = _moment(rng, day)
            if plan.orders[0].status == S.COMPLETED:
                done += plan.total
            todays.append(plan)
        yield from sorted(todays, key=lambda plan: plan.placed_at)


# A farmer's month so far, whenever the demo is seeded: (status, when its last
# step happened in hours before now, low and high). The first is overdue: paid
# over SHIP_WITHIN (48 hours) ago, and this month when the month is that old.
THIS_MONTH = [
    (S.PAID, 49, 96),
    (S.PAID, 0.1, 6),
    (S.SHIPPED, 1, 30),
    (S.COMPLETED, 0.2, 30),
]


def this_month_label(now: datetime) -> str:
    """The set of orders seeded for the local calendar month holding `now`."""
    return f"this-month-{timezone.localtime(now):%Y-%m}"


def _ago(rng: random.Random, now: datetime, start: datetime, low, high) -> datetime:
    """A moment `low` to `high` hours before `now`, in the month beginning at
    `start` as far as the window allows: one that has to be at least 48 hours
    old (low over 48) may fall before it."""
    earliest, latest = now - timedelta(hours=high), now - timedelta(hours=low)
    if start > latest and low < 48:
        earliest, latest = start, now
    elif earliest < start <= latest:
        earliest = start
    return (earliest + (latest - earliest) * rng.random()).replace(microsecond=0)


def this_month_plans(
    rng: random.Random, shop: Shop, buyers: list[Buyer], now: datetime
) -> list[PlannedCheckout]:
    """THIS_MONTH's orders for `shop`, paid online, each as the services leave it:
    a payment minutes after placing, then shipped, delivered and completed over
    the following days; every step before `now`."""
    start = timezone.localtime(now).replace(
        day=1, hour=0, minute=0, second=0, microsecond=0
    )
    plans = []
    for status, low, high in THIS_MONTH:
        last = _ago(rng, now, start, low, high)
        if status == S.PAID:
            paid = last
            moments = []
        elif status == S.SHIPPED:
            paid = last - _hours(rng, 2, 30)
            moments = [(E.SHIPPED, "farmer", last)]
        else:
            delivered = last - _hours(rng, 1, 24)
            shipped = delivered - _hours(rng, 24, 72)
            paid = shipped - _hours(rng, 2, 30)
            moments = [
                (E.SHIPPED, "farmer", shipped),
                (E.DELIVERED, "farmer", delivered),
                (E.COMPLETED, "buyer", last),
            ]
        paid_after = _in_window(rng, 0.02, 0.9)
        placed = paid - paid_after
        steps = [Step(E.PLACED, "buyer", timedelta()), Step(E.PAID, None, paid_after)]
        steps += [Step(kind, who, at - placed) for kind, who, at in moments]
        order = PlannedOrder(
            shop=shop,
            lines=_basket(rng, shop),
            status=status,
            steps=steps,
            tracking=_tracking(rng) if moments else None,
        )
        plans.append(
            PlannedCheckout(
                buyer=rng.choice(buyers),
                provider=PaymentProviderCode.SIMULATED,
                orders=[order],
                paid_after=paid_after,
                transaction_id=f"SIM{rng.getrandbits(80):020X}",
                placed_at=placed,
            )
        )
    return sorted(plans, key=lambda plan: plan.placed_at)


# Writing ------------------------------------------------------------------------


def _chunks(items: Iterable, size: int) -> Iterator[list]:
    iterator = iter(items)
    while chunk := list(islice(iterator, size)):
        yield chunk


def _order_row(plan: PlannedCheckout, planned: PlannedOrder, checkout: Checkout):
    """The order as the services leave it: each event's timestamp set, a completed
    order delivered (at completion if not before), a deadline only while unpaid."""
    times = {
        EVENT_FIELD[step.type]: plan.placed_at + step.after for step in planned.steps
    }
    if "completed_at" in times:
        times.setdefault("delivered_at", times["completed_at"])
    unpaid = planned.status == S.PENDING_PAYMENT
    shop = planned.shop
    return Order(
        checkout=checkout,
        buyer_id=plan.buyer.pk,
        farmer_id=shop.farmer_id,
        county_id=shop.county_id,
        village_id=shop.village_id,
        assistant_id=shop.assistant_id,
        status=planned.status,
        total=planned.total,
        recipient=plan.buyer.recipient,
        phone=plan.buyer.phone,
        shipping_address=plan.buyer.address,
        expires_at=plan.placed_at + _pay_window() if unpaid else None,
        **times,
    )


def _payment_row(plan: PlannedCheckout, checkout: Checkout, reference: uuid.UUID):
    """One payment per checkout. Paid online: the gateway's transaction, and the
    money of cancelled-after-payment and refunded orders returned. Pay on delivery
    stays pending, as the services leave it."""
    if plan.paid_after is None:
        return Payment(
            checkout=checkout,
            provider=plan.provider,
            reference=reference,
            amount=checkout.total,
        )
    returned = [o.total for o in plan.orders if o.status in (S.CANCELLED, S.REFUNDED)]
    return Payment(
        checkout=checkout,
        provider=plan.provider,
        reference=reference,
        amount=checkout.total,
        refunded=sum(returned, Decimal(0)),
        status=PaymentStatus.PAID,
        transaction_id=plan.transaction_id,
        paid_at=plan.placed_at + plan.paid_after,
    )


def _backdate(checkout_ids: list[int], order_ids: list[int]) -> None:
    """auto_now_add stamps bulk-created rows with now(); set them to when things
    happened, from the orders' own timestamps."""

    def of_order(field: str, ref: str = "order_id") -> Subquery:
        return Subquery(Order.objects.filter(pk=OuterRef(ref)).values(field)[:1])

    placed = Subquery(
        Order.objects.filter(checkout=OuterRef("pk"))
        .order_by("pk")
        .values("placed_at")[:1]
    )
    Checkout.objects.filter(pk__in=checkout_ids).update(created_at=placed)
    Payment.objects.filter(checkout__in=checkout_ids).update(
        created_at=Subquery(
            Checkout.objects.filter(pk=OuterRef("checkout_id")).values("created_at")[:1]
        )
    )
    Shipment.objects.filter(order__in=order_ids).update(
        shipped_at=of_order("shipped_at")
    )
    for event_type, field in EVENT_FIELD.items():
        OrderEvent.objects.filter(order__in=order_ids, type=event_type).update(
            created_at=of_order(field)
        )


def _write_chunk(plans: list[PlannedCheckout], label: str, first: int, staff_id: int):
    checkouts = Checkout.objects.bulk_create(
        [
            Checkout(
                buyer_id=plan.buyer.pk,
                idempotency_key=_key(label, "checkout", first + n),
                provider=plan.provider,
                total=plan.total,
            )
            for n, plan in enumerate(plans)
        ],
        batch_size=BATCH,
    )
    pairs = [
        (plan, planned, _order_row(plan, planned, checkout))
        for plan, checkout in zip(plans, checkouts, strict=True)
        for planned in plan.orders
    ]
    Order.objects.bulk_create([order for _p, _o, order in pairs], batch_size=BATCH)
    lines, events, shipments = [], [], []
    for plan, planned, order in pairs:
        actors = {"buyer": plan.buyer.pk, "farmer": planned.shop.user_id}
        actors.update({"staff": staff_id, None: None})
        lines += [
            OrderLine(
                order=order,
                product_id=listing.pk,
                title=listing.title,
                unit=listing.unit,
                unit_price=listing.price,
                quantity=quantity,
                line_total=listing.price * quantity,
            )
            for listing, quantity in planned.lines
        ]
        events += [
            OrderEvent(order=order, type=s.type, actor_id=actors[s.actor], note=s.note)
            for s in planned.steps
        ]
        if planned.tracking:
            carrier, number = planned.tracking
            shipments.append(
                Shipment(
                    order=order,
                    carrier=carrier,
                    tracking_number=number,
                    shipped_by_id=planned.shop.user_id,
                )
            )
    OrderLine.objects.bulk_create(lines, batch_size=BATCH)
    OrderEvent.objects.bulk_create(events, batch_size=BATCH)
    Shipment.objects.bulk_create(shipments, batch_size=BATCH)
    Payment.objects.bulk_create(
        [
            _payment_row(plan, checkout, _key(label, "payment", first + n))
            for n, (plan, checkout) in enumerate(zip(plans, checkouts, strict=True))
        ],
        batch_size=BATCH,
    )
    _backdate([c.pk for c in checkouts], [order.pk for _p, _o, order in pairs])
    return len(pairs)


def write_plans(plans: Iterable[PlannedCheckout], *, label: str, staff_id: int) -> int:
    """Write the checkouts with bulk inserts, in chunks; returns the orders written.
    Product stock is left as seeded: it is what remains after these orders took
    theirs (so a later cancel or refund putting units back is right). No
    notifications are written for this history."""
    written = first = 0
    for chunk in _chunks(plans, CHUNK):
        written += _write_chunk(chunk, label, first, staff_id)
        first += len(chunk)
    return written


# Entry points for seed_demo --------------------------------------------------------


@transaction.atomic
def seed_recent_orders(
    rng: random.Random,
    *,
    farmer_names: list[str],
    buyer_names: list[str],
    password: str,
    staff: User,
    label: str = "small",
    reference: datetime = SMALL_REFERENCE,
) -> int:
    """About 300 orders in every status against the farmers' active listings.
    Does nothing if `label`'s orders exist; returns how many it wrote."""
    if already_seeded(label):
        return 0
    buyers = ensure_buyers(rng, buyer_names, password)
    shops = shops_of(farmer_names)
    if not shops:
        return 0
    plans = recent_plans(rng, shops, buyers, reference, timezone.now())
    return write_plans(plans, label=label, staff_id=staff.pk)


@transaction.atomic
def seed_year_orders(
    rng: random.Random,
    *,
    farmer_names: list[str],
    buyer_names: list[str],
    password: str,
    staff: User,
    year: int,
    completed_sales: Decimal,
    label: str,
) -> int:
    """A year of orders for the farmers, bought by the named buyers (created if
    missing), whose completed ones total about `completed_sales` yuan. Does
    nothing if `label`'s orders exist; returns how many it wrote."""
    if already_seeded(label):
        return 0
    buyers = ensure_buyers(rng, buyer_names, password)
    shops = shops_of(farmer_names)
    if not shops:
        return 0
    plans = year_plans(rng, shops, buyers, year, completed_sales)
    return write_plans(plans, label=label, staff_id=staff.pk)


@transaction.atomic
def seed_this_month_orders(
    rng: random.Random,
    *,
    farmer_name: str,
    buyer_names: list[str],
    password: str,
    staff: User,
    now: datetime | None = None,
) -> int:
    """The farmer's THIS_MONTH orders, relative to `now`, so their home has a
    month to show whenever the demo is seeded: a set per local calendar month
    (this_month_label), written once. Returns how many it wrote."""
    now = (now or timezone.now()).replace(microsecond=0)
    label = this_month_label(now)
    if already_seeded(label):
        return 0
    buyers = ensure_buyers(rng, buyer_names, password)
    shops = shops_of([farmer_name])
    if not shops:
        return 0
    plans = this_month_plans(rng, shops[0], buyers, now)
    return write_plans(plans, label=label, staff_id=staff.pk)


def checkouts_of_set(label: str, count: int) -> QuerySet[Checkout]:
    """The checkouts the set `label` of `count` checkouts wrote."""
    keys = [_key(label, "checkout", n) for n in range(count)]
    return Checkout.objects.filter(idempotency_key__in=keys)
