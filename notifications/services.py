"""Writes about notifications: create one (in the caller's transaction: the row is
the in-app message and the e-mail outbox entry at once), send its e-mail, mark read.
Sending is idempotent: a notification already sent is never sent again."""

import logging

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone, translation

from notifications.messages import render
from notifications.models import Notification

logger = logging.getLogger(__name__)
MAX_EMAIL_ATTEMPTS = 5


def notify(
    *, recipient, kind: str, order=None, farmer=None, reason: str = ""
) -> Notification:
    """Record a notification and queue its e-mail once the transaction commits. If
    the broker is down then, the outbox job sends it later."""
    from notifications.tasks import send_notification_email

    notification = Notification.objects.create(
        recipient=recipient,
        kind=kind,
        order=order,
        farmer=farmer,
        reason=reason,
        email=Notification.Email.PENDING
        if recipient.email
        else Notification.Email.NO_ADDRESS,
    )
    if notification.email == Notification.Email.PENDING:
        send_notification_email.delay_on_commit(notification.pk)
    return notification


@transaction.atomic
def notification_email_send(notification_id: int) -> bool:
    """Send one pending e-mail; False if another worker has it or it was sent."""
    notification = (
        Notification.objects.select_for_update(skip_locked=True, of=("self",))
        .select_related("recipient", "order__farmer", "order__shipment", "farmer")
        .filter(pk=notification_id, email=Notification.Email.PENDING)
        .first()
    )
    if notification is None:
        return False
    with translation.override(settings.LANGUAGE_CODE):
        message = render(notification)
        try:
            send_mail(
                subject=str(message.title),
                message=f"{message.text}\n\n{settings.SITE_URL}{message.url}",
                from_email=None,
                recipient_list=[notification.recipient.email],
            )
        except OSError as exc:
            notification.email_attempts += 1
            if notification.email_attempts >= MAX_EMAIL_ATTEMPTS:
                notification.email = Notification.Email.FAILED
            logger.warning(
                "e-mail for notification %s failed: %s", notification_id, exc
            )
            notification.save(update_fields=["email_attempts", "email"])
            return False
    notification.email = Notification.Email.SENT
    notification.email_attempts += 1
    notification.emailed_at = timezone.now()
    notification.save(update_fields=["email", "email_attempts", "emailed_at"])
    return True


def outbox_deliver(limit: int = 500) -> int:
    """Send the e-mails still waiting (their task was lost, say while the broker
    was down). Returns how many were sent."""
    pending = Notification.objects.filter(email=Notification.Email.PENDING).order_by(
        "created_at", "pk"
    )
    return sum(
        notification_email_send(pk)
        for pk in list(pending.values_list("pk", flat=True)[:limit])
    )


def notifications_mark_read(*, user, ids=None) -> int:
    """Mark `user`'s notifications (those in `ids`, or all) read."""
    unread = Notification.objects.filter(recipient=user, read_at__isnull=True)
    if ids is not None:
        unread = unread.filter(pk__in=ids)
    return unread.update(read_at=timezone.now())
