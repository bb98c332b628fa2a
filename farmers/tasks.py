"""Celery tasks of the farmers app: household-data housekeeping."""

from datetime import timedelta

from celery import shared_task
from django.utils import timezone

from farmers.services import register_uploads_purge


@shared_task
def purge_stale_register_uploads(days: int = 7) -> int:
    """Delete uploaded registers never imported within `days`; idempotent."""
    return register_uploads_purge(before=timezone.now() - timedelta(days=days))
