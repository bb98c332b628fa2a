"""What the reports do when an order changes (orders.signals.sale_changed,
connected in reports/apps.py; the order's transaction has marked its sale day
dirty, orders.services.dirty_days): in embedded mode (no broker, so no beat: `make run`)
rebuild the dirty days as soon as that transaction commits. And the export
builds asked for (reports.signals.export_requested). And a record a cached report
reads, saved, deleted or written in bulk: a new version (reports.cache)."""

from django.conf import settings

from reports import cache, tasks


def order_sale_changed(sender, *, order, **kwargs) -> None:
    if settings.EMBEDDED and order.paid_at is not None:
        # Tasks run in-process without a broker: this is the rebuild itself,
        # after the commit, and a failure is logged without undoing the order
        # (the mark stays for the next rebuild). With a broker, beat's
        # rebuild_dirty_days does every marked day every 5 minutes.
        tasks.rebuild_dirty_days.delay_on_commit()


def export_requested(export_id: int, again: bool, **_signal) -> None:
    """Queue the export's build: once the request commits, or at once when its
    task is sent again (reports.exports.exports_resend_waiting)."""
    if again:
        tasks.build_export.apply_async([export_id], ignore_result=True)
    else:
        tasks.build_export.delay_on_commit(export_id)


def record_saved(sender, **kwargs) -> None:
    cache.records_changed(sender._meta.label)
