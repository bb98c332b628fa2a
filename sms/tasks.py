"""Celery tasks for text messages: send one, and the outbox sweep."""

from celery import shared_task

from sms.services import sms_outbox_deliver, sms_send


@shared_task(acks_late=True)
def send_text_message(message_id: int) -> bool:
    """Safe to run twice: a message sent, not yet due, or leased by another
    worker is skipped (sms.services.sms_send)."""
    return sms_send(message_id)


@shared_task(acks_late=True)
def deliver_sms_outbox() -> int:
    """Beat job: send every message that is due and not leased (those deferred
    by the quiet hours or a backoff among them)."""
    return sms_outbox_deliver()
