"""Demo buyers and shops for seed_demo's orders: the buyers with their addresses, the
shops (farmers with active listings) and the weights orders are drawn with."""

import random
import uuid
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import NamedTuple
from zoneinfo import ZoneInfo

from django.conf import settings

from accounts.models import Role, User
from assistants.selectors import assignments_in_force
from catalogue.models import Product, ProductStatus
from demo.farmers import GIVEN_NAMES, SURNAMES
from farmers.models import Farmer
from orders.models import (
    Address,
    Checkout,
    OrderEvent,
    OrderStatus,
)
from orders.services.checkout import addresses_locate

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
    # (shipping.carriers code, what the number starts with): twelve random
    # digits follow, which makes each carrier's shape.
    ("post", "9"),
    ("sf", "SF"),
    ("zto", ""),
    ("yunda", "4"),
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

    @property
    def completed(self) -> bool:
        """Whether the order completed (it may have been refunded since)."""
        return any(step.type == E.COMPLETED for step in self.steps)


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
    addresses_locate()
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
