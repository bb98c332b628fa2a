"""A review of one order line (one purchase, one review: the database says
so), its rating from 1 to 5, an optional comment and photos, the farmer's one
reply, and, when hidden, who hid it and why. Product and farmer are the line's,
kept for the pages' queries."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

MAX_PHOTOS = 3


class Review(models.Model):
    line = models.OneToOneField(
        "orders.OrderLine",
        on_delete=models.PROTECT,
        related_name="review",
        verbose_name=_("order line"),
    )
    product = models.ForeignKey(
        "catalogue.Product",
        on_delete=models.CASCADE,
        related_name="reviews",
        verbose_name=_("product"),
    )
    farmer = models.ForeignKey(
        "farmers.Farmer",
        on_delete=models.CASCADE,
        related_name="reviews",
        verbose_name=_("farmer"),
    )
    buyer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="reviews",
        verbose_name=_("buyer"),
    )
    rating = models.PositiveSmallIntegerField(_("rating"))
    comment = models.TextField(_("comment"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("reviewed at"), auto_now_add=True)
    reply = models.CharField(_("the farmer's reply"), max_length=300, blank=True)
    replied_at = models.DateTimeField(_("replied at"), null=True, blank=True)
    hidden_at = models.DateTimeField(_("hidden at"), null=True, blank=True)
    hidden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("hidden by"),
    )
    hidden_reason = models.CharField(_("why hidden"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("review")
        verbose_name_plural = _("reviews")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(
                fields=["product", "-created_at"],
                condition=Q(hidden_at__isnull=True),
                name="review_shown_of_product",
            ),
            models.Index(
                fields=["farmer", "-created_at"],
                condition=Q(hidden_at__isnull=True),
                name="review_shown_of_farmer",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(rating__gte=1, rating__lte=5),
                name="review_rating_1_to_5",
            ),
        ]

    def __str__(self):
        return f"review {self.pk} of {self.product_id}"

    @property
    def stars(self) -> str:
        return "★" * self.rating + "☆" * (5 - self.rating)


class ReviewPhoto(models.Model):
    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="photos")
    image = models.ImageField(_("photo"), upload_to="reviews/%Y/%m/")

    class Meta:
        verbose_name = _("review photo")
        verbose_name_plural = _("review photos")

    def __str__(self):
        return self.image.name
