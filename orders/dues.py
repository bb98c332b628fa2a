"""What the payments staff record by bank transfer are owed now (docs/PAYMENTS.md):
before shipping, what the checkout's orders awaiting payment total; on account,
once none of the checkout's orders is on its way any more, what the unit
accepted (the completed orders' totals less what was credited of them), due
UNIT_PAY_DAYS after the last of its orders was decided on, cancelled or
refunded. One annotated query, for one payment or for the lists. And the one
rule for what is a credit: a refund on account made before the unit paid."""

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
from orders.models import (
    ON_THE_WAY,
    Order,
    OrderStatus,
    Payment,
    PaymentStatus,
    Refund,
)
from orders.providers import codes_where

ZERO = Value(Decimal(0), output_field=TOTAL_FIELD)


def on_account() -> list[str]:
    """The providers paid after acceptance."""
    return codes_where(pays_later=True)


def is_credit(payment: str = "payment__") -> Q:
    """Refunds that are credits: on account, made before the unit paid (nothing
    goes back; what the unit owes is lower). `payment` is the path to the
    payment."""
    return Q(**{f"{payment}provider__in": on_account()}) & (
        Q(**{f"{payment}paid_at__isnull": True})
        | Q(requested_at__lt=F(f"{payment}paid_at"))
    )


def _sum(rows, field: str):
    total = rows.values("checkout_id").annotate(total=Sum(field)).values("total")
    return Coalesce(Subquery(total[:1], output_field=TOTAL_FIELD), ZERO)


def transfers_due() -> QuerySet[Payment]:
    """The pending payments by transfer with something due now, each with `due`
    and, on account, `decided_at` (when the last of its orders was decided on,
    cancelled or refunded; None before shipping)."""
    orders = Order.objects.filter(checkout=OuterRef("checkout"))
    accepted = orders.filter(status=OrderStatus.COMPLETED)
    credited = Refund.objects.filter(
        order__checkout=OuterRef("checkout"),
        order__status=OrderStatus.COMPLETED,
        retry_of__isnull=True,
    )
    before = Q(provider__in=codes_where(by_transfer=True, pays_later=False))
    later = Q(provider__in=on_account())
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
                orders.values("checkout_id")
                .annotate(last=Max(Coalesce("closed_at", "completed_at")))
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
    if payment.provider not in on_account() or payment.decided_at is None:
        return None
    return timezone.localdate(payment.decided_at + _pay_days())


def overdue(now=None) -> QuerySet[Payment]:
    """The payments on account past their day (`pay_by` before today)."""
    today = timezone.localtime(now).replace(hour=0, minute=0, second=0, microsecond=0)
    return transfers_due().filter(
        provider__in=on_account(), decided_at__lt=today - _pay_days()
    )


def _pay_days() -> timedelta:
    return timedelta(days=settings.UNIT_PAY_DAYS)


def unpaid_on_account() -> Q:
    """Orders taken on account that the unit has not paid for yet: their
    earnings stay on hold until it does."""
    paid = Payment.objects.filter(
        checkout=OuterRef("checkout"), status=PaymentStatus.PAID
    )
    return Q(checkout__provider__in=on_account()) & Q(~Exists(paid))
