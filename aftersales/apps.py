"""App configuration for after-sales: what its notifications say."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AftersalesConfig(AppConfig):
    name = "aftersales"
    verbose_name = _("After-sales")

    def ready(self):
        from aftersales.messages import aftersale_message
        from notifications.messages import register
        from notifications.models import Notification

        register(Notification.Kind.AFTERSALE, aftersale_message)
