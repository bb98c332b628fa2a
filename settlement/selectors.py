"""Reads of settlement, each scoped to who asks: a farmer's earnings (the pending,
available and paid-out totals, this month's figures, their entries and payouts),
an assistant's farmers with their balances and holds, the staff's batches, and
payouts by county for officials. Totals are database sums; lists are querysets
the pages paginate."""

from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.db.models import Count, F, OuterRef, Q, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.selectors import scoped
from assistants.selectors import farmers_visible_to
from common.money import TOTAL_FIELD
from farmers.models import Farmer
from settlement.models import (
    Account,
    Entry,
    Payout,
    PayoutAccount,
    PayoutBatch,
    PayoutStatus,
    Posting,
)

K = Account.Kind
ZERO = Value(Decimal(0), output_field=TOTAL_FIELD)
NOT_FAILED = Q(status__in=(PayoutStatus.SENT, PayoutStatus.PAID))


@dataclass(frozen=True)
class Earnings:
    """A farmer's money, yuan: on hold, available for the next payout (below
    zero when refunds after a payout exceed what has been earned since), paid out
    (payouts sent or paid), and what this month's completed orders earned."""

    pending: Decimal
    available: Decimal
    paid_out: Decimal
    earned_this_month: Decimal
    paid_out_this_month: Decimal


def _balance(kind: str) -> Subquery:
    return Coalesce(
        Subquery(
            Account.objects.filter(farmer=OuterRef("pk"), kind=kind).values("balance")[
                :1
            ],
            output_field=TOTAL_FIELD,
        ),
        ZERO,
    )


def with_balances(farmers: QuerySet[Farmer]) -> QuerySet[Farmer]:
    """Farmers with `pending` and `available` (owed to them: the accounts' credit
    balances) and their payout account, in the same query."""
    return farmers.annotate(
        pending=-_balance(K.FARMER_PENDING), available=-_balance(K.FARMER_AVAILABLE)
    ).select_related("payout_account")


def _month_start(now=None):
    local = timezone.localtime(now)
    return local.replace(day=1, hour=0, minute=0, second=0, microsecond=0)


def earnings_of(farmer: Farmer, now=None) -> Earnings:
    row = with_balances(Farmer.objects.filter(pk=farmer.pk)).get()
    start = _month_start(now)
    payouts = Payout.objects.filter(NOT_FAILED, farmer=farmer).aggregate(
        total=Sum("amount"),
        month=Sum("amount", filter=Q(batch__created_at__gte=start)),
    )
    earned = Posting.objects.filter(
        account__farmer=farmer,
        account__kind=K.FARMER_PENDING,
        entry__kind=Entry.Kind.EARNING,
        entry__at__gte=start,
    ).aggregate(total=Sum("amount"))["total"]
    return Earnings(
        pending=row.pending,
        available=row.available,
        paid_out=payouts["total"] or Decimal(0),
        earned_this_month=-(earned or Decimal(0)),
        paid_out_this_month=payouts["month"] or Decimal(0),
    )


def entries_of(farmer: Farmer) -> QuerySet[Posting]:
    """The farmer's postings, newest first, each with its entry and order: a
    credit (shown positive) is money to them, a debit money taken back or paid out.
    The move from pending to available is one posting on each side; the page shows
    the pending side only, so each yuan appears once per event."""
    return (
        Posting.objects.filter(account__farmer=farmer)
        .exclude(entry__kind=Entry.Kind.RELEASE, account__kind=K.FARMER_AVAILABLE)
        .select_related("entry__order", "entry__payout", "account")
        .annotate(to_farmer=-F("amount"))
        .order_by("-entry__at", "-entry_id", "-pk")
    )


def payouts_of(farmer: Farmer) -> QuerySet[Payout]:
    return Payout.objects.filter(farmer=farmer).select_related("batch")


def hold_reason(farmer: Farmer, available: Decimal) -> str:
    """Why the farmer is not paid at the next run; "" if they will be."""
    account = getattr(farmer, "payout_account", None)
    if available < Decimal(settings.PAYOUT_MINIMUM):
        return ""
    if account is None:
        return _("No payout account: enter one, and the assistant verifies it.")
    if not account.verified and account.entered_by_id != farmer.user_id:
        return _("The payout account is waiting for the farmer to confirm it.")
    if not account.verified:
        return _("The payout account is waiting for the assistant to verify it.")
    return ""


def payout_account_of(farmer: Farmer) -> PayoutAccount | None:
    return (
        PayoutAccount.objects.filter(farmer=farmer)
        .select_related("verified_by", "entered_by")
        .first()
    )


def assistant_farmers(user) -> QuerySet[Farmer]:
    """The assistant's farmers (their scope) with balances, those with money
    first."""
    return with_balances(farmers_visible_to(user)).order_by(
        F("available").desc(), "shop_name", "pk"
    )


def batches() -> QuerySet[PayoutBatch]:
    """Every batch with its payouts counted and its failed money summed."""
    return (
        PayoutBatch.objects.annotate(
            payouts_count=Count("payouts"),
            failed=Coalesce(
                Sum("payouts__amount", filter=Q(payouts__status=PayoutStatus.FAILED)),
                ZERO,
            ),
        )
        .select_related("created_by", "paid_by")
        .order_by("-created_at", "-pk")
    )


def batch_payouts(batch: PayoutBatch) -> QuerySet[Payout]:
    return batch.payouts.select_related("farmer").order_by("pk")


def county_payouts(user) -> QuerySet:
    """Payouts not failed, per county of the farmers' households, within the
    viewer's scope: how many farmers, how much paid and how much still with the
    bank."""
    rows = scoped(
        Payout.objects.filter(NOT_FAILED),
        user,
        official=lambda u: Q(farmer__household__village__county__officials=u),
    )
    return (
        rows.values(
            county_id=F("farmer__household__village__county"),
            county_name=F("farmer__household__village__county__name"),
            county_name_en=F("farmer__household__village__county__name_en"),
        )
        .annotate(
            farmers=Count("farmer", distinct=True),
            paid=Coalesce(Sum("amount", filter=Q(status=PayoutStatus.PAID)), ZERO),
            sent=Coalesce(Sum("amount", filter=Q(status=PayoutStatus.SENT)), ZERO),
        )
        .order_by("county_name", "county_id")
    )


def payout_sent_message(notification) -> tuple[str, str]:
    """The farmer's notice of a payout on its way."""
    payout = Payout.objects.filter(farmer=notification.farmer).order_by("-pk").first()
    text = _("A payout of %(amount)s is on its way to your %(to)s %(number)s.") % {
        "amount": f"¥{payout.amount}" if payout else "",
        "to": payout.get_method_display() if payout else "",
        "number": payout.masked if payout else "",
    }
    return text, reverse("settlement:earnings")


def payout_sms(notification) -> dict:
    """The farmer's text message of a payout: its amount."""
    payout = Payout.objects.filter(farmer=notification.farmer).order_by("-pk").first()
    return {"amount": f"{payout.amount}" if payout else ""}


def payout_held_message(notification) -> tuple[str, str]:
    """The notice that a farmer's payout is held: to the farmer, to see their
    assistant; to the assistant, to check the account with them."""
    farmer = notification.farmer
    if notification.recipient_id == farmer.user_id:
        text = _(
            "Your money is ready to be paid out, but your payout account is "
            "missing or not verified. Ask your assistant to check it with you."
        )
        return text, reverse("settlement:earnings")
    text = _(
        "%(shop)s has money to be paid out, but their payout account is missing "
        "or not verified. Check it with them and verify it."
    ) % {"shop": farmer.shop_name}
    return text, reverse("settlement:assistant_farmer_account", args=[farmer.pk])


def payout_held_sms(notification) -> dict | None:
    """Only the farmer's notice has a text message (no parameters)."""
    return {} if notification.recipient_id == notification.farmer.user_id else None


def payout_failed_message(notification) -> tuple[str, str]:
    """The farmer's notice that the bank returned a payout."""
    text = _(
        "The bank could not pay your payout; the money is back on your balance. "
        "Check your payout account with your assistant."
    )
    return text, reverse("settlement:earnings")


def payout_account_message(notification) -> tuple[str, str]:
    """The notice that a payout account waits for its recipient to check it: the
    farmer, for one their assistant entered; the assistant, for one the farmer
    entered."""
    farmer = notification.farmer
    account = payout_account_of(farmer)
    shown = f"{account.get_method_display()} {account.masked}" if account else ""
    if notification.recipient_id == farmer.user_id:
        text = _(
            "Your assistant entered a new payout account for you: %(account)s. "
            "Check that it is yours and confirm it; if it is not, tell your "
            "assistant or the platform."
        ) % {"account": shown}
        return text, reverse("settlement:account_edit")
    text = _(
        "%(shop)s entered a new payout account (%(account)s). Check it with them "
        "and verify it."
    ) % {"shop": farmer.shop_name, "account": shown}
    return text, reverse("settlement:assistant_farmer_account", args=[farmer.pk])
