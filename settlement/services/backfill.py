"""Posting money events that were written in bulk and bypassed the services (the
demo's history, seed_demo; or orders from before the ledger existed). Each order's
events are replayed in the order they happened (completion, refunds, the end of
its hold), by the same rules the live receivers apply (settlement.services.
earnings: the same fee rules, a failed refund owed to the buyer, a retry taking
it), and written with bulk inserts in chunks; farmer balances are then set from
their postings. Only orders with an event not yet posted are replayed, and
events already posted are skipped, so it can run again after more history."""

from collections import defaultdict
from datetime import timedelta
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, OuterRef, Q, Subquery, Sum
from django.db.models.functions import Coalesce, Round
from django.utils import timezone

from common.money import TOTAL_FIELD
from orders.dues import on_account
from orders.models import Order, OrderStatus, Payment, Refund, RefundStatus
from orders.providers import PROVIDERS
from settlement.models import Account, Entry, Posting
from settlement.services.earnings import fee_of, fee_returned, hold_ends
from settlement.services.ledger import account

K = Account.Kind
E = Entry.Kind
CHUNK = 2000


class _Book:
    """Entries to write, with their postings, skipping keys already posted."""

    def __init__(self):
        self.entries: list[tuple[Entry, list]] = []

    def add(self, kind, key, lines, **about):
        lines = [(acct, amount) for acct, amount in lines if amount]
        if lines:
            self.entries.append((Entry(kind=kind, key=key, **about), lines))

    def write(self) -> int:
        keys = [entry.key for entry, _l in self.entries]
        done = set(Entry.objects.filter(key__in=keys).values_list("key", flat=True))
        todo = [(e, lines) for e, lines in self.entries if e.key not in done]
        made = Entry.objects.bulk_create([entry for entry, _l in todo])
        Posting.objects.bulk_create(
            [
                Posting(entry=entry, account=acct, amount=amount)
                for entry, (_e, lines) in zip(made, todo, strict=True)
                for acct, amount in lines
            ],
            batch_size=CHUNK,
        )
        self.entries = []
        return len(made)


def _farmer_accounts(farmer_ids) -> dict:
    Account.objects.bulk_create(
        [
            Account(kind=kind, farmer_id=farmer_id)
            for farmer_id in farmer_ids
            for kind in Account.FARMER_KINDS
        ],
        ignore_conflicts=True,
    )
    rows = Account.objects.filter(farmer_id__in=farmer_ids)
    return {(a.kind, a.farmer_id): a for a in rows}


def _payments(book: _Book, held: Account, owed: Account) -> None:
    online = [code for code, provider in PROVIDERS.items() if provider.online]
    took = Payment.objects.filter(transaction_id__isnull=False, provider__in=online)
    took = took.exclude(
        pk__in=Entry.objects.filter(kind=E.BUYER_PAID).values("payment")
    )
    for payment in took.iterator(chunk_size=CHUNK):
        book.add(
            E.BUYER_PAID,
            f"paid:{payment.pk}",
            [
                (account(K.CLEARING, provider=payment.provider), payment.amount),
                (held, -payment.amount),
            ],
            payment=payment,
            at=payment.paid_at or payment.created_at,
        )
        if len(book.entries) >= CHUNK:
            book.write()
    of_payments = Refund.objects.filter(order__isnull=True).select_related("payment")
    for refund in of_payments.filter(_refund_unposted()):
        _refund(book, refund, [(held, refund.amount)], owed, refund.requested_at)
        _failure(book, refund, owed)


def _refund(book, refund: Refund, lines, owed: Account, at) -> None:
    """A refund's entry: from `lines` (where its money is taken), or, sent again
    after a failure, from what the failure left owed."""
    if refund.retry_of_id is not None:
        lines = [(owed, refund.amount)]
    clearing = account(K.CLEARING, provider=refund.payment.provider)
    book.add(
        E.REFUND,
        f"refund:{refund.pk}",
        [*lines, (clearing, -refund.amount)],
        refund=refund,
        order=refund.order,
        payment=refund.payment,
        at=at,
    )


def _failure(book, refund: Refund, owed: Account) -> None:
    if refund.status != RefundStatus.FAILED:
        return
    clearing = account(K.CLEARING, provider=refund.payment.provider)
    book.add(
        E.REFUND_FAILED,
        f"refund_failed:{refund.pk}",
        [(clearing, refund.amount), (owed, -refund.amount)],
        refund=refund,
        order=refund.order,
        payment=refund.payment,
        at=refund.settled_at or refund.requested_at,
    )


def _replay(book, order, refunds, accounts, platform, now) -> None:
    """One order's events in time order, as the receivers would have posted them."""
    held, fees, owed = platform
    events = [(r.requested_at, 1, r) for r in refunds]
    if order.completed_at:
        events.append((order.completed_at, 0, "complete"))
        if hold_ends(order) <= now:
            events.append((hold_ends(order), 2, "release"))
    earned = released = None
    pending = fee = gross = kept = Decimal(0)
    refunded = Decimal(0)
    provider = order.checkout.provider
    farmer = order.farmer_id
    for at, _rank, event in sorted(events, key=lambda e: (e[0], e[1])):
        if event == "complete":
            if not PROVIDERS[provider].online:
                clearing = account(K.CLEARING, provider=provider)
                book.add(
                    E.COLLECTED,
                    f"collected:{order.pk}",
                    [(clearing, order.total), (held, -order.total)],
                    order=order,
                    at=at,
                )
            gross = order.total - refunded
            fee = kept = fee_of(gross)
            pending = gross - fee
            earned = True
            book.add(
                E.EARNING,
                f"earning:{order.pk}",
                [
                    (held, gross),
                    (accounts[(K.FARMER_PENDING, farmer)], -pending),
                    (fees, -fee),
                ],
                order=order,
                at=at,
            )
        elif event == "release":
            if order.status != OrderStatus.COMPLETED and order.closed_at <= at:
                continue  # refunded in full before the hold ended
            released = True
            book.add(
                E.RELEASE,
                f"release:{order.pk}",
                [
                    (accounts[(K.FARMER_PENDING, farmer)], pending),
                    (accounts[(K.FARMER_AVAILABLE, farmer)], -pending),
                ],
                order=order,
                at=at,
            )
        else:
            refund = event
            lines = []
            if refund.retry_of_id is None:
                refunded += refund.amount
                lines = [(held, refund.amount)]
            if refund.retry_of_id is None and earned:
                last = refunded >= order.total
                back = fee_returned(
                    refund.amount, fee=fee, gross=gross, kept=kept, last=last
                )
                kept -= back
                kind = K.FARMER_AVAILABLE if released else K.FARMER_PENDING
                if not released:
                    pending -= refund.amount - back
                lines = [(accounts[(kind, farmer)], refund.amount - back), (fees, back)]
            _refund(book, refund, lines, owed, at)
            _failure(book, refund, owed)


def _unposted(link: Q):
    """Whether no entry linked by `link` (to the outer row) is posted yet."""
    return ~Exists(Entry.objects.filter(link))


def _refund_unposted() -> Q:
    """Whether a refund (the outer row) lacks its entry, or, failed, the entry of
    its failure: each is looked for on its own, so a failure reported after the
    refund was posted is posted by the next run."""
    refund = Q(refund=OuterRef("pk"))
    return _unposted(refund & Q(kind=E.REFUND)) | Q(
        status=RefundStatus.FAILED
    ) & _unposted(refund & Q(kind=E.REFUND_FAILED))


def _orders_to_replay(now):
    """Orders with an event the ledger is missing: a completion, a refund (or
    its failure), or a hold that has ended."""
    order = Q(order=OuterRef("pk"))
    unposted_refund = Refund.objects.filter(order=OuterRef("pk")).filter(
        _refund_unposted()
    )
    due = now - timedelta(days=settings.EARNING_HOLD_DAYS)
    # Orders on account are only ever placed through the services, which post
    # their entries (and their release waits for the unit's payment).
    return Order.objects.filter(
        Q(completed_at__isnull=False) & _unposted(order & Q(kind=E.EARNING))
        | Exists(unposted_refund)
        | Q(status=OrderStatus.COMPLETED, completed_at__lte=due)
        & _unposted(order & Q(kind=E.RELEASE))
    ).exclude(checkout__provider__in=on_account())


def _set_balances() -> None:
    summed = Subquery(
        Posting.objects.filter(account=OuterRef("pk"))
        .values("account")
        .annotate(total=Sum("amount"))
        .values("total")[:1],
        output_field=TOTAL_FIELD,
    )
    # Rounded to the fen in SQL: SQLite sums decimals as floats.
    Account.objects.filter(kind__in=Account.FARMER_KINDS).update(
        balance=Round(
            Coalesce(summed, Decimal(0), output_field=TOTAL_FIELD),
            2,
            output_field=TOTAL_FIELD,
        )
    )


@transaction.atomic
def ledger_backfill(now=None) -> int:
    """Post every money event not yet in the ledger. Returns the entries made."""
    now = now or timezone.now()
    platform = held, _fees, owed = (
        account(K.ORDERS_HELD),
        account(K.PLATFORM_FEES),
        account(K.REFUNDS_OWED),
    )
    book = _Book()
    _payments(book, held, owed)
    made = book.write()
    orders = _orders_to_replay(now).select_related("checkout").order_by("pk")
    ids = list(orders.values_list("pk", flat=True))
    for start in range(0, len(ids), CHUNK):
        chunk = list(orders.filter(pk__in=ids[start : start + CHUNK]))
        refunds = defaultdict(list)
        given = Refund.objects.filter(order__in=chunk).select_related("payment")
        for refund in given.order_by("requested_at", "pk"):
            refunds[refund.order_id].append(refund)
        accounts = _farmer_accounts({order.farmer_id for order in chunk})
        for order in chunk:
            _replay(book, order, refunds[order.pk], accounts, platform, now)
        made += book.write()
    _set_balances()
    return made
