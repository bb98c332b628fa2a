"""Payouts: each farmer's payout account (entered by the farmer or their assistant,
verified by the assistant before the first payout), the weekly run's batches for
the bank's bulk transfer, and each farmer's payout in a batch."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from common.money import MONEY, MONEY_TOTAL


class PayoutMethod(models.TextChoices):
    BANK = "bank", _("Bank account")
    WECHAT = "wechat", _("WeChat account")
    ALIPAY = "alipay", _("Alipay account")


class PayoutAccount(models.Model):
    """Where a farmer's money goes. Entering a new account clears its
    verification: the assistant verifies it again before the next payout."""

    farmer = models.OneToOneField(
        "farmers.Farmer",
        on_delete=models.PROTECT,
        related_name="payout_account",
        verbose_name=_("farmer"),
    )
    method = models.CharField(_("paid to"), max_length=8, choices=PayoutMethod.choices)
    holder_name = models.CharField(_("account holder"), max_length=40)
    bank_name = models.CharField(_("bank and branch"), max_length=60, blank=True)
    number = models.CharField(_("account number"), max_length=40)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("entered by"),
    )
    entered_at = models.DateTimeField(_("entered at"))
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("verified by"),
    )
    verified_at = models.DateTimeField(_("verified at"), null=True, blank=True)

    class Meta:
        verbose_name = _("payout account")
        verbose_name_plural = _("payout accounts")

    def __str__(self):
        return f"{self.get_method_display()} {self.masked}"

    @property
    def verified(self) -> bool:
        return self.verified_at is not None

    @property
    def masked(self) -> str:
        """The number as pages show it: only its end (and an e-mail's domain)."""
        number = self.number
        if "@" in number:
            name, _sep, domain = number.partition("@")
            return f"{name[:2]}***@{domain}"
        return f"•••• {number[-4:]}" if len(number) > 4 else "••••"


class PayoutBatch(models.Model):
    """The payouts of one run, sent to the bank as one bulk transfer. Staff mark
    it paid with the bank's reference once the bank has paid it."""

    class Status(models.TextChoices):
        SENT = "sent", _("Waiting for the bank")
        PAID = "paid", _("Paid")

    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("run by"),
        help_text=_("Blank: the weekly run."),
    )
    status = models.CharField(
        _("status"), max_length=8, choices=Status.choices, default=Status.SENT
    )
    total = models.DecimalField(_("total"), **MONEY_TOTAL)
    bank_reference = models.CharField(_("bank reference"), max_length=64, blank=True)
    paid_at = models.DateTimeField(_("paid at"), null=True, blank=True)
    paid_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("marked paid by"),
    )

    class Meta:
        verbose_name = _("payout batch")
        verbose_name_plural = _("payout batches")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"batch {self.pk}"


class PayoutStatus(models.TextChoices):
    SENT = "sent", _("Sent to the bank")
    PAID = "paid", _("Paid")
    FAILED = "failed", _("Failed, money returned to the balance")


class Payout(models.Model):
    """One farmer's money in a batch, to the account as it was at the run."""

    batch = models.ForeignKey(
        PayoutBatch,
        on_delete=models.PROTECT,
        related_name="payouts",
        verbose_name=_("batch"),
    )
    farmer = models.ForeignKey(
        "farmers.Farmer",
        on_delete=models.PROTECT,
        related_name="payouts",
        verbose_name=_("farmer"),
    )
    amount = models.DecimalField(_("amount"), **MONEY)
    method = models.CharField(_("paid to"), max_length=8, choices=PayoutMethod.choices)
    holder_name = models.CharField(_("account holder"), max_length=40)
    bank_name = models.CharField(_("bank and branch"), max_length=60, blank=True)
    number = models.CharField(_("account number"), max_length=40)
    status = models.CharField(
        _("status"),
        max_length=8,
        choices=PayoutStatus.choices,
        default=PayoutStatus.SENT,
    )
    failed_reason = models.CharField(_("why it failed"), max_length=200, blank=True)
    failed_at = models.DateTimeField(_("failed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("payout")
        verbose_name_plural = _("payouts")
        ordering = ["-batch__created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__gt=0), name="payout_amount_positive"
            ),
            models.UniqueConstraint(
                fields=["batch", "farmer"], name="payout_once_per_batch"
            ),
        ]
        indexes = [models.Index(fields=["farmer", "batch"], name="payout_farmer")]

    def __str__(self):
        return f"payout {self.pk}"

    @property
    def masked(self) -> str:
        return PayoutAccount(number=self.number).masked
