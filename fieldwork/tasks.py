"""Celery tasks of the field work."""

from celery import shared_task

from fieldwork.services import help_alerts_run


@shared_task(acks_late=True)
def alert_farmers_needing_help() -> dict:
    """Nightly: alert assistants of new "needs help" cases. Idempotent: a case is
    alerted once (HelpCase's unique open row), so a redelivery is harmless."""
    run = help_alerts_run()
    return {"opened": run.opened, "closed": run.closed}
