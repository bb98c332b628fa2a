"""App configuration for the catalogue: the public pages' cache version follows
every change to what they show, and a new photo's renditions are queued."""

from django.apps import AppConfig
from django.conf import settings
from django.utils.translation import gettext_lazy as _


class CatalogueConfig(AppConfig):
    name = "catalogue"
    verbose_name = _("Catalogue")

    def ready(self):
        from django.db.models.signals import post_delete, post_save

        from catalogue import models, receivers, signals
        from farmers.models import Farmer, Household

        shown = (
            models.Product,
            models.ProductImage,
            Farmer,
            Household,
            models.Category,
        )
        for model in shown:
            for signal in (post_save, post_delete):
                signal.connect(receivers.catalogue_changed, sender=model)
        post_save.connect(
            receivers.farmer_account_changed, sender=settings.AUTH_USER_MODEL
        )
        signals.photo_added.connect(receivers.photo_added, sender=models.ProductImage)
