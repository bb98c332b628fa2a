"""The order's status pipeline, one service per transition:

    pending_payment → paid → shipped → delivered → completed
    pending_payment, paid → cancelled   (expiry too: not paid in time)
    paid, shipped, delivered, completed → refunded

Each locks the order row, refuses a move its status or the actor's role does not
allow, and writes an OrderEvent saying who did it and when. Cancel, expiry and
refund put the stock back, and refund a paid order's money; refunds, and
cancellations by anyone but the buyer or farmer, are audited. An order that
`completes_on_acceptance` (a unit's) is completed only by the platform, when the
goods are accepted."""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import Role
from audit.models import AuditEvent
from audit.services import record
from catalogue.services.stock import stock_return, units_sold_add
from notifications.models import Notification
from notifications.services import notify
from orders.buyers import acts_as_buyer
from orders.models import (
    ON_THE_WAY,
    SOLD,
    Order,
    OrderEvent,
    OrderStatus,
    Payment,
    PaymentStatus,
    Shipment,
)
from orders.providers import PROVIDERS
from orders.services.dirty_days import dirty_day_mark
from orders.services.refunds import (
    current_payment,
    refund_money,
    refund_send,
    refundable,
)
from orders.services.sold import count_sold
from orders.signals import order_completed, sale_changed
from shipping.carriers import tracking_clean

S = OrderStatus
E = OrderEvent.Type


@dataclass(frozen=True)
class Transition:
    sources: frozenset
    target: str
    event: str
    label: str
    # Who may ask for it: "buyer" (the order's), "farmer" (the order's), "staff";
    # empty: only the platform (payment callbacks, the expiry job).
    actors: frozenset = frozenset()


def _t(sources, target, event, label, actors=()):
    return Transition(frozenset(sources), target, event, label, frozenset(actors))


TRANSITIONS = {
    "pay": _t({S.PENDING_PAYMENT}, S.PAID, E.PAID, gettext_lazy("paid")),
    "ship": _t(
        {S.PAID}, S.SHIPPED, E.SHIPPED, gettext_lazy("shipped"), {"farmer", "staff"}
    ),
    "deliver": _t(
        {S.SHIPPED},
        S.DELIVERED,
        E.DELIVERED,
        gettext_lazy("marked delivered"),
        {"farmer", "staff"},
    ),
    "complete": _t(
        {S.SHIPPED, S.DELIVERED},
        S.COMPLETED,
        E.COMPLETED,
        gettext_lazy("confirmed as received"),
        {"buyer", "staff"},
    ),
    "cancel": _t(
        {S.PENDING_PAYMENT, S.PAID},
        S.CANCELLED,
        E.CANCELLED,
        gettext_lazy("cancelled"),
        {"buyer", "farmer", "staff"},
    ),
    "expire": _t({S.PENDING_PAYMENT}, S.CANCELLED, E.EXPIRED, gettext_lazy("expired")),
    "refund": _t(
        {S.PAID, S.SHIPPED, S.DELIVERED, S.COMPLETED},
        S.REFUNDED,
        E.REFUNDED,
        gettext_lazy("refunded"),
        {"staff"},
    ),
}
TIMESTAMPS = {
    S.PAID: "paid_at",
    S.SHIPPED: "shipped_at",
    S.DELIVERED: "delivered_at",
    S.COMPLETED: "completed_at",
    S.CANCELLED: "closed_at",
    S.REFUNDED: "closed_at",
}


def _parties(order: Order, user) -> set[str]:
    """What `user` is to this order."""
    if user is None:
        return set()
    parties = set()
    if user.role == Role.STAFF:
        parties.add("staff")
    if acts_as_buyer(order, user):
        parties.add("buyer")
    if user.role == Role.FARMER and order.farmer.user_id == user.pk:
        parties.add("farmer")
    return parties


def actions_for(order: Order, user) -> list[str]:
    """The actions `user` may take on `order` now (the pages show these buttons)."""
    parties, accepted = _parties(order, user), order.completes_on_acceptance
    return [
        name
        for name, rule in TRANSITIONS.items()
        if order.status in rule.sources and rule.actors & parties
        if not (accepted and name == "complete")
    ]


def _move(order: Order, action: str, actor, note: str = "") -> Order:
    """Lock the order and move it; `actor` None is the platform itself."""
    rule = TRANSITIONS[action]
    order = (
        Order.objects.select_for_update(of=("self",))
        .select_related("farmer")
        .get(pk=order.pk)
    )
    elsewhere = action == "complete" and order.completes_on_acceptance
    if actor is not None and (elsewhere or not rule.actors & _parties(order, actor)):
        raise ValidationError(
            _("You cannot do this to this order."), code="not_allowed"
        )
    if order.status not in rule.sources:
        raise ValidationError(
            _("An order that is “%(status)s” cannot be %(action)s.")
            % {"status": order.get_status_display(), "action": rule.label},
            code="illegal_transition",
        )
    now = timezone.now()
    order.previous_status = order.status
    order.status = rule.target
    setattr(order, TIMESTAMPS[rule.target], now)
    if rule.target != S.PENDING_PAYMENT:
        order.expires_at = None
    order.save()
    OrderEvent.objects.create(order=order, type=rule.event, actor=actor, note=note)
    dirty_day_mark(order)
    sale_changed.send(sender=Order, order=order)
    return order


def _restock(order: Order, goods_back: bool = True) -> None:
    """Put the order's units back, but those already returned (and all off the
    sold count, if they were sold), product rows in primary-key order; goods
    the buyer keeps (a refund only) stay off the stock."""
    rows = order.lines.values_list("product_id", "quantity", "returned")
    if goods_back:
        stock_return(lines=[(p, q - r) for p, q, r in rows], were_sold=False)
    if order.previous_status in SOLD:
        units_sold_add(lines=[(p, -q) for p, q, _r in rows])


def record_paid(orders: list[Order]) -> None:
    """Paid (or confirmed for payment on delivery): the units count as sold, and
    the farmer and their assistant are told."""
    count_sold(orders)
    for order in orders:
        dirty_day_mark(order)
        sale_changed.send(sender=Order, order=order)
        notify(
            recipient=order.farmer.user, kind=Notification.Kind.ORDER_PAID, order=order
        )
        if order.assistant_id:
            notify(
                recipient=order.assistant.user,
                kind=Notification.Kind.FARMER_ORDER_PAID,
                order=order,
            )


@transaction.atomic
def orders_pay(*, orders: list[Order]) -> list[Order]:
    """The platform records a payment for orders paid together (the payment
    callback): order rows in primary-key order, then their products'."""
    paid = [_move(order, "pay", None) for order in sorted(orders, key=lambda o: o.pk)]
    record_paid(paid)
    return paid


@transaction.atomic
def order_ship(*, order: Order, actor, carrier: str, tracking_number: str) -> Order:
    """Sent with a listed carrier, by a tracking number of its shape."""
    tracking_number = tracking_clean(carrier, tracking_number)
    order = _move(order, "ship", actor)
    Shipment.objects.create(
        order=order,
        carrier=carrier,
        tracking_number=tracking_number,
        shipped_by=actor,
    )
    notify(recipient=order.buyer, kind=Notification.Kind.ORDER_SHIPPED, order=order)
    return order


@transaction.atomic
def order_deliver(*, order: Order, actor) -> Order:
    return _move(order, "deliver", actor)


@transaction.atomic
def order_complete(*, order: Order, actor) -> Order:
    """The buyer confirms receipt (which is also delivery, if not yet marked), or
    the platform does (`actor` None). Payments are locked first, as every path."""
    _lock_payments(order)
    order = _move(order, "complete", actor)
    if order.delivered_at is None:
        order.delivered_at = order.completed_at
        order.save(update_fields=["delivered_at"])
    _collected_on_delivery(order)
    order_completed.send(sender=Order, order=order)
    return order


def _collected_on_delivery(order: Order) -> None:
    """With pay on delivery, the checkout's payment is collected once none of its
    orders is still on its way."""
    payment = current_payment(order)
    if payment is None or PROVIDERS[payment.provider].online:
        return
    if PROVIDERS[payment.provider].pays_later:
        return  # the unit pays by transfer, which staff record
    on_the_way = order.checkout.orders.filter(status__in=ON_THE_WAY)
    if payment.status == PaymentStatus.PENDING and not on_the_way.exists():
        Payment.objects.filter(pk=payment.pk).update(
            status=PaymentStatus.PAID, paid_at=order.completed_at
        )


def _audit(order: Order, actor, action: str, note: str) -> None:
    record(
        actor=actor,
        action=action,
        subject=order,
        farmer=order.farmer,
        county=order.county,
        before={"status": order.previous_status},
        after={"status": order.status},
        note=note,
    )


def _for_someone_else(order: Order, actor) -> bool:
    """Staff or the platform acting, rather than the order's buyer or farmer."""
    parties = (order.buyer_id, order.farmer.user_id)
    return actor is None or actor.role == Role.STAFF or actor.pk not in parties


def _lock_payments(order: Order) -> None:
    """Lock the order's checkout's payments by primary key before the order: the
    lock order of every path (payment → its orders → their products), so a cancel
    or refund never waits on a payment callback that waits on this order."""
    checkout_id = order.checkout_id or (
        Order.objects.values_list("checkout_id", flat=True).get(pk=order.pk)
    )
    payments = Payment.objects.select_for_update().filter(checkout_id=checkout_id)
    list(payments.order_by("pk").values_list("pk", flat=True))


@transaction.atomic
def order_cancel(*, order: Order, actor, note: str = "") -> Order:
    """Cancel before shipping: the stock returns, and paid money is refunded."""
    _lock_payments(order)
    order = _move(order, "cancel", actor, note)
    _restock(order)
    if order.previous_status == S.PAID:
        refund_money(order, actor=actor)
    if _for_someone_else(order, actor):
        _audit(order, actor, AuditEvent.Action.ORDER_CANCELLED, note)
    return order


@transaction.atomic
def order_expire(*, order: Order) -> Order | None:
    """Cancel an order not paid in time; None if it was paid (or closed) meanwhile."""
    order = Order.objects.select_for_update(of=("self",)).get(pk=order.pk)
    if order.status != S.PENDING_PAYMENT or order.expires_at > timezone.now():
        return None
    order = _move(order, "expire", None)
    _restock(order)
    return order


@transaction.atomic
def order_refund(
    *, order: Order, actor, note: str = "", goods_back: bool = True
) -> Order:
    _lock_payments(order)
    order = _move(order, "refund", actor, note)
    _restock(order, goods_back)
    refund_money(order, actor=actor)
    _audit(order, actor, AuditEvent.Action.ORDER_REFUNDED, note)
    return order


@transaction.atomic
def order_refund_part(*, order: Order, actor, amount, note: str = "") -> Order:
    """Staff (or the platform, `actor` None) give back part of a paid order's
    money; it keeps its status and stock (all that remains: `order_refund`)."""
    _lock_payments(order)
    order = (
        Order.objects.select_for_update(of=("self",))
        .select_related("farmer")
        .get(pk=order.pk)
    )
    if actor is not None and "staff" not in _parties(order, actor):
        raise ValidationError(
            _("You cannot do this to this order."), code="not_allowed"
        )
    payment = current_payment(order)
    collected = payment is not None and (
        payment.status == PaymentStatus.PAID
        or (not PROVIDERS[payment.provider].online and order.status == S.COMPLETED)
        or PROVIDERS[payment.provider].pays_later  # a credit, before it is paid
    )
    if order.status not in TRANSITIONS["refund"].sources or not collected:
        raise ValidationError(
            _("Only money that has been paid can be refunded."), code="not_paid"
        )
    remaining = refundable(order)
    if not 0 < amount < remaining:
        raise ValidationError(
            _(
                "A part refund is more than ¥0 and less than the ¥%(remaining)s "
                "not yet refunded; to refund it all, refund the order."
            )
            % {"remaining": remaining},
            code="amount",
        )
    done = order.refunds.count()
    refund_send(
        payment=payment,
        amount=amount,
        refund_id=f"{payment.reference}-{order.pk}-p{done + 1}",
        order=order,
        actor=actor,
    )
    OrderEvent.objects.create(
        order=order, type=E.REFUNDED_PART, actor=actor, note=f"¥{amount} {note}"[:200]
    )
    order.previous_status = order.status
    record(
        actor=actor,
        action=AuditEvent.Action.ORDER_REFUNDED,
        subject=order,
        farmer=order.farmer,
        county=order.county,
        before={"refundable": str(remaining)},
        after={"refundable": str(remaining - amount)},
        note=note,
    )
    return order
