"""Demo orders for seed_demo: recent ones in every status, and a year of County C's,
written from the plans (demo.order_plans) in bulk and back-dated."""

import random
import uuid
from collections import defaultdict
from collections.abc import Iterable, Iterator
from datetime import datetime
from decimal import Decimal
from itertools import islice

from django.db import transaction
from django.db.models import F, OuterRef, QuerySet, Subquery
from django.utils import timezone

from accounts.models import User
from demo.order_plans import (
    recent_plans,
    this_month_label,
    this_month_plans,
    year_plans,
)
from demo.shoppers import (
    BATCH,
    CHUNK,
    EVENT_FIELD,
    SMALL_REFERENCE,
    PlannedCheckout,
    PlannedOrder,
    S,
    _key,
    _pay_window,
    already_seeded,
    ensure_buyers,
    shops_of,
)
from orders.models import (
    Checkout,
    Order,
    OrderEvent,
    OrderLine,
    Payment,
    PaymentProviderCode,
    PaymentStatus,
    Refund,
    RefundStatus,
    Shipment,
)

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


def _closed(planned) -> bool:
    return planned.status in (S.CANCELLED, S.REFUNDED)


def _payment_row(plan: PlannedCheckout, checkout: Checkout, reference: uuid.UUID):
    """One payment per checkout. Paid online: the gateway's transaction, and the
    money of cancelled-after-payment and refunded orders returned. Pay on delivery
    stays pending, as the services leave it."""
    if plan.paid_after is None:
        # On delivery: an order closed before it was collected lowers the amount
        # to collect; one refunded after it was collected went back in cash.
        cod = plan.provider == PaymentProviderCode.ON_DELIVERY
        dropped = [
            o.total for o in plan.orders if cod and _closed(o) and not o.completed
        ]
        cash = [o.total for o in plan.orders if _closed(o) and o.completed]
        return Payment(
            checkout=checkout,
            provider=plan.provider,
            reference=reference,
            amount=checkout.total - sum(dropped, Decimal(0)),
            refunded=sum(cash, Decimal(0)),
        )
    returned = [o.total for o in plan.orders if _closed(o)]
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
    Refund.objects.filter(payment__checkout__in=checkout_ids).update(
        requested_at=F("settled_at")
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
    by_checkout = defaultdict(list)
    for _p, _o, order in pairs:
        by_checkout[order.checkout_id].append(order)
    OrderLine.objects.bulk_create(lines, batch_size=BATCH)
    OrderEvent.objects.bulk_create(events, batch_size=BATCH)
    Shipment.objects.bulk_create(shipments, batch_size=BATCH)
    payments = Payment.objects.bulk_create(
        [
            _payment_row(plan, checkout, _key(label, "payment", first + n))
            for n, (plan, checkout) in enumerate(zip(plans, checkouts, strict=True))
        ],
        batch_size=BATCH,
    )
    Refund.objects.bulk_create(
        [
            Refund(
                payment=payment,
                order=order,
                amount=order.total,
                refund_id=f"{payment.reference}-{order.pk}",
                status=RefundStatus.SUCCEEDED,
                settled_at=order.closed_at,
            )
            for payment in payments
            for order in by_checkout[payment.checkout_id]
            if order.status in (S.CANCELLED, S.REFUNDED)
            and (payment.status == PaymentStatus.PAID or order.completed_at)
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
