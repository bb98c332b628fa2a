"""A unit's staff buying for themselves: a buyer who opened the unit's staff link
shops as one of its staff, and each order they pay from then on is recorded as
the unit's staff purchase, counted toward the unit's total apart from its own
orders (issue 18)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from procurement.models.units import WorkUnit


class StaffShopper(models.Model):
    """A buyer shopping as one of a unit's staff (one unit at a time)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="unit_staff",
        verbose_name=_("user"),
    )
    unit = models.ForeignKey(
        WorkUnit,
        on_delete=models.PROTECT,
        related_name="staff_shoppers",
        verbose_name=_("work unit"),
    )
    joined_at = models.DateTimeField(_("joined at"), auto_now_add=True)

    class Meta:
        verbose_name = _("unit staff shopper")
        verbose_name_plural = _("unit staff shoppers")

    def __str__(self):
        return f"{self.user_id} @ {self.unit_id}"


class StaffPurchase(models.Model):
    """An order a unit's staff paid for themselves, counted toward the unit's
    total: recorded when it was paid, so it stays the unit's if they leave."""

    order = models.OneToOneField(
        "orders.Order",
        on_delete=models.CASCADE,
        related_name="staff_purchase",
        verbose_name=_("order"),
    )
    unit = models.ForeignKey(
        WorkUnit,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("work unit"),
    )

    class Meta:
        verbose_name = _("unit staff purchase")
        verbose_name_plural = _("unit staff purchases")

    def __str__(self):
        return f"{self.order_id} @ {self.unit_id}"
