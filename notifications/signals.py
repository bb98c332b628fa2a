"""Signals of the notifications app: `email_pending` (sender Notification,
`notification_id`), sent inside the transaction that recorded a notification
with an e-mail to send; notifications.receivers queues the sending on commit,
so the services never import the tasks that call them."""

from django.dispatch import Signal

email_pending = Signal()
