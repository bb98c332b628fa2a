"""The dirty-days outbox: every change to an order's sale marks its sale day, in
the transaction that changed the order, for the reports to rebuild (they read
and clear orders.models.DirtyDay; orders never import reports)."""

from django.utils import timezone

from orders.models import DirtyDay, Order


def dirty_day_mark(order: Order) -> None:
    """The order's sale day needs rebuilding (every order transition, and
    record_paid)."""
    if order.paid_at is None:
        return
    day = timezone.localdate(order.paid_at)
    # An upsert, not "ignore": it locks the day's row until the change commits, so
    # a rebuild that would clear the mark waits and then sees the change.
    DirtyDay.objects.bulk_create(
        [DirtyDay(day=day, marked_at=timezone.now())],
        update_conflicts=True,
        unique_fields=["day"],
        update_fields=["marked_at"],
    )
