"""Planning seed_demo's orders: baskets, the steps each order went through, and the
recent, yearly and this-month plans (pure: nothing is written here)."""

import random
from collections.abc import Callable, Iterator
from datetime import date, datetime, timedelta
from decimal import Decimal

from django.utils import timezone

from demo.shoppers import (
    CARRIERS,
    CHEAP,
    CHINA,
    HOUR_WEIGHTS,
    LINES_WEIGHTS,
    MONTH_WEIGHTS,
    NOTES,
    ON_DELIVERY_SHARE,
    QUANTITY_WEIGHTS,
    SHOPPING_DAYS,
    SMALL_CHECKOUTS,
    SMALL_WINDOW_DAYS,
    SPRING_FESTIVAL,
    TWO_SHOPS_SHARE,
    YEAR_STATUSES,
    Buyer,
    E,
    Listing,
    PlannedCheckout,
    PlannedOrder,
    S,
    Shop,
    Step,
    _draw,
    _hours,
    _in_window,
    _pay_window,
)
from orders.models import PaymentProviderCode


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
