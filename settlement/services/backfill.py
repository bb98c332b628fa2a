"""Posting money events that were written in bulk and bypassed the services (the
demo's history, seed_demo; or orders from before the ledger existed). Each order's
events are replayed in the order they happened (completion, refunds, the end of
its hold), by the same rules the live receivers apply (settlement.services.
earnings), and written with bulk inserts in chunks; farmer balances are then set
from their postings. Events already posted are skipped, so it can run again."""

from collections import defaultdict
from decimal import Decimal

from django.db import transaction
from django.db.models import OuterRef, Q, Subquery, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone

from common.money import TOTAL_FIELD
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


def _payments(book: _Book, held: Account) -> None:
    online = [code for code, provider in PROVIDERS.items() if provider.online]
    took = Payment.objects.filter(transaction_id__isnull=False, provider__in=online)
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
    for refund in Refund.objects.filter(order__isnull=True).select_related("payment"):
        _refund_of_payment(book, refund, held)


def _refund_of_payment(book: _Book, refund: Refund, held: Account) -> None:
    clearing = account(K.CLEARING, provider=refund.payment.provider)
    book.add(
        E.REFUND,
        f"refund:{refund.pk}",
        [(held, refund.amount), (clearing, -refund.amount)],
        refund=refund,
        payment=refund.payment,
        at=refund.requested_at,
    )


def _replay(book, order, refunds, accounts, held, fees, now) -> None:
    """One order's events in time order, as the receivers would have posted them."""
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
            clearing = account(K.CLEARING, provider=refund.payment.provider)
            refunded += refund.amount
            if not earned:
                lines = [(held, refund.amount)]
            else:
                back = fee_returned(refund.amount, fee=fee, gross=gross, kept=kept)
                kept -= back
                kind = K.FARMER_AVAILABLE if released else K.FARMER_PENDING
                if not released:
                    pending -= refund.amount - back
                lines = [(accounts[(kind, farmer)], refund.amount - back), (fees, back)]
            book.add(
                E.REFUND,
                f"refund:{refund.pk}",
                [*lines, (clearing, -refund.amount)],
                refund=refund,
                order=order,
                payment=refund.payment,
                at=at,
            )


def _set_balances() -> None:
    summed = Subquery(
        Posting.objects.filter(account=OuterRef("pk"))
        .values("account")
        .annotate(total=Sum("amount"))
        .values("total")[:1],
        output_field=TOTAL_FIELD,
    )
    Account.objects.filter(kind__in=Account.FARMER_KINDS).update(
        balance=Coalesce(summed, Decimal(0), output_field=TOTAL_FIELD)
    )


@transaction.atomic
def ledger_backfill(now=None) -> int:
    """Post every money event not yet in the ledger. Returns the entries made."""
    now = now or timezone.now()
    held, fees = account(K.ORDERS_HELD), account(K.PLATFORM_FEES)
    book = _Book()
    _payments(book, held)
    made = book.write()
    orders = (
        Order.objects.filter(Q(completed_at__isnull=False) | Q(refunds__isnull=False))
        .exclude(pk__in=Entry.objects.filter(kind=E.EARNING).values("order"))
        .distinct()
        .select_related("checkout")
        .order_by("pk")
    )
    ids = list(orders.values_list("pk", flat=True))
    for start in range(0, len(ids), CHUNK):
        chunk = list(orders.filter(pk__in=ids[start : start + CHUNK]))
        refunds = defaultdict(list)
        given = Refund.objects.filter(order__in=chunk).exclude(
            status=RefundStatus.FAILED
        )
        for refund in given.select_related("payment").order_by("requested_at", "pk"):
            refunds[refund.order_id].append(refund)
        accounts = _farmer_accounts({order.farmer_id for order in chunk})
        for order in chunk:
            _replay(book, order, refunds[order.pk], accounts, held, fees, now)
        made += book.write()
    _set_balances()
    return made
