"""App configuration for shipping: every new storefront starts with the
default shipping template (shipping.receivers), and a changed template makes
a new catalogue version (the product pages show its fee)."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ShippingConfig(AppConfig):
    name = "shipping"
    verbose_name = _("Shipping")

    def ready(self):
        from django.db.models.signals import m2m_changed, post_delete, post_save

        from catalogue.receivers import catalogue_changed
        from farmers.models import Farmer
        from shipping import models, receivers

        post_save.connect(receivers.storefront_opened, sender=Farmer)
        for model in (models.ShippingTemplate, models.ShippingRate):
            for signal in (post_save, post_delete):
                signal.connect(catalogue_changed, sender=model)
        m2m_changed.connect(
            catalogue_changed, sender=models.ShippingTemplate.not_delivered.through
        )
