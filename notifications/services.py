"""Writes about notifications: create one (in the caller's transaction: the row is
the in-app message and the e-mail outbox entry at once, and queues its text
message: notifications.channels says which go), send its e-mail, mark read.
Sending is at least once, with a small window: an e-mail recorded as sent is never
sent again, and one claimed by a worker is not sent by another while the claim's
lease is live (docs/OPERATIONS.md)."""

import logging
import uuid
from datetime import timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q
from django.utils import timezone, translation

from notifications.channels import SMS_PURPOSE, channels_for
from notifications.messages import render, sms_params
from notifications.models import Notification, Preference
from notifications.signals import email_pending
from sms.services import sms_queue

logger = logging.getLogger(__name__)
MAX_EMAIL_ATTEMPTS = 5
# A worker's claim on an e-mail lasts longer than any task may run (the hard time
# limit kills it first), so a send still in progress never loses its lease.
EMAIL_LEASE = timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT + 60)


def notify(
    *,
    recipient,
    kind: str,
    order=None,
    farmer=None,
    product=None,
    reason: str = "",
) -> Notification:
    """Record a notification; queue its e-mail once the transaction commits (if
    the broker is down then, the outbox job sends it later) and its text
    message, by the channels the recipient gets this kind by."""
    channels = channels_for(recipient, kind)
    if channels.email:
        email = Notification.Email.PENDING
    else:
        email = (
            Notification.Email.OFF if recipient.email else Notification.Email.NO_ADDRESS
        )
    notification = Notification.objects.create(
        recipient=recipient,
        kind=kind,
        order=order,
        farmer=farmer,
        product=product,
        reason=reason,
        email=email,
    )
    if email == Notification.Email.PENDING:
        email_pending.send(sender=Notification, notification_id=notification.pk)
    if channels.sms:
        _text(notification)
    return notification


def _text(notification: Notification) -> None:
    """Queue the notification's text message, if its kind's app has one for it."""
    with translation.override(settings.LANGUAGE_CODE):
        params = sms_params(notification)
    if params is None:
        return
    notification.text_message = sms_queue(
        phone=notification.recipient.phone,
        purpose=SMS_PURPOSE[notification.kind],
        params=params,
        recipient=notification.recipient,
    )
    notification.save(update_fields=["text_message"])


def sms_not_delivered(message) -> int:
    """A text message given up (sms.signals.sms_given_up): its notification is
    the message now, so it is shown unread, marked "not delivered by SMS"."""
    return Notification.objects.filter(text_message=message).update(read_at=None)


def _claimable(now):
    return Q(email=Notification.Email.PENDING) & (
        Q(email_claimed_until__isnull=True) | Q(email_claimed_until__lt=now)
    )


def notification_email_claim(notification_id: int) -> uuid.UUID | None:
    """Claim a pending e-mail for EMAIL_LEASE, in a transaction of its own that
    commits before anything is sent: the claim token, or None if the e-mail was
    sent or another worker's lease is live."""
    token = uuid.uuid4()
    now = timezone.now()
    with transaction.atomic(durable=True):
        claimed = Notification.objects.filter(
            _claimable(now), pk=notification_id
        ).update(email_claim=token, email_claimed_until=now + EMAIL_LEASE)
    return token if claimed else None


def notification_email_send(notification_id: int) -> bool:
    """Send one pending e-mail; False if it was sent, another worker's lease on it
    is live, or sending failed. Three steps, each its own short transaction or
    none: claim (committed), send, record the outcome and release the lease. A
    worker killed between the mail server taking the message and the record
    leaves the lease: the e-mail goes out again only once it has expired."""
    token = notification_email_claim(notification_id)
    if token is None:
        return False
    notification = Notification.objects.select_related(
        "recipient", "order__farmer", "order__shipment", "farmer"
    ).get(pk=notification_id)
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
            logger.warning(
                "e-mail for notification %s failed: %s", notification_id, exc
            )
            _record(notification_id, token, sent=False)
            return False
    _record(notification_id, token, sent=True)
    return True


@transaction.atomic
def _record(notification_id: int, token: uuid.UUID, *, sent: bool) -> None:
    """Count the attempt, mark it sent (or failed after MAX_EMAIL_ATTEMPTS) and
    release the lease, if the lease is still ours."""
    notification = (
        Notification.objects.select_for_update()
        .filter(pk=notification_id, email_claim=token)
        .first()
    )
    if notification is None:
        # The lease expired and another worker claimed the e-mail meanwhile.
        logger.warning("e-mail for notification %s: lease lost", notification_id)
        return
    notification.email_attempts += 1
    if sent:
        notification.email = Notification.Email.SENT
        notification.emailed_at = timezone.now()
    elif notification.email_attempts >= MAX_EMAIL_ATTEMPTS:
        notification.email = Notification.Email.FAILED
    notification.email_claim = None
    notification.email_claimed_until = None
    notification.save(
        update_fields=[
            "email",
            "email_attempts",
            "emailed_at",
            "email_claim",
            "email_claimed_until",
        ]
    )


def outbox_deliver(limit: int = 500) -> int:
    """Send the e-mails still waiting (their task was lost, say while the broker
    was down), leaving those another worker holds a live lease on. Returns how
    many were sent."""
    waiting = Notification.objects.filter(_claimable(timezone.now())).order_by(
        "created_at", "pk"
    )
    return sum(
        notification_email_send(pk)
        for pk in list(waiting.values_list("pk", flat=True)[:limit])
    )


@transaction.atomic
def preferences_save(*, user, choices: dict[str, tuple]) -> None:
    """Save the user's channels, (e-mail, SMS), for each kind in `choices`
    (None: not chosen, the default applies)."""
    for kind, (email, sms) in choices.items():
        Preference.objects.update_or_create(
            user=user, kind=kind, defaults={"email": email, "sms": sms}
        )


def notifications_mark_read(*, user, ids=None) -> int:
    """Mark `user`'s notifications (those in `ids`, or all) read."""
    unread = Notification.objects.filter(recipient=user, read_at__isnull=True)
    if ids is not None:
        unread = unread.filter(pk__in=ids)
    return unread.update(read_at=timezone.now())
