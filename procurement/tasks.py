"""Celery tasks of work units."""

from celery import shared_task

from procurement.services import acceptance


@shared_task
def accept_overdue_deliveries() -> int:
    """Hourly: accept whole each unit delivery nobody decided on in time;
    idempotent (an order decided meanwhile is skipped)."""
    return acceptance.accept_overdue()
