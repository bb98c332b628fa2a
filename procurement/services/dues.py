"""Payments on account chased: once a unit's payment is past its day
(orders.dues.pay_by), its admins and the buyer who placed the order are
reminded, then again every UNIT_CHASE_DAYS until staff record the transfer."""

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from notifications.models import Notification
from notifications.services import notify
from orders.dues import overdue
from orders.models import Payment
from procurement.models import UnitOrder
from procurement.selectors import admins_of

OVERDUE = Notification.Kind.UNIT_PAYMENT_OVERDUE


def chase_overdue(now=None, batch: int = 500) -> int:
    """Remind the people of each overdue payment not reminded of it within
    UNIT_CHASE_DAYS. Returns how many payments were chased."""
    now = now or timezone.now()
    since = now - timedelta(days=settings.UNIT_CHASE_DAYS)
    chased = _reminders(since).filter(order__checkout=OuterRef("checkout"))
    due = overdue(now).exclude(Exists(chased)).order_by("pk")
    done = 0
    for payment in list(due[:batch]):
        unit_order = (
            UnitOrder.objects.filter(order__checkout_id=payment.checkout_id)
            .select_related("order__buyer", "unit")
            .order_by("pk")
            .first()
        )
        if unit_order is None:  # a guard: every order on account is a unit's
            continue
        people = {m.user for m in admins_of(unit_order.unit).select_related("user")}
        buyer = unit_order.order.buyer
        if unit_order.unit.members.filter(user=buyer).exists():
            people.add(buyer)
        with transaction.atomic():
            # Under the payment's lock, so a second run at the same moment finds
            # this reminder and sends none.
            Payment.objects.select_for_update().filter(pk=payment.pk).first()
            if chased_since(payment, since):
                continue
            for person in sorted(people, key=lambda user: user.pk):
                notify(recipient=person, kind=OVERDUE, order=unit_order.order)
        done += 1
    return done


def _reminders(since):
    """The overdue reminders sent after `since`."""
    return Notification.objects.filter(kind=OVERDUE, created_at__gt=since)


def chased_since(payment, since) -> bool:
    return _reminders(since).filter(order__checkout=payment.checkout_id).exists()
