"""Signals of the text messages:
- `sms_pending` (sender TextMessage, `message_id`): sent inside the transaction
  that queued a message; sms.receivers queues its sending on commit.
- `sms_given_up` (sender TextMessage, `message`): a message will not be sent
  (failed for good, or over its phone's limit), so whoever queued it can fall
  back (notifications keeps the in-app message unread and marks it)."""

from django.dispatch import Signal

sms_pending = Signal()
sms_given_up = Signal()
