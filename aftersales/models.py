"""An after-sales case: which lines of an order, how many of each, why, with up
to three photos, where it stands (aftersales.rules says which moves lead
where), and what each party said. A line is in one case at most (the database
says so), so the same units are never asked about twice."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from common.money import MONEY

MAX_PHOTOS = 3


class AfterSale(models.Model):
    class Kind(models.TextChoices):
        REFUND = "refund", _("Refund only")
        RETURN = "return", _("Return and refund")

    class Reason(models.TextChoices):
        DAMAGED = "damaged", _("Damaged in transit")
        SPOILED = "spoiled", _("Spoiled or gone bad")
        WRONG = "wrong", _("Not what I ordered")
        MISSING = "missing", _("Some of it is missing")
        NOT_AS_DESCRIBED = "not_described", _("Not as described")
        OTHER = "other", _("Another reason")

    class Status(models.TextChoices):
        REQUESTED = "requested", _("Waiting for the farmer")
        REFUSED = "refused", _("Refused by the farmer")
        ESCALATED = "escalated", _("Waiting for the platform")
        AWAITING_RETURN = "awaiting_return", _("Waiting for the goods to come back")
        REFUNDED = "refunded", _("Refunded")
        CLOSED = "closed", _("Closed: the refusal stands")
        WITHDRAWN = "withdrawn", _("Withdrawn by the buyer")

    order = models.ForeignKey(
        "orders.Order",
        on_delete=models.PROTECT,
        related_name="aftersales",
        verbose_name=_("order"),
    )
    kind = models.CharField(_("what is asked"), max_length=8, choices=Kind.choices)
    reason = models.CharField(_("reason"), max_length=16, choices=Reason.choices)
    details = models.TextField(_("what happened"), max_length=500, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.REQUESTED
    )
    # What the lines asked about cost (their unit prices × the quantities).
    amount = models.DecimalField(_("amount"), **MONEY)
    answer_by = models.DateTimeField(_("farmer to answer by"))
    answer = models.CharField(_("the farmer's answer"), max_length=300, blank=True)
    return_address = models.CharField(_("return address"), max_length=300, blank=True)
    decision = models.CharField(
        _("the platform's decision"), max_length=300, blank=True
    )
    created_at = models.DateTimeField(_("asked at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("after-sales case")
        verbose_name_plural = _("after-sales cases")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["status", "answer_by"], name="aftersale_open"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__gt=0), name="aftersale_amount_positive"
            ),
        ]

    def __str__(self):
        return f"after-sales {self.pk} of {self.order_id}"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN


OPEN = (
    AfterSale.Status.REQUESTED,
    AfterSale.Status.REFUSED,
    AfterSale.Status.ESCALATED,
    AfterSale.Status.AWAITING_RETURN,
)


class AfterSaleLine(models.Model):
    case = models.ForeignKey(AfterSale, on_delete=models.CASCADE, related_name="lines")
    line = models.OneToOneField(
        "orders.OrderLine",
        on_delete=models.PROTECT,
        related_name="aftersale",
        verbose_name=_("order line"),
    )
    quantity = models.PositiveIntegerField(_("quantity"))

    class Meta:
        verbose_name = _("line of an after-sales case")
        verbose_name_plural = _("lines of after-sales cases")
        constraints = [
            models.CheckConstraint(
                condition=Q(quantity__gte=1), name="aftersale_line_quantity"
            ),
        ]

    def __str__(self):
        return f"{self.line_id} × {self.quantity}"


class AfterSalePhoto(models.Model):
    """A photo the buyer sent (validated and re-encoded as every photo is)."""

    case = models.ForeignKey(AfterSale, on_delete=models.PROTECT, related_name="photos")
    image = models.ImageField(_("photo"), upload_to="aftersales/%Y/%m/")

    class Meta:
        verbose_name = _("after-sales photo")
        verbose_name_plural = _("after-sales photos")

    def __str__(self):
        return self.image.name
