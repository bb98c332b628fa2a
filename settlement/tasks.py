"""Celery tasks of settlement, thin: the hourly end of holds, the weekly payout
run, and the nightly ledger check (which fails loudly, naming the mismatch)."""

import logging

from celery import shared_task

from settlement.invariants import first_mismatch
from settlement.services.earnings import release_due_earnings
from settlement.services.payouts import payout_run

logger = logging.getLogger(__name__)


class LedgerMismatch(Exception):
    """check_ledger found something wrong."""


@shared_task
def release_held_earnings() -> int:
    """Hourly: earnings whose hold has ended become available; idempotent."""
    return release_due_earnings()


@shared_task
def weekly_payout_run() -> int | None:
    """Mondays: pay every farmer due a payout; a rerun pays nobody twice."""
    batch, _held = payout_run(actor=None)
    return batch.pk if batch else None


@shared_task
def check_ledger() -> str:
    """Nightly: the ledger's invariants; a mismatch fails the task, logged."""
    problem = first_mismatch()
    if problem:
        logger.error("ledger mismatch: %s", problem)
        raise LedgerMismatch(problem)
    return "ok"
