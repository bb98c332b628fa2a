"""A unit's orders and what follows delivery: the order's reference and date,
the unit's acceptance (per line, with the photos of what it refused), the
seller's invoice, and the unit's rating of the supplier."""

import uuid
from pathlib import Path

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from common.money import MONEY
from common.storage import private_storage
from procurement.models.units import WorkUnit


class UnitOrder(models.Model):
    """A storefront's order placed by a unit's buyer for the unit: its contract
    or purchase-order reference and the delivery date it asked for."""

    order = models.OneToOneField(
        "orders.Order",
        on_delete=models.PROTECT,
        related_name="unit_order",
        verbose_name=_("order"),
    )
    unit = models.ForeignKey(
        WorkUnit,
        on_delete=models.PROTECT,
        related_name="orders",
        verbose_name=_("work unit"),
    )
    purchase_reference = models.CharField(
        _("contract or purchase-order reference"), max_length=40
    )
    deliver_by = models.DateField(_("delivery date"))

    class Meta:
        verbose_name = _("unit order")
        verbose_name_plural = _("unit orders")
        ordering = ["-order__placed_at", "-pk"]

    def __str__(self):
        return f"{self.unit} · {self.purchase_reference}"


class Acceptance(models.Model):
    """The unit's decision on a delivered order, once: how much of each line it
    accepted, and why it refused the rest (refunded, with the stock back). No
    one deciding within UNIT_ACCEPT_DAYS accepts it all (`decided_by` empty)."""

    unit_order = models.OneToOneField(
        UnitOrder,
        on_delete=models.PROTECT,
        related_name="acceptance",
        verbose_name=_("unit order"),
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided at"))
    reason = models.CharField(_("reason for what was refused"), max_length=500)
    refused_amount = models.DecimalField(_("refused amount"), **MONEY)

    class Meta:
        verbose_name = _("acceptance")
        verbose_name_plural = _("acceptances")
        constraints = [
            models.CheckConstraint(
                condition=Q(refused_amount__gte=0), name="refused_amount_not_negative"
            )
        ]

    def __str__(self):
        return str(self.unit_order)


class AcceptanceLine(models.Model):
    acceptance = models.ForeignKey(
        Acceptance, on_delete=models.PROTECT, related_name="lines"
    )
    line = models.OneToOneField(
        "orders.OrderLine",
        on_delete=models.PROTECT,
        related_name="acceptance",
        verbose_name=_("order line"),
    )
    accepted = models.PositiveIntegerField(_("accepted"))
    refused = models.PositiveIntegerField(_("refused"))

    class Meta:
        verbose_name = _("accepted line")
        verbose_name_plural = _("accepted lines")

    def __str__(self):
        return f"{self.line_id}: {self.accepted} + {self.refused}"


MAX_REFUSAL_PHOTOS = 3


class RefusalPhoto(models.Model):
    """A photo of goods refused (validated and re-encoded as every photo is), at
    most MAX_REFUSAL_PHOTOS per acceptance."""

    acceptance = models.ForeignKey(
        Acceptance, on_delete=models.PROTECT, related_name="photos"
    )
    image = models.ImageField(_("photo"), upload_to="acceptances/%Y/%m/")

    class Meta:
        verbose_name = _("photo of refused goods")
        verbose_name_plural = _("photos of refused goods")

    def __str__(self):
        return self.image.name


def invoice_path(instance, filename: str) -> str:
    return (
        f"invoices/{instance.unit_order_id}/{uuid.uuid4().hex}{Path(filename).suffix}"
    )


class Invoice(models.Model):
    """The seller's invoice for a unit's order, a PDF or a photo of the paper one
    (common.documents): the seller is the farmer, or a cooperative invoicing for
    them (`issued_by`). Uploaded by the farmer or their assistant, in private
    storage, downloaded by the unit; uploading again replaces it (audited)."""

    unit_order = models.OneToOneField(
        UnitOrder,
        on_delete=models.PROTECT,
        related_name="invoice",
        verbose_name=_("unit order"),
    )
    number = models.CharField(_("invoice number"), max_length=40)
    issued_by = models.CharField(_("issued by"), max_length=80)
    file = models.FileField(
        _("invoice file"), upload_to=invoice_path, storage=private_storage
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("uploaded by"),
    )
    uploaded_at = models.DateTimeField(_("uploaded at"))

    class Meta:
        verbose_name = _("invoice")
        verbose_name_plural = _("invoices")

    def __str__(self):
        return self.number


class SupplierRating(models.Model):
    """The unit's rating of the storefront that supplied an order, once, after
    it decided on the goods: 1 to 5 stars and a comment. The farmer's assistant
    reads it."""

    unit_order = models.OneToOneField(
        UnitOrder,
        on_delete=models.PROTECT,
        related_name="rating",
        verbose_name=_("unit order"),
    )
    stars = models.PositiveSmallIntegerField(
        _("rating"), validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    comment = models.CharField(_("comment"), max_length=500, blank=True)
    rated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("rated by"),
    )
    rated_at = models.DateTimeField(_("rated at"))

    class Meta:
        verbose_name = _("supplier rating")
        verbose_name_plural = _("supplier ratings")
        constraints = [
            models.CheckConstraint(
                condition=Q(stars__gte=1, stars__lte=5), name="rating_one_to_five"
            )
        ]

    def __str__(self):
        return f"{self.unit_order_id}: {self.stars}"
