"""Celery tasks of the orders app."""

from datetime import timedelta

from celery import shared_task
from django.utils import timezone

from orders.services import deadlines
from orders.services.cart import cart_purge_abandoned


@shared_task
def expire_unpaid_orders() -> int:
    """Beat job: cancel orders unpaid past their deadline and release their stock.
    Idempotent: an order already expired (or paid) is skipped under its lock."""
    return deadlines.expire_unpaid_orders()


@shared_task
def complete_unconfirmed_orders() -> int:
    """Hourly: tell buyers whose shipped orders will soon be completed for them,
    then complete those past the confirmation period; idempotent."""
    deadlines.warn_completion_soon()
    return deadlines.complete_unconfirmed_orders()


@shared_task
def purge_abandoned_carts(days: int = 30) -> int:
    """Nightly: delete anonymous visitors' carts untouched for `days`; idempotent."""
    return cart_purge_abandoned(before=timezone.now() - timedelta(days=days))
