"""The order deadlines the beat keeps: an order not paid in time is cancelled,
and a shipped order the buyer never confirmed is completed ORDER_AUTO_COMPLETE_DAYS
after shipping, the buyer told ORDER_AUTO_COMPLETE_NOTICE_DAYS before; a farmer
is told of a paid order a day before its shipping deadline. Each order is moved
in its own transaction; each job is idempotent."""

from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from notifications.models import Notification
from notifications.services import notify
from orders.models import Order, OrderEvent, OrderStatus
from orders.selectors import SHIP_SOON_HOURS, SHIP_WITHIN
from orders.services.transitions import order_complete, order_expire

BATCH = 1000
WAITING = (OrderStatus.SHIPPED, OrderStatus.DELIVERED)


def expire_unpaid_orders(now=None) -> int:
    """Expire every order past its payment deadline. Returns how many it expired."""
    now = now or timezone.now()
    overdue = Order.objects.filter(
        status=OrderStatus.PENDING_PAYMENT, expires_at__lte=now
    ).values_list("pk", flat=True)
    return sum(
        order_expire(order=Order(pk=pk)) is not None for pk in list(overdue[:BATCH])
    )


def complete_unconfirmed_orders(now=None) -> int:
    """Complete every shipped order whose confirmation period has ended (the
    platform confirms receipt). Returns how many it completed."""
    now = now or timezone.now()
    due = now - timedelta(days=settings.ORDER_AUTO_COMPLETE_DAYS)
    ids = Order.objects.filter(
        status__in=WAITING, shipped_at__lte=due, completes_on_acceptance=False
    ).values_list("pk", flat=True)
    done = 0
    for pk in list(ids[:BATCH]):
        try:  # order_complete locks the payments, then the order, and checks it
            order_complete(order=Order(pk=pk), actor=None)
        except ValidationError:
            continue  # confirmed, or refunded, meanwhile
        done += 1
    return done


def warn_completion_soon(now=None) -> int:
    """Tell each buyer, once, that a shipped order will be completed for them
    soon unless they report a problem (not for one already due). Returns how
    many were told."""
    now = now or timezone.now()
    days = settings.ORDER_AUTO_COMPLETE_DAYS - settings.ORDER_AUTO_COMPLETE_NOTICE_DAYS
    due = Order.objects.filter(
        status__in=WAITING,
        shipped_at__lte=now - timedelta(days=days),
        # One already due is completed now: no notice of what is done.
        shipped_at__gt=now - timedelta(days=settings.ORDER_AUTO_COMPLETE_DAYS),
        completes_on_acceptance=False,
    )
    return _tell_once(
        due,
        OrderEvent.Type.AUTO_COMPLETE_SOON,
        Notification.Kind.ORDER_COMPLETES_SOON,
        lambda order: order.buyer,
        WAITING,
    )


def warn_shipping_deadlines(now=None) -> int:
    """Tell each farmer, once, of a paid order SHIP_SOON_HOURS from its shipping
    deadline (SHIP_WITHIN of its payment), not yet overdue. Returns how many
    were told."""
    now = now or timezone.now()
    due = Order.objects.filter(
        status=OrderStatus.PAID,
        paid_at__lte=now - SHIP_WITHIN + timedelta(hours=SHIP_SOON_HOURS),
        paid_at__gt=now - SHIP_WITHIN,
    )
    return _tell_once(
        due,
        OrderEvent.Type.SHIP_SOON,
        Notification.Kind.SHIP_SOON,
        lambda order: order.farmer.user,
        (OrderStatus.PAID,),
    )


def _tell_once(orders, event: str, kind: str, recipient, statuses) -> int:
    """Record `event` on each of `orders` that has none, and notify its
    `recipient(order)` of `kind`; each order locked in its own transaction and
    told only if it is still in `statuses`."""
    ids = orders.exclude(events__type=event).values_list("pk", flat=True)
    told = 0
    for pk in list(ids[:BATCH]):
        with transaction.atomic():
            order = (
                Order.objects.select_for_update(of=("self",))
                .select_related("buyer", "farmer__user")
                .get(pk=pk)
            )
            if order.status not in statuses or order.events.filter(type=event).exists():
                continue
            OrderEvent.objects.create(order=order, type=event)
            notify(recipient=recipient(order), kind=kind, order=order)
            told += 1
    return told
