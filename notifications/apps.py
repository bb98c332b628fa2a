"""App configuration for notifications: pending e-mails are queued on commit, and
a text message given up leaves its in-app message to stand in."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "notifications"
    verbose_name = _("Notifications")

    def ready(self):
        from notifications import receivers, signals
        from sms.signals import sms_given_up

        signals.email_pending.connect(receivers.email_pending)
        sms_given_up.connect(receivers.sms_given_up)
