"""What the reports do when an order changes (orders.signals.sale_changed,
connected in reports/apps.py): mark the order's sale day dirty, inside the
order's transaction; and in embedded mode (no broker, so no beat: `make run`)
rebuild the dirty days as soon as that transaction commits."""

from django.conf import settings

from reports import rollups, tasks


def order_sale_changed(sender, *, order, **kwargs) -> None:
    rollups.mark_dirty(order)
    if settings.EMBEDDED and order.paid_at is not None:
        # Tasks run in-process without a broker: this is the rebuild itself,
        # after the commit, and a failure is logged without undoing the order
        # (the mark stays for the next rebuild). With a broker, beat's
        # rebuild_dirty_days does every marked day every 5 minutes.
        tasks.rebuild_dirty_days.delay_on_commit()
