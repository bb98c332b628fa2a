"""App configuration for shipping: every new storefront starts with the
default shipping template (shipping.receivers)."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ShippingConfig(AppConfig):
    name = "shipping"
    verbose_name = _("Shipping")

    def ready(self):
        from django.db.models.signals import post_save

        from farmers.models import Farmer
        from shipping import receivers

        post_save.connect(receivers.storefront_opened, sender=Farmer)
