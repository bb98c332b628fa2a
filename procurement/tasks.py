"""Celery tasks of work units."""

from celery import shared_task

from procurement.services import acceptance, dues


@shared_task
def accept_overdue_deliveries() -> int:
    """Hourly: accept whole each unit delivery nobody decided on in time;
    idempotent (an order decided meanwhile is skipped)."""
    return acceptance.accept_overdue()


@shared_task
def chase_overdue_payments() -> int:
    """Daily: remind units of their payments on account past their day, once
    every UNIT_CHASE_DAYS; idempotent within that time."""
    return dues.chase_overdue()
