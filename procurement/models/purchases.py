"""What work units bought, summed by month: the summary the units' reports and
quotas read, so that their cost does not grow with the number of orders."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from common.money import MONEY_TOTAL
from procurement.models.units import WorkUnit


class MonthlyUnitPurchases(models.Model):
    """A unit's goods accepted in a month (local time of the decision), by the
    county they came from and their category: each line's accepted quantity at
    its price (the 832 rule: a unit's purchase is a sale once accepted). Rebuilt
    for a unit's month from its acceptances, in the acceptance's transaction
    (procurement.services.purchases)."""

    month = models.DateField(_("month"))
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
    amount = models.DecimalField(_("accepted goods"), **MONEY_TOTAL)
    # Order lines, not orders: one order's lines can be of two categories, and
    # lines add up across every grouping.
    lines = models.PositiveIntegerField(_("order lines"))
    units = models.PositiveIntegerField(_("units"))

    class Meta:
        verbose_name = _("work unit's monthly purchases")
        verbose_name_plural = _("work units' monthly purchases")
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "month", "county", "category"],
                name="unit_purchases_one_row",
            )
        ]
        indexes = [
            models.Index(fields=["county", "month"], name="unit_purchases_county")
        ]

    def __str__(self):
        return f"{self.unit_id} {self.month:%Y-%m} {self.county_id}"
