"""Signal receivers of the text messages (wired in sms.apps)."""

from sms.tasks import send_text_message


def sms_pending(message_id: int, **_signal) -> None:
    """Send the message once its transaction commits, or when it is due; if the
    broker is down then, the outbox job sends it later."""
    send_text_message.delay_on_commit(message_id)
