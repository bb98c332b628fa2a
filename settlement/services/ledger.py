"""Posting to the ledger: the one way money is written down. `post` checks that
the entry balances, writes it and its postings, and moves the farmer accounts'
balances in the same transaction; an event already posted (its key taken) is not
posted again, so a receiver told twice, or two workers racing, post once."""

from decimal import Decimal

from django.db import IntegrityError, transaction

from common.money import decimal, to_fen
from settlement.models import Account, Entry, Posting

K = Account.Kind


class Unbalanced(Exception):
    """An entry whose postings do not sum to zero: a bug, never posted."""


def account(kind: str, *, farmer=None, provider: str = "") -> Account:
    """The account of `kind` (a farmer's, a provider's, or the platform's one),
    made the first time it is needed."""
    if kind in Account.FARMER_KINDS:
        lookup = {"kind": kind, "farmer": farmer, "provider": ""}
    else:
        lookup = {"kind": kind, "farmer": None, "provider": provider}
    try:
        with transaction.atomic():
            return Account.objects.get_or_create(**lookup)[0]
    except IntegrityError:  # made meanwhile by another transaction
        return Account.objects.get(**lookup)


def post(kind: str, key: str, lines, **about) -> Entry | None:
    """Post an entry of `kind` for the event `key`: `lines` are (account, amount)
    pairs, debit positive, credit negative; zero lines are left out. Returns the
    entry, or None if the event was posted before (or moves nothing)."""
    # To the fen first (SQLite hands sums back as floats), then balanced.
    lines = [(acct, to_fen(amount)) for acct, amount in lines]
    lines = [(acct, amount) for acct, amount in lines if amount]
    if sum((amount for _a, amount in lines), Decimal(0)) != 0:
        raise Unbalanced(f"{key}: {lines}")
    if not lines:
        return None
    try:
        with transaction.atomic():
            entry = Entry.objects.create(kind=kind, key=key, **about)
    except IntegrityError:
        return None  # already posted
    Posting.objects.bulk_create(
        Posting(entry=entry, account=acct, amount=amount) for acct, amount in lines
    )
    # Farmer accounts keep their balance; rows moved in primary-key order.
    # Summed here in Decimal under the row's lock: SQLite would add floats.
    for acct, amount in sorted(lines, key=lambda line: line[0].pk):
        if acct.kind in Account.FARMER_KINDS:
            row = Account.objects.select_for_update().filter(pk=acct.pk)
            balance = decimal(row.values_list("balance", flat=True).get())
            row.update(balance=to_fen(balance + amount))
    return entry
