"""Signal receivers of the notifications app (wired in notifications.apps)."""

from notifications.services import sms_not_delivered
from notifications.tasks import send_notification_email


def email_pending(notification_id: int, **_signal) -> None:
    """Send the e-mail once the notification's transaction commits; if the
    broker is down then, the outbox job sends it later."""
    send_notification_email.delay_on_commit(notification_id)


def sms_given_up(message, **_signal) -> None:
    """A text message will not be sent: the in-app message stands in for it."""
    sms_not_delivered(message)
