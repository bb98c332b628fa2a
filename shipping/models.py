"""A storefront's shipping template: how it charges (by weight or by piece),
the price to each group of destination provinces and to every other one, the
order value above which it ships free, and the provinces it does not deliver
to. A province is in at most one of a template's groups (the database says so,
through RateProvince)."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from common.money import MONEY


class ChargeBy(models.TextChoices):
    WEIGHT = "weight", _("By weight (first kg, then each further kg)")
    PIECE = "piece", _("By piece (first piece, then each further piece)")


class ShippingTemplate(models.Model):
    """One storefront's shipping prices. `first` and `additional` are for the
    provinces in none of its groups (`rates`)."""

    farmer = models.OneToOneField(
        "farmers.Farmer",
        on_delete=models.CASCADE,
        related_name="shipping_template",
        verbose_name=_("farmer"),
    )
    charge_by = models.CharField(
        _("charge"), max_length=8, choices=ChargeBy.choices, default=ChargeBy.WEIGHT
    )
    first = models.DecimalField(_("first kg or piece (yuan)"), **MONEY)
    additional = models.DecimalField(_("each further kg or piece (yuan)"), **MONEY)
    free_over = models.DecimalField(
        _("free shipping from (yuan of goods per order)"),
        null=True,
        blank=True,
        **MONEY,
    )
    # Buyers may collect at a pickup point of the storefront's county instead.
    offers_pickup = models.BooleanField(
        _("buyers may pick up at a point of the county"),
        default=False,
        db_default=False,
    )
    not_delivered = models.ManyToManyField(
        "counties.Division",
        blank=True,
        related_name="+",
        verbose_name=_("provinces not delivered to"),
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("shipping template")
        verbose_name_plural = _("shipping templates")
        constraints = [
            models.CheckConstraint(
                condition=Q(first__gte=0, additional__gte=0),
                name="shipping_template_fees_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(free_over__isnull=True) | Q(free_over__gte=0),
                name="shipping_template_free_over_not_negative",
            ),
        ]

    def __str__(self):
        return f"shipping {self.farmer_id}"


class ShippingRate(models.Model):
    """A template's price to a group of destination provinces."""

    template = models.ForeignKey(
        ShippingTemplate,
        on_delete=models.CASCADE,
        related_name="rates",
        verbose_name=_("shipping template"),
    )
    first = models.DecimalField(_("first kg or piece (yuan)"), **MONEY)
    additional = models.DecimalField(_("each further kg or piece (yuan)"), **MONEY)

    class Meta:
        verbose_name = _("shipping rate")
        verbose_name_plural = _("shipping rates")
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(first__gte=0, additional__gte=0),
                name="shipping_rate_fees_not_negative",
            ),
        ]

    def __str__(self):
        return f"rate {self.pk} of {self.template_id}"


class RateProvince(models.Model):
    """A province in one of a template's groups: at most one group per
    template."""

    template = models.ForeignKey(
        ShippingTemplate, on_delete=models.CASCADE, related_name="+"
    )
    rate = models.ForeignKey(
        ShippingRate, on_delete=models.CASCADE, related_name="provinces"
    )
    province = models.ForeignKey(
        "counties.Division", on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("province of a shipping rate")
        verbose_name_plural = _("provinces of shipping rates")
        constraints = [
            models.UniqueConstraint(
                fields=["template", "province"],
                name="shipping_province_in_one_group",
            ),
        ]

    def __str__(self):
        return f"{self.province_id} in {self.rate_id}"


class PickupPoint(models.Model):
    """A place in a county where buyers collect their orders (a village service
    station, a work unit's canteen), kept by staff and the county's officials.
    A storefront of the county that offers pickup lets its buyers choose it,
    with no shipping fee."""

    class Kind(models.TextChoices):
        STATION = "station", _("Village service station")
        CANTEEN = "canteen", _("Work unit's canteen")
        SHOP = "shop", _("Shop or supermarket")
        OTHER = "other", _("Other")

    county = models.ForeignKey(
        "counties.County",
        on_delete=models.PROTECT,
        related_name="pickup_points",
        verbose_name=_("county"),
    )
    name = models.CharField(_("name"), max_length=60)
    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices)
    address = models.CharField(_("address"), max_length=200)
    opening_hours = models.CharField(
        _("opening times"), max_length=100, help_text=_("For example: 每天 8:00–18:00")
    )
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    active = models.BooleanField(_("open for pickup"), default=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("pickup point")
        verbose_name_plural = _("pickup points")
        ordering = ["county", "name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["county", "name"], name="pickup_point_name_in_county"
            ),
        ]

    def __str__(self):
        return self.name
