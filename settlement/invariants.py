"""The ledger's invariants, as `manage.py check_ledger` verifies them (nightly, and
in the tests): every entry balances (so the whole ledger does); every payment that
took money, every payment on account, every order collected on delivery (or owed
on account), every refund (and every failed
one), every completed order and every hold that has ended has its entry, for the
right amount; a checkout the unit paid for on account owes nothing any more;
each farmer account's balance is the sum of its postings; the
refunds owed to buyers are the failed refunds not sent again; and no money stays
held for a checkout whose orders are all done. Each check is one query;
`first_mismatch` names the first thing wrong."""

from datetime import timedelta
from decimal import Decimal

from django.conf import settings
from django.db.models import Exists, F, OuterRef, Subquery, Sum, Value
from django.db.models.functions import Coalesce, Round
from django.utils import timezone

from common.money import TOTAL_FIELD, decimal, to_fen
from orders.dues import is_credit, on_account, unpaid_on_account
from orders.models import Order, OrderStatus, Payment, Refund, RefundStatus
from orders.providers import PROVIDERS
from settlement.models import Account, Entry, Posting

E = Entry.Kind
FINAL = (OrderStatus.COMPLETED, OrderStatus.CANCELLED, OrderStatus.REFUNDED)
ZERO = Value(Decimal(0), output_field=TOTAL_FIELD)


def in_fen(sum_):
    """A sum rounded to the fen in SQL: SQLite adds decimals as floats, leaving a
    residue (1e-15) where the true sum is 0."""
    return Round(sum_, 2, output_field=TOTAL_FIELD)


def _moved(kind: str, link: str):
    """What the entry of `kind` linked (by `link`) to the outer row moved: the sum
    of its debits, 0 if there is none."""
    debits = (
        Posting.objects.filter(
            entry__kind=kind, amount__gt=0, **{f"entry__{link}": OuterRef("pk")}
        )
        .values(f"entry__{link}")
        .annotate(total=in_fen(Sum("amount")))
        .values("total")[:1]
    )
    return Coalesce(Subquery(debits, output_field=TOTAL_FIELD), ZERO)


def _first(queryset, describe) -> str | None:
    row = queryset.order_by("pk").first()
    return None if row is None else describe(row)


def unbalanced_entry() -> str | None:
    """An entry whose postings do not sum to zero."""
    row = (
        Posting.objects.values("entry")
        .annotate(total=in_fen(Sum("amount")))
        .exclude(total=0)
        .order_by("entry")
        .first()
    )
    if row is None:
        return None
    key = Entry.objects.get(pk=row["entry"]).key
    return f"entry {key} does not balance: its postings sum to {row['total']}"


def payment_without_entry() -> str | None:
    online = [code for code, provider in PROVIDERS.items() if provider.online]
    took = Payment.objects.filter(transaction_id__isnull=False, provider__in=online)
    wrong = took.annotate(moved=_moved(E.BUYER_PAID, "payment")).exclude(
        moved=F("amount")
    )
    return _first(
        wrong,
        lambda p: f"payment {p.reference} took ¥{p.amount}; its entry moved ¥{p.moved}",
    )


def account_payment_without_entry() -> str | None:
    """A unit's payment on account recorded, without its entry for what it paid:
    the payment's amount less what was credited (refunded) before it."""
    paid = Payment.objects.filter(
        transaction_id__isnull=False, provider__in=on_account()
    )
    credited = (
        Refund.objects.filter(
            is_credit(), payment=OuterRef("pk"), retry_of__isnull=True
        )
        .values("payment")
        .annotate(total=in_fen(Sum("amount")))
        .values("total")[:1]
    )
    wrong = paid.annotate(
        moved=_moved(E.ACCOUNT_PAID, "payment"),
        paid=F("amount") - Coalesce(Subquery(credited, output_field=TOTAL_FIELD), ZERO),
    ).exclude(moved=F("paid"))
    return _first(
        wrong,
        lambda p: (
            f"payment {p.reference} on account paid ¥{p.paid}; its entry "
            f"moved ¥{p.moved}"
        ),
    )


def account_left_owing() -> str | None:
    """A checkout on account the unit has paid for whose money owed
    (clearing(on_account)) does not come back to zero."""
    paid = Payment.objects.filter(
        checkout=OuterRef("checkout"),
        provider__in=on_account(),
        transaction_id__isnull=False,
    )
    checkout = Coalesce(
        F("entry__order__checkout_id"), F("entry__payment__checkout_id")
    )
    row = (
        Posting.objects.filter(
            account__kind=Account.Kind.CLEARING, account__provider__in=on_account()
        )
        .annotate(checkout=checkout)
        .filter(Exists(paid))
        .values("checkout")
        .annotate(total=in_fen(Sum("amount")))
        .exclude(total=0)
        .order_by("checkout")
        .first()
    )
    if row is None:
        return None
    return (
        f"checkout {row['checkout']} was paid on account, yet "
        f"¥{to_fen(decimal(row['total']))} of it is still owed"
    )


def collection_without_entry() -> str | None:
    on_delivery = [code for code, p in PROVIDERS.items() if not p.online]
    collected = Order.objects.filter(
        checkout__provider__in=on_delivery, completed_at__isnull=False
    )
    wrong = collected.annotate(moved=_moved(E.COLLECTED, "order")).exclude(
        moved=F("total")
    )
    return _first(
        wrong,
        lambda o: (
            f"order {o.pk} was collected on delivery (¥{o.total}); its "
            f"entry moved ¥{o.moved}"
        ),
    )


def refund_without_entry() -> str | None:
    wrong = Refund.objects.annotate(moved=_moved(E.REFUND, "refund")).exclude(
        moved=F("amount")
    )
    problem = _first(
        wrong,
        lambda r: f"refund {r.refund_id} of ¥{r.amount}: its entry moved ¥{r.moved}",
    )
    if problem:
        return problem
    failed = Refund.objects.filter(status=RefundStatus.FAILED)
    wrong = failed.annotate(moved=_moved(E.REFUND_FAILED, "refund")).exclude(
        moved=F("amount")
    )
    return _first(
        wrong,
        lambda r: f"refund {r.refund_id} failed; its reversal moved ¥{r.moved}",
    )


def completion_without_earning() -> str | None:
    done = Order.objects.filter(completed_at__isnull=False).annotate(
        earned=_moved(E.EARNING, "order")
    )
    return _first(
        done.filter(earned=0),
        lambda o: f"order {o.pk} completed but has no earning entry",
    )


def hold_not_released() -> str | None:
    due = timezone.now() - timedelta(days=settings.EARNING_HOLD_DAYS, hours=1)
    ended = Order.objects.filter(
        status=OrderStatus.COMPLETED, completed_at__lte=due
    ).exclude(unpaid_on_account())
    missing = ended.exclude(pk__in=Entry.objects.filter(kind=E.RELEASE).values("order"))
    return _first(
        missing,
        lambda o: f"order {o.pk}'s hold ended but its earning was not released",
    )


def balance_off() -> str | None:
    summed = Coalesce(
        Subquery(
            Posting.objects.filter(account=OuterRef("pk"))
            .values("account")
            .annotate(total=in_fen(Sum("amount")))
            .values("total")[:1],
            output_field=TOTAL_FIELD,
        ),
        ZERO,
    )
    wrong = (
        Account.objects.filter(kind__in=Account.FARMER_KINDS)
        .annotate(summed=summed)
        .exclude(balance=F("summed"))
    )
    return _first(
        wrong,
        lambda a: (
            f"farmer {a.farmer_id}'s {a.kind} balance is {a.balance}; its "
            f"postings sum to {a.summed}"
        ),
    )


def pending_below_zero() -> str | None:
    """Earnings on hold are never less than nothing: refunds during the hold take
    at most what the order earned, and after it they take from what is available."""
    wrong = Account.objects.filter(kind=Account.Kind.FARMER_PENDING, balance__gt=0)
    return _first(
        wrong,
        lambda a: (
            f"farmer {a.farmer_id}'s earnings on hold are {-a.balance}, below zero"
        ),
    )


def refunds_owed_off() -> str | None:
    """The refunds owed to buyers are exactly the failed refunds not sent again."""
    owed = Refund.objects.filter(status=RefundStatus.FAILED, retry__isnull=True)
    expected = owed.aggregate(total=Sum("amount"))["total"] or 0
    rows = Posting.objects.filter(account__kind=Account.Kind.REFUNDS_OWED)
    held = -(rows.aggregate(total=Sum("amount"))["total"] or 0)
    if to_fen(decimal(held)) == to_fen(decimal(expected)):
        return None
    return (
        f"the ledger owes buyers ¥{to_fen(decimal(held))} of failed refunds; the "
        f"refunds not sent again come to ¥{to_fen(decimal(expected))}"
    )


def held_for_closed_checkout() -> str | None:
    """No buyer's money stays held for a checkout whose orders are all done
    (completed, cancelled or refunded): it became the farmer's, went back to the
    buyer, or is owed back to them."""
    # NOT EXISTS, not NOT IN: an anti-join on the orders' checkout index (NOT IN
    # over a nullable column took minutes at the case study's scale).
    still_open = Order.objects.filter(checkout_id=OuterRef("checkout")).exclude(
        status__in=FINAL
    )
    checkout = Coalesce(
        F("entry__order__checkout_id"), F("entry__payment__checkout_id")
    )
    row = (
        Posting.objects.filter(account__kind=Account.Kind.ORDERS_HELD)
        .annotate(checkout=checkout)
        .filter(~Exists(still_open))
        .values("checkout")
        .annotate(total=in_fen(Sum("amount")))
        .exclude(total=0)
        .order_by("checkout")
        .first()
    )
    if row is None:
        return None
    return (
        f"checkout {row['checkout']}'s orders are all done, yet "
        f"¥{to_fen(decimal(-row['total']))} of its money is still held"
    )


def ledger_total() -> str | None:
    total = to_fen(decimal(Posting.objects.aggregate(total=Sum("amount"))["total"]))
    return None if total == 0 else f"the ledger's postings sum to {total}, not 0"


CHECKS = (
    ledger_total,
    unbalanced_entry,
    payment_without_entry,
    account_payment_without_entry,
    account_left_owing,
    collection_without_entry,
    refund_without_entry,
    completion_without_earning,
    hold_not_released,
    balance_off,
    pending_below_zero,
    refunds_owed_off,
    held_for_closed_checkout,
)


def first_mismatch() -> str | None:
    """What is wrong first, in the order of CHECKS; None if the ledger holds."""
    for check in CHECKS:
        problem = check()
        if problem:
            return problem
    return None
