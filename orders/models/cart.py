"""The buyer's cart and delivery addresses."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from common.money import MONEY
from counties.divisions import province_code

# One cart line may not ask for more than this; stock is the real limit.
MAX_QUANTITY = 9999


class Cart(models.Model):
    """A buyer's cart, or an anonymous visitor's (its id kept in the session),
    which merges into the buyer's cart at sign-in."""

    buyer = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="cart",
        verbose_name=_("buyer"),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("cart")
        verbose_name_plural = _("carts")

    def __str__(self):
        return f"cart {self.pk}"


class CartItem(models.Model):
    """A product in a cart, with the price the buyer saw when adding it, so a later
    price change is shown to them before they pay."""

    cart = models.ForeignKey(
        Cart, on_delete=models.CASCADE, related_name="items", verbose_name=_("cart")
    )
    product = models.ForeignKey(
        "catalogue.Product",
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("product"),
    )
    quantity = models.PositiveIntegerField(_("quantity"))
    price_seen = models.DecimalField(_("price when added"), **MONEY)
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("cart item")
        verbose_name_plural = _("cart items")
        ordering = ["added_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["cart", "product"], name="cart_item_one_row_per_product"
            ),
            models.CheckConstraint(
                condition=Q(quantity__gte=1, quantity__lte=MAX_QUANTITY),
                name="cart_item_quantity_in_range",
            ),
        ]

    def __str__(self):
        return f"{self.product_id} × {self.quantity}"


class Address(models.Model):
    """An entry in a buyer's address book."""

    buyer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="addresses",
        verbose_name=_("buyer"),
    )
    recipient = models.CharField(_("recipient"), max_length=40)
    phone = models.CharField(_("phone"), max_length=20)
    # The district (or a city or province with none below it) chosen from the
    # administrative divisions; an address typed before them has what its text
    # named, or nothing, until the buyer confirms it. `region` is its names.
    division = models.ForeignKey(
        "counties.Division",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("district"),
    )
    region = models.CharField(
        _("province, city and district"),
        max_length=80,
        help_text=_("For example: 湖北省 恩施州 巴东县"),
    )
    street = models.CharField(_("street address"), max_length=200)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("address")
        verbose_name_plural = _("addresses")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.recipient} {self.region} {self.street}"

    @property
    def province(self) -> str | None:
        """The code of the province it lies in; None when not known."""
        return province_code(self.division_id) if self.division_id else None
