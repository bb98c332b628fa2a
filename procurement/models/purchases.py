"""What work units (and their staff, for themselves) bought, summed by month:
the summary the units' reports and quotas read, so that their cost does not
grow with the number of orders."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from common.money import MONEY_TOTAL
from procurement.models.units import WorkUnit


class Channel(models.TextChoices):
    UNIT = "unit", _("The unit's orders (accepted goods)")
    STAFF = "staff", _("Its staff's own purchases (completed orders)")


class MonthlyUnitPurchases(models.Model):
    """What a unit bought in a month, by the county the goods came from, their
    category and the channel: its own orders' goods accepted that month (local
    time of the decision), each line's accepted quantity at its price (the 832
    rule: a unit's purchase is a sale once accepted); and its staff's own
    orders completed that month, at their lines' totals. Rebuilt for a unit's
    month in the transaction of the change (procurement.services.purchases)."""

    month = models.DateField(_("month"))
    channel = models.CharField(
        _("channel"), max_length=8, choices=Channel.choices, default=Channel.UNIT
    )
    unit = models.ForeignKey(
        WorkUnit,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("work unit"),
    )
    county = models.ForeignKey(
        "counties.County",
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("county of origin"),
    )
    category = models.ForeignKey(
        "catalogue.Category",
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("category"),
    )
    amount = models.DecimalField(_("amount"), **MONEY_TOTAL)
    # Order lines, not orders: one order's lines can be of two categories, and
    # lines add up across every grouping.
    lines = models.PositiveIntegerField(_("order lines"))
    units = models.PositiveIntegerField(_("units"))

    class Meta:
        verbose_name = _("work unit's monthly purchases")
        verbose_name_plural = _("work units' monthly purchases")
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "month", "county", "category", "channel"],
                name="unit_purchases_one_row",
            )
        ]
        indexes = [
            models.Index(fields=["county", "month"], name="unit_purchases_county")
        ]

    def __str__(self):
        return f"{self.unit_id} {self.month:%Y-%m} {self.county_id}"
