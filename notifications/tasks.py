"""Celery tasks for notifications: send one e-mail, and the outbox sweep."""

from celery import shared_task

from notifications.services import notification_email_send, outbox_deliver


@shared_task(acks_late=True)
def send_notification_email(notification_id: int) -> bool:
    """Idempotent: a notification already sent is skipped."""
    return notification_email_send(notification_id)


@shared_task(acks_late=True)
def deliver_notification_outbox() -> int:
    """Beat job: send every e-mail still pending. Idempotent, as above."""
    return outbox_deliver()
