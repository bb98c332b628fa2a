"""Celery tasks for notifications: send one e-mail, and the outbox sweep."""

from celery import shared_task

from notifications.services import notification_email_send, outbox_deliver


@shared_task(acks_late=True)
def send_notification_email(notification_id: int) -> bool:
    """Safe to run twice: an e-mail sent, or leased by another worker, is skipped
    (notifications.services.notification_email_send)."""
    return notification_email_send(notification_id)


@shared_task(acks_late=True)
def deliver_notification_outbox() -> int:
    """Beat job: send every e-mail still pending and not leased. Safe to run
    twice, as above."""
    return outbox_deliver()
