"""Moving a checkout placed through the services back to a day in the past, for
the demo's history: every timestamp its rows carry (the checkout, its orders,
payments, events, shipments, the unit's acceptances and delivery dates, and
refunds) moves by the same span, so their order and the time between them stay
as the services made them. The ledger is append-only and keeps the moment its
entries were posted, as audit events and notifications keep theirs."""

from datetime import date, datetime, time, timedelta

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from orders.models import Checkout, Order, OrderEvent, Payment, Refund, Shipment
from procurement.models import Acceptance, UnitOrder

ORDER_TIMES = (
    "placed_at",
    "expires_at",
    "paid_at",
    "shipped_at",
    "delivered_at",
    "completed_at",
    "closed_at",
)


@transaction.atomic
def checkout_back_date(checkout: Checkout, day: date) -> None:
    """The checkout placed at 10:00 on `day` (local time)."""
    placed = Checkout.objects.get(pk=checkout.pk).created_at
    span = timezone.make_aware(datetime.combine(day, time(10))) - placed

    def moved(*names: str) -> dict:
        return {name: F(name) + span for name in names}

    Checkout.objects.filter(pk=checkout.pk).update(**moved("created_at"))
    Order.objects.filter(checkout=checkout).update(**moved(*ORDER_TIMES))
    Payment.objects.filter(checkout=checkout).update(**moved("created_at", "paid_at"))
    OrderEvent.objects.filter(order__checkout=checkout).update(**moved("created_at"))
    Shipment.objects.filter(order__checkout=checkout).update(**moved("shipped_at"))
    Acceptance.objects.filter(unit_order__order__checkout=checkout).update(
        **moved("decided_at")
    )
    UnitOrder.objects.filter(order__checkout=checkout).update(
        deliver_by=F("deliver_by") + timedelta(days=span.days)
    )
    Refund.objects.filter(payment__checkout=checkout).update(
        **moved("requested_at", "settled_at")
    )
