"""Celery tasks of the orders app."""

from datetime import date, timedelta

from celery import shared_task
from django.utils import timezone

from orders.providers.base import ProviderError
from orders.services import deadlines, reconciliation
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
def warn_shipping_deadlines() -> int:
    """Every 10 minutes: tell farmers of paid orders a day from their shipping
    deadline; idempotent (each order is told once)."""
    return deadlines.warn_shipping_deadlines()


@shared_task
def purge_abandoned_carts(days: int = 30) -> int:
    """Nightly: delete anonymous visitors' carts untouched for `days`; idempotent."""
    return cart_purge_abandoned(before=timezone.now() - timedelta(days=days))


@shared_task(
    acks_late=True,
    autoretry_for=(ProviderError,),
    # 5, 10, 20, then 30 minutes: every countdown stays below Redis's
    # visibility timeout (docs/OPERATIONS.md).
    retry_backoff=300,
    retry_backoff_max=1800,
    retry_jitter=False,
    max_retries=6,
)
def reconcile_payments(day: str | None = None) -> int:
    """Daily, 10:30 China time (the gateways' bills are ready after 10:00):
    reconcile yesterday (or `day`, ISO) for every provider that reconciles; a
    gateway that does not answer is tried again with backoff. Idempotent: a
    rerun of a day never duplicates a mismatch. Returns the mismatches found."""
    runs = reconciliation.reconcile_all(day=date.fromisoformat(day) if day else None)
    return sum(run.mismatch_count for run in runs)
