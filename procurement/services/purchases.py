"""Rebuilding a work unit's monthly purchases
(procurement.models.MonthlyUnitPurchases) from its acceptances and its staff's
completed purchases: the month's rows deleted and summed again by the database,
in the caller's transaction, so running it twice gives the same rows. It runs
whenever a unit order that was decided on changes (orders.signals.sale_changed:
the acceptance's own transitions, a refund after it), under a lock on the unit,
so two decisions of one unit's month rebuild one after the other; and whenever
a staff purchase changes. Only orders still completed count: one refunded whole
after acceptance (or completion) drops out."""

from datetime import date, datetime

from django.db import transaction
from django.db.models import Count, F, Sum
from django.utils import timezone

from common.money import TOTAL_FIELD
from orders.models import Order, OrderLine, OrderStatus
from procurement.models import (
    Acceptance,
    AcceptanceLine,
    Channel,
    MonthlyUnitPurchases,
    StaffPurchase,
    StaffShopper,
    WorkUnit,
)


def _bounds(month: date) -> tuple[datetime, datetime]:
    """The month's first and the next month's first moment, local time."""
    following = date(month.year + month.month // 12, month.month % 12 + 1, 1)
    return (
        timezone.make_aware(datetime(month.year, month.month, 1)),
        timezone.make_aware(datetime(following.year, following.month, 1)),
    )


@transaction.atomic
def unit_month_rebuild(unit_id: int, day: date) -> None:
    """The unit's rows of the month of `day` (a local date)."""
    month = day.replace(day=1)
    start, end = _bounds(month)
    WorkUnit.objects.select_for_update().filter(pk=unit_id).exists()
    MonthlyUnitPurchases.objects.filter(unit_id=unit_id, month=month).delete()
    rows = (
        AcceptanceLine.objects.filter(
            acceptance__unit_order__unit_id=unit_id,
            acceptance__decided_at__gte=start,
            acceptance__decided_at__lt=end,
            accepted__gt=0,
            line__order__status=OrderStatus.COMPLETED,
        )
        .values(
            county_id=F("line__order__county_id"),
            category_id=F("line__product__category_id"),
        )
        .annotate(
            amount=Sum(F("accepted") * F("line__unit_price"), output_field=TOTAL_FIELD),
            lines=Count("pk"),
            units=Sum("accepted"),
        )
        .order_by()
    )
    staff = (
        OrderLine.objects.filter(
            order__staff_purchase__unit_id=unit_id,
            order__status=OrderStatus.COMPLETED,
            order__completed_at__gte=start,
            order__completed_at__lt=end,
        )
        .values(
            county_id=F("order__county_id"),
            category_id=F("product__category_id"),
        )
        .annotate(amount=Sum("line_total"), lines=Count("pk"), units=Sum("quantity"))
        .order_by()
    )
    MonthlyUnitPurchases.objects.bulk_create(
        [
            *(MonthlyUnitPurchases(unit_id=unit_id, month=month, **r) for r in rows),
            *(
                MonthlyUnitPurchases(
                    unit_id=unit_id, month=month, channel=Channel.STAFF, **r
                )
                for r in staff
            ),
        ]
    )


def unit_purchases_follow(sender, order: Order, **kwargs) -> None:
    """orders.signals.sale_changed: a decided unit order's month is rebuilt, and
    so is a staff purchase's month of completion (recorded first, when paid)."""
    if not order.completes_on_acceptance:
        staff_purchase_follow(order)
        return
    decided = (
        Acceptance.objects.filter(unit_order__order=order)
        .values_list("unit_order__unit_id", "decided_at")
        .first()
    )
    if decided is not None:
        unit_month_rebuild(decided[0], timezone.localdate(decided[1]))


def staff_purchase_follow(order: Order) -> None:
    """A retail order a unit's staff shopper paid after joining is the unit's
    staff purchase from its payment on; once completed (or closed after), its
    month is rebuilt."""
    if order.paid_at is None:
        return  # unpaid: nobody's purchase yet
    unit_id = (
        StaffPurchase.objects.filter(order=order).values_list("unit_id", flat=True)
    ).first()
    if unit_id is None:
        unit_id = (
            StaffShopper.objects.filter(
                user_id=order.buyer_id, joined_at__lte=order.paid_at
            )
            .values_list("unit_id", flat=True)
            .first()
        )
        if unit_id is None:
            return
        StaffPurchase.objects.get_or_create(order=order, defaults={"unit_id": unit_id})
    if unit_id is not None and order.completed_at is not None:
        unit_month_rebuild(unit_id, timezone.localdate(order.completed_at))
