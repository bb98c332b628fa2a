"""App configuration for the field work: it tells notifications what a "farmer
needs help" notification says."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FieldworkConfig(AppConfig):
    name = "fieldwork"
    verbose_name = _("Field work")

    def ready(self):
        from fieldwork.help import needs_help_message, needs_help_sms
        from notifications.messages import register
        from notifications.models import Notification

        register(
            Notification.Kind.FARMER_NEEDS_HELP, needs_help_message, needs_help_sms
        )
