"""App configuration for the catalogue: the public pages' cache version follows
every change to what they show, a new photo's renditions are queued, and the
audit trail shows a listing's category (stored by slug) by its name, and the
review's decisions are told to the farmer (their notifications' texts)."""

from django.apps import AppConfig
from django.conf import settings
from django.utils.translation import gettext_lazy as _


class CatalogueConfig(AppConfig):
    name = "catalogue"
    verbose_name = _("Catalogue")

    def ready(self):
        from django.db.models.signals import post_delete, post_save

        from audit.models import shown_register
        from catalogue import models, receivers, selectors, signals
        from farmers.models import Farmer, Household
        from notifications.messages import register
        from notifications.models import Notification

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
        shown_register("catalogue.Product", "category", selectors.category_shown)
        kind = Notification.Kind
        for approved, message in (
            (kind.LISTING_APPROVED, selectors.listing_approved_message),
            (kind.LISTING_REJECTED, selectors.listing_rejected_message),
        ):
            register(approved, message, selectors.listing_sms)
