"""Celery tasks of the orders app."""

from celery import shared_task

from orders import transitions


@shared_task
def expire_unpaid_orders() -> int:
    """Beat job: cancel orders unpaid past their deadline and release their stock.
    Idempotent: an order already expired (or paid) is skipped under its lock."""
    return transitions.expire_unpaid_orders()
