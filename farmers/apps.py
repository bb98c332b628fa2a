"""App configuration for farmers."""

from django.apps import AppConfig
from django.conf import settings
from django.utils.translation import gettext_lazy as _


class FarmersConfig(AppConfig):
    name = "farmers"
    verbose_name = _("Farmers")

    def ready(self):
        from django.db.models.signals import post_delete, post_save

        from farmers import catalogue, models

        shown = (
            models.Product,
            models.ProductImage,
            models.Farmer,
            models.Household,
            models.Category,
        )
        for model in shown:
            for signal in (post_save, post_delete):
                signal.connect(catalogue.catalogue_changed, sender=model)
        post_save.connect(
            catalogue.farmer_account_changed, sender=settings.AUTH_USER_MODEL
        )
