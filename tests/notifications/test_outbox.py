"""The e-mail outbox: a message is claimed with a lease, in its own transaction,
before it is sent. A worker killed after the mail server took the message leaves
the lease behind, so no other worker sends it while the lease is live; once the
lease has expired it may be sent again (at least once, with a small window)."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend
from django.utils import timezone

from notifications.models import Notification
from notifications.services import (
    EMAIL_LEASE,
    notification_email_claim,
    notification_email_send,
    outbox_deliver,
)
from tests.factories import place_order

pytestmark = pytest.mark.django_db


class WorkerKilled(BaseException):
    """Stands for SIGKILL: nothing after it runs, not even an except clause."""


class KilledAfterSending(EmailBackend):
    """The mail server accepts the message, then the worker dies."""

    def send_messages(self, messages):
        super().send_messages(messages)
        raise WorkerKilled


def pending() -> Notification:
    order = place_order()  # awaiting payment: nobody was notified yet
    return Notification.objects.create(
        recipient=order.farmer.user,
        kind=Notification.Kind.ORDER_PAID,
        order=order,
        email=Notification.Email.PENDING,
    )


def test_a_worker_killed_mid_send_does_not_get_its_message_sent_again(settings):
    notification = pending()
    settings.EMAIL_BACKEND = f"{__name__}.KilledAfterSending"
    with pytest.raises(WorkerKilled):
        notification_email_send(notification.pk)
    assert len(mail.outbox) == 1
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    # The sweep and a redelivered task find the lease live: nothing is sent.
    assert outbox_deliver() == 0
    assert notification_email_send(notification.pk) is False
    assert len(mail.outbox) == 1
    notification.refresh_from_db()
    assert notification.email == Notification.Email.PENDING
    assert notification.email_claimed_until > timezone.now()


def test_an_expired_lease_is_sent_again(settings):
    """The guarantee is at least once: a lease that outlived its worker expires,
    and the message goes out again."""
    notification = pending()
    settings.EMAIL_BACKEND = f"{__name__}.KilledAfterSending"
    with pytest.raises(WorkerKilled):
        notification_email_send(notification.pk)
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    Notification.objects.filter(pk=notification.pk).update(
        email_claimed_until=timezone.now() - timedelta(seconds=1)
    )
    assert outbox_deliver() == 1
    assert len(mail.outbox) == 2
    notification.refresh_from_db()
    assert notification.email == Notification.Email.SENT
    assert notification.email_claim is None and notification.email_claimed_until is None


def test_a_live_lease_is_never_sent_by_another_worker():
    notification = pending()
    token = notification_email_claim(notification.pk)  # another worker's claim
    assert token is not None
    assert notification_email_claim(notification.pk) is None
    assert notification_email_send(notification.pk) is False
    assert outbox_deliver() == 0
    assert mail.outbox == []


def test_the_lease_outlasts_the_longest_a_task_can_run(settings):
    assert timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT) < EMAIL_LEASE


def test_a_sent_message_releases_its_lease_and_is_not_sent_twice():
    notification = pending()
    assert notification_email_send(notification.pk) is True
    assert notification_email_send(notification.pk) is False
    assert outbox_deliver() == 0
    assert len(mail.outbox) == 1
    notification.refresh_from_db()
    assert (notification.email, notification.email_attempts) == (
        Notification.Email.SENT,
        1,
    )
    assert notification.email_claim is None


def test_a_failed_send_releases_the_lease_for_the_next_sweep(settings):
    notification = pending()
    settings.EMAIL_BACKEND = f"{__name__}.Refused"
    assert notification_email_send(notification.pk) is False
    notification.refresh_from_db()
    assert notification.email == Notification.Email.PENDING
    assert notification.email_attempts == 1
    assert notification.email_claimed_until is None
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert outbox_deliver() == 1
    assert len(mail.outbox) == 1


class Refused(EmailBackend):
    def send_messages(self, messages):
        raise ConnectionRefusedError("the relay is down")
