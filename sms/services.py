"""Writes about text messages: queue one (in the caller's transaction), send
it, sweep the outbox.

- **Quiet hours:** a message that is not urgent, queued or retried between
  SMS_QUIET_HOURS' start and end (local time), waits for the end.
- **Limits:** at most SMS_LIMIT_PER_HOUR and SMS_LIMIT_PER_DAY messages are
  sent to one phone; one over the limit is not sent (LIMITED).
- **Retries:** a failure that may pass is tried again after SMS_RETRY_MINUTES
  (1, 5, 30, 120 by default); after the last, or at once for a failure no retry
  cures, the message FAILED.
Either way a message not sent is given up with `sms_given_up`, so whoever
queued it can fall back. Once a message is sent or given up, its codes and
one-time links are masked in the log. Sending is at least once, with a lease like the
e-mail outbox's (notifications.services)."""

import logging
import uuid
from datetime import datetime, time, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from sms.backends import SmsError, backend
from sms.models import TextMessage
from sms.signals import sms_given_up, sms_pending

logger = logging.getLogger(__name__)
# A worker's claim on a message outlasts any task (the hard time limit kills it
# first), so a send in progress never loses its lease.
LEASE = timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT + 60)
# Aliyun's variables take at most 35 characters each (links excepted).
PARAM_MAX = 35
# Parameters that open an account (a code, a one-time link): kept only until the
# message is sent or given up, then masked, so the send log holds none.
SECRET_PARAMS = {"code", "link"}


def after_quiet_hours(moment: datetime) -> datetime:
    """`moment`, or the end of the quiet hours it falls in (local time)."""
    start, end = settings.SMS_QUIET_HOURS
    local = timezone.localtime(moment)
    hour = local.hour
    quiet = (start <= hour or hour < end) if start > end else start <= hour < end
    if not quiet:
        return moment
    day = local.date() + timedelta(days=1) if hour >= end else local.date()
    return timezone.make_aware(datetime.combine(day, time(end)), local.tzinfo)


def sms_queue(
    *, phone: str, purpose: str, params: dict, recipient=None, urgent: bool = False
) -> TextMessage:
    """Queue a message; it is sent once the caller's transaction commits, or at
    the end of the quiet hours. Parameters are the template's, each clipped to
    what the provider takes, but a `link`."""
    clipped = {
        key: str(value) if key == "link" else str(value)[:PARAM_MAX]
        for key, value in params.items()
    }
    now = timezone.now()
    message = TextMessage.objects.create(
        phone=phone,
        recipient=recipient,
        purpose=purpose,
        params=clipped,
        urgent=urgent,
        send_after=now if urgent else after_quiet_hours(now),
    )
    sms_pending.send(sender=TextMessage, message_id=message.pk)
    return message


def _due(now) -> Q:
    return Q(status=TextMessage.Status.PENDING, send_after__lte=now) & (
        Q(claimed_until__isnull=True) | Q(claimed_until__lt=now)
    )


def _claim(message_id: int) -> uuid.UUID | None:
    token = uuid.uuid4()
    now = timezone.now()
    with transaction.atomic(durable=True):
        claimed = TextMessage.objects.filter(_due(now), pk=message_id).update(
            claim=token, claimed_until=now + LEASE
        )
    return token if claimed else None


def over_limit(phone: str, now=None) -> bool:
    """Has `phone` had its share of messages this hour, or today?"""
    now = now or timezone.now()
    sent = TextMessage.objects.filter(
        phone=phone, status=TextMessage.Status.SENT, sent_at__gt=now - timedelta(days=1)
    )
    return (
        sent.filter(sent_at__gt=now - timedelta(hours=1)).count()
        >= settings.SMS_LIMIT_PER_HOUR
        or sent.count() >= settings.SMS_LIMIT_PER_DAY
    )


def sms_send(message_id: int) -> bool:
    """Send one due message: True if the provider took it. Claim (committed),
    check the phone's limits, send, record the outcome and release the lease."""
    token = _claim(message_id)
    if token is None:
        return False
    message = TextMessage.objects.get(pk=message_id)
    if over_limit(message.phone):
        _record(message_id, token, status=TextMessage.Status.LIMITED)
        return False
    try:
        provider_id = backend().send(
            phone=message.phone, purpose=message.purpose, params=message.params
        )
    except SmsError as exc:
        logger.warning("SMS %s failed: %s", message_id, exc)
        _record(message_id, token, error=exc)
        return False
    _record(message_id, token, status=TextMessage.Status.SENT, provider_id=provider_id)
    return True


def _retry_at(message: TextMessage, error: SmsError) -> datetime | None:
    """When to try again, or None to give up."""
    backoff = settings.SMS_RETRY_MINUTES
    if not error.retry or message.attempts > len(backoff):
        return None
    later = timezone.now() + timedelta(minutes=backoff[message.attempts - 1])
    return later if message.urgent else after_quiet_hours(later)


@transaction.atomic
def _record(
    message_id: int,
    token: uuid.UUID,
    *,
    status: str | None = None,
    provider_id: str = "",
    error: SmsError | None = None,
) -> None:
    message = (
        TextMessage.objects.select_for_update()
        .filter(pk=message_id, claim=token)
        .first()
    )
    if message is None:
        logger.warning("SMS %s: lease lost", message_id)
        return
    message.claim = message.claimed_until = None
    if status != TextMessage.Status.LIMITED:
        message.attempts += 1
    if error is not None:
        message.error = str(error)[:200]
        retry_at = _retry_at(message, error)
        if retry_at is None:
            status = TextMessage.Status.FAILED
        else:
            message.send_after = retry_at
    if status == TextMessage.Status.SENT:
        message.sent_at = timezone.now()
        message.provider_id = provider_id[:64]
    if status:
        message.status = status
    if message.status != TextMessage.Status.PENDING:
        message.params = {
            key: "******" if key in SECRET_PARAMS else value
            for key, value in message.params.items()
        }
    message.save()
    if status in (TextMessage.Status.FAILED, TextMessage.Status.LIMITED):
        sms_given_up.send(sender=TextMessage, message=message)


def sms_outbox_deliver(limit: int = 500) -> int:
    """Send the messages that are due and not leased; how many were sent."""
    due = TextMessage.objects.filter(_due(timezone.now())).order_by("send_after", "pk")
    return sum(sms_send(pk) for pk in list(due.values_list("pk", flat=True)[:limit]))
