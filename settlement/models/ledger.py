"""The settlement ledger: accounts, entries and their postings (docs/PAYMENTS.md,
"The ledger"). Double entry: an entry's postings sum to zero, a debit positive and
a credit negative. Append-only: an entry and its postings are never updated or
deleted (the models refuse, and on PostgreSQL a trigger does too); a correction is
a new entry. Each entry has a unique key naming the event it posts, so an event
is posted once however often it is told."""

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from common.money import MONEY, MONEY_TOTAL


class AppendOnly(Exception):
    """Something tried to change or delete a posted entry."""


class Account(models.Model):
    """Where money sits. The platform's accounts are one each (a provider's
    clearing account one per provider); a farmer has a pending and an available
    account. A farmer account keeps its balance (the sum of its postings, checked
    by check_ledger) so payouts and pages read one row."""

    class Kind(models.TextChoices):
        CLEARING = "clearing", _("Money held by a payment provider")
        ORDERS_HELD = "orders_held", _("Buyers' money for orders not yet completed")
        FARMER_PENDING = "farmer_pending", _("Farmer's earnings on hold")
        FARMER_AVAILABLE = "farmer_available", _("Farmer's earnings to pay out")
        PLATFORM_FEES = "platform_fees", _("Platform fees")
        PAYOUTS_SENT = "payouts_sent", _("Payouts sent to the bank, not yet paid")
        BANK = "bank", _("The platform's bank account")
        REFUNDS_OWED = "refunds_owed", _("Refunds that failed, owed to buyers")

    FARMER_KINDS = (Kind.FARMER_PENDING, Kind.FARMER_AVAILABLE)

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    farmer = models.ForeignKey(
        "farmers.Farmer",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="ledger_accounts",
        verbose_name=_("farmer"),
    )
    provider = models.CharField(_("payment method"), max_length=16, blank=True)
    # Debits minus credits: a farmer's accounts are owed money when negative.
    balance = models.DecimalField(_("balance"), default=0, **MONEY_TOTAL)

    class Meta:
        verbose_name = _("ledger account")
        verbose_name_plural = _("ledger accounts")
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "farmer"],
                condition=Q(farmer__isnull=False),
                name="ledger_account_farmer_once",
            ),
            models.UniqueConstraint(
                fields=["kind", "provider"],
                condition=Q(farmer__isnull=True),
                name="ledger_account_platform_once",
            ),
            models.CheckConstraint(
                condition=Q(farmer__isnull=True)
                | Q(kind__in=["farmer_pending", "farmer_available"]),
                name="ledger_account_farmer_kinds",
            ),
        ]

    def __str__(self):
        owner = self.farmer_id or self.provider
        return f"{self.kind} {owner}".strip()


class Entry(models.Model):
    """One movement of money, with what it is about."""

    class Kind(models.TextChoices):
        BUYER_PAID = "buyer_paid", _("Buyer paid")
        COLLECTED = "collected", _("Collected on delivery, or owed on account")
        ACCOUNT_PAID = "account_paid", _("A work unit paid on account")
        REFUND = "refund", _("Refund")
        REFUND_FAILED = "refund_failed", _("Refund failed, owed to the buyer")
        EARNING = "earning", _("Farmer's earning")
        RELEASE = "release", _("Hold ended")
        PAYOUT = "payout", _("Payout")
        PAYOUT_PAID = "payout_paid", _("Payouts paid by the bank")
        PAYOUT_FAILED = "payout_failed", _("Payout failed, money returned")

    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    key = models.CharField(_("event"), max_length=40, unique=True)
    at = models.DateTimeField(_("at"), default=timezone.now)
    order = models.ForeignKey(
        "orders.Order",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("order"),
    )
    payment = models.ForeignKey(
        "orders.Payment",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("payment"),
    )
    refund = models.ForeignKey(
        "orders.Refund",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("refund"),
    )
    payout = models.ForeignKey(
        "settlement.Payout",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="entries",
        verbose_name=_("payout"),
    )
    batch = models.ForeignKey(
        "settlement.PayoutBatch",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("payout batch"),
    )

    class Meta:
        verbose_name = _("ledger entry")
        verbose_name_plural = _("ledger entries")
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["order", "kind"], name="entry_order")]

    def __str__(self):
        return self.key

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise AppendOnly("a ledger entry is never changed; post a correction")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnly("a ledger entry is never deleted; post a correction")


class Posting(models.Model):
    """One line of an entry: an amount to one account (debit +, credit −)."""

    entry = models.ForeignKey(Entry, on_delete=models.PROTECT, related_name="postings")
    account = models.ForeignKey(
        Account, on_delete=models.PROTECT, related_name="postings"
    )
    amount = models.DecimalField(_("amount"), **MONEY)

    class Meta:
        verbose_name = _("posting")
        verbose_name_plural = _("postings")
        indexes = [models.Index(fields=["account", "entry"], name="posting_account")]
        constraints = [
            models.CheckConstraint(condition=~Q(amount=0), name="posting_not_zero"),
        ]

    def __str__(self):
        return f"{self.account} {self.amount}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise AppendOnly("a posting is never changed; post a correction")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnly("a posting is never deleted; post a correction")
