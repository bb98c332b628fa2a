"""Celery tasks of the reports app: rebuilding the sales rollups."""

from datetime import timedelta

from celery import shared_task
from django.utils import timezone

from orders.models import DirtyDay
from reports import exports, rollups


@shared_task(acks_late=True)
def rebuild_dirty_days() -> list[str]:
    """Rebuild the days whose orders changed. Idempotent: a rebuild replaces the
    day's rows, so running it twice (or a redelivery) gives identical rows."""
    return [day.isoformat() for day in rollups.rebuild_dirty()]


@shared_task(acks_late=True)
def nightly_rollup() -> list[str]:
    """Nightly: yesterday (whatever happened) and every dirty day."""
    yesterday = timezone.localdate() - timedelta(days=1)
    DirtyDay.objects.bulk_create([DirtyDay(day=yesterday)], ignore_conflicts=True)
    return rebuild_dirty_days()


@shared_task(acks_late=True)
def build_export(export_id: int) -> str:
    """Build a report export. Idempotent: a finished export is not built again."""
    return exports.export_build(export_id)


@shared_task
def export_housekeeping() -> dict:
    """Beat: fail exports whose worker was lost (running past the hard time limit)
    or that never started, send again those still waiting, and delete files past
    their expiry. Idempotent."""
    return {
        "failed": exports.exports_fail_stale(),
        "resent": exports.exports_resend_waiting(),
        "purged": exports.exports_purge_expired(),
    }
