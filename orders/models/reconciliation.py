"""The daily payment reconciliation: one Reconciliation per provider and China
day (a rerun replaces that day's open findings), and the Mismatches it found
between the gateway's statement and the platform's payments and refunds, each
resolved by staff (docs/PAYMENTS.md, "Reconciliation")."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext, gettext_noop
from django.utils.translation import gettext_lazy as _

from common.money import MONEY
from orders.models.orders import PaymentProviderCode
from orders.models.payments import Payment, Refund


class Reconciliation(models.Model):
    """One provider's statement of one day (China time) checked against the
    platform: how many payments and refunds were compared, and how many
    mismatches the day has. Run again, the same row is updated."""

    provider = models.CharField(
        _("payment method"), max_length=16, choices=PaymentProviderCode.choices
    )
    day = models.DateField(_("day"))
    ran_at = models.DateTimeField(_("checked at"))
    payments_checked = models.PositiveIntegerField(_("payments checked"), default=0)
    refunds_checked = models.PositiveIntegerField(_("refunds checked"), default=0)
    mismatch_count = models.PositiveIntegerField(_("mismatches"), default=0)

    class Meta:
        verbose_name = _("reconciliation")
        verbose_name_plural = _("reconciliations")
        ordering = ["-day", "-ran_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["provider", "day"], name="reconciliation_once_a_day"
            ),
        ]

    def __str__(self):
        return f"{self.provider} {self.day:%Y-%m-%d}"


class Mismatch(models.Model):
    """Something the gateway's statement and the platform disagree on: what we
    hold (`payment` or `refund`, `our_amount`) and what the gateway says
    (`their_amount`, its transaction), until staff resolve it with a note."""

    # The note of a payment applied from the gateway's answer, stored
    # untranslated (shown in the reader's language); staff's notes are as typed.
    APPLIED_NOTE = gettext_noop("Applied: the gateway says it was paid.")

    class Kind(models.TextChoices):
        PAID_NOT_RECORDED = (
            "paid_not_recorded",
            _("Paid at the gateway, not recorded here"),
        )
        UNKNOWN_REFERENCE = (
            "unknown_reference",
            _("Money at the gateway we have no payment for"),
        )
        RECORDED_NOT_PAID = (
            "recorded_not_paid",
            _("Recorded as paid here, not at the gateway"),
        )
        AMOUNT_DIFFERS = "amount_differs", _("The amounts differ")
        REFUND_NOT_RECORDED = (
            "refund_not_recorded",
            _("Refunded at the gateway, not recorded here"),
        )
        REFUND_NOT_AT_GATEWAY = (
            "refund_not_at_gateway",
            _("Recorded as refunded here, not at the gateway"),
        )
        REFUND_AMOUNT_DIFFERS = "refund_amount_differs", _("The refund amounts differ")
        REFUND_STILL_PROCESSING = (
            "refund_still_processing",
            _("Refund still in progress"),
        )

    reconciliation = models.ForeignKey(
        Reconciliation,
        on_delete=models.PROTECT,
        related_name="mismatches",
        verbose_name=_("reconciliation"),
    )
    kind = models.CharField(_("kind"), max_length=24, choices=Kind.choices)
    # As the statement (or our row) names them; a reference may not be ours.
    reference = models.CharField(_("reference"), max_length=64, blank=True)
    transaction_id = models.CharField(
        _("gateway transaction"), max_length=64, blank=True
    )
    refund_number = models.CharField(_("refund number"), max_length=64, blank=True)
    payment = models.ForeignKey(
        Payment,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("payment"),
    )
    refund = models.ForeignKey(
        Refund,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("refund"),
    )
    our_amount = models.DecimalField(_("our amount"), null=True, blank=True, **MONEY)
    their_amount = models.DecimalField(
        _("the gateway's amount"), null=True, blank=True, **MONEY
    )
    found_at = models.DateTimeField(_("found at"), auto_now_add=True)
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("resolved by"),
    )
    note = models.CharField(_("note"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("mismatch")
        verbose_name_plural = _("mismatches")
        ordering = ["-found_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(resolved_at__isnull=True) | ~Q(note=""),
                name="mismatch_resolved_with_a_note",
            ),
        ]
        indexes = [
            models.Index(
                fields=["-found_at"],
                condition=Q(resolved_at__isnull=True),
                name="mismatch_open",
            ),
        ]

    def __str__(self):
        return f"{self.kind} {self.reference or self.refund_number}"

    @property
    def is_open(self) -> bool:
        return self.resolved_at is None

    @property
    def note_shown(self) -> str:
        return gettext(self.note) if self.note == self.APPLIED_NOTE else self.note
