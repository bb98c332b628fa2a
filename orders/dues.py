"""What the payments staff record by bank transfer are owed now (docs/PAYMENTS.md):
before shipping, what the checkout's orders awaiting payment total; on account,
once the unit has decided on all of the checkout's goods, what it accepted (the
completed orders' totals less what was refunded or credited of them), due
UNIT_PAY_DAYS after its last decision. One annotated query, for one payment or
for the list staff work from."""

from datetime import timedelta
from decimal import Decimal

from django.conf import settings
from django.db.models import (
    Case,
    Exists,
    F,
    Max,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from common.money import TOTAL_FIELD
from orders.models import Order, OrderStatus, Payment, PaymentStatus, Refund
from orders.providers import PROVIDERS

ZERO = Value(Decimal(0), output_field=TOTAL_FIELD)
ON_THE_WAY = (OrderStatus.PAID, OrderStatus.SHIPPED, OrderStatus.DELIVERED)


def _by_transfer(later: bool) -> list[str]:
    return [
        code
        for code, provider in PROVIDERS.items()
        if provider.by_transfer and provider.pays_later == later
    ]


def _sum(rows, field: str):
    total = rows.values("checkout_id").annotate(total=Sum(field)).values("total")
    return Coalesce(Subquery(total[:1], output_field=TOTAL_FIELD), ZERO)


def transfers_due() -> QuerySet[Payment]:
    """The pending payments by transfer with something due now, each with `due`
    and, on account, `decided_at` (the unit's last decision; None before
    shipping). A checkout on account is due once none of its orders is still on
    its way."""
    orders = Order.objects.filter(checkout=OuterRef("checkout"))
    accepted = orders.filter(status=OrderStatus.COMPLETED)
    credited = Refund.objects.filter(
        order__checkout=OuterRef("checkout"),
        order__status=OrderStatus.COMPLETED,
        retry_of__isnull=True,
    )
    before = Q(provider__in=_by_transfer(later=False))
    later = Q(provider__in=_by_transfer(later=True))
    return (
        Payment.objects.filter(before | later, status=PaymentStatus.PENDING)
        .annotate(
            waiting=_sum(orders.filter(status=OrderStatus.PENDING_PAYMENT), "total"),
            accepted=_sum(accepted, "total"),
            credited=Coalesce(
                Subquery(
                    credited.values("order__checkout")
                    .annotate(total=Sum("amount"))
                    .values("total")[:1],
                    output_field=TOTAL_FIELD,
                ),
                ZERO,
            ),
            on_the_way=Exists(orders.filter(status__in=ON_THE_WAY)),
            decided_at=Subquery(
                accepted.values("checkout_id")
                .annotate(last=Max("completed_at"))
                .values("last")[:1]
            ),
        )
        .annotate(
            due=Case(
                When(before, then=F("waiting")),
                When(later & Q(on_the_way=False), then=F("accepted") - F("credited")),
                default=ZERO,
                output_field=TOTAL_FIELD,
            )
        )
        .filter(due__gt=0)
    )


def pay_by(payment):
    """The day a payment on account falls due (None before its goods are all
    decided, and for transfers made before shipping)."""
    if getattr(payment, "decided_at", None) is None:
        return None
    return timezone.localdate(payment.decided_at + _pay_days())


def overdue(now=None) -> QuerySet[Payment]:
    """The payments on account past their day (`pay_by` before today)."""
    today = timezone.localtime(now).replace(hour=0, minute=0, second=0, microsecond=0)
    later = _by_transfer(later=True)
    return transfers_due().filter(
        provider__in=later, decided_at__lt=today - _pay_days()
    )


def _pay_days() -> timedelta:
    return timedelta(days=settings.UNIT_PAY_DAYS)


def unpaid_on_account() -> Q:
    """Orders taken on account that the unit has not paid for yet: their
    earnings stay on hold until it does."""
    paid = Payment.objects.filter(
        checkout=OuterRef("checkout"), status=PaymentStatus.PAID
    )
    return Q(checkout__provider__in=_by_transfer(later=True)) & Q(~Exists(paid))
