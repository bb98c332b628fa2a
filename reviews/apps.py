"""App configuration for reviews: a review written, replied to or hidden
makes a new catalogue version (the product and storefront pages show them)."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReviewsConfig(AppConfig):
    name = "reviews"
    verbose_name = _("Reviews")

    def ready(self):
        from django.db.models.signals import post_delete, post_save

        from catalogue.receivers import catalogue_changed
        from reviews.models import Review

        for signal in (post_save, post_delete):
            signal.connect(catalogue_changed, sender=Review)
