"""App configuration for text messages: queued ones are sent on commit."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SmsConfig(AppConfig):
    name = "sms"
    verbose_name = _("Text messages")

    def ready(self):
        from sms import checks, receivers, signals  # noqa: F401

        signals.sms_pending.connect(receivers.sms_pending)
