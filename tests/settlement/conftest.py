"""Fixtures of the settlement tests: a checkout paid through the simulated
gateway's real callback path, and the ledger's figures read straight from the
postings (each test's expected values are its own arithmetic)."""

from decimal import Decimal

import pytest
from django.db.models import Sum

from catalogue.models import ProductStatus
from common.money import to_fen
from orders.models import PaymentProviderCode
from orders.providers import PROVIDERS
from orders.services.payments import payment_callback
from settlement.models import Account, Posting
from tests.factories import ProductFactory, UserFactory, place_checkout


def pay(checkout):
    """The simulated gateway's signed callback for the checkout's open payment."""
    payment = checkout.payments.get(status="pending")
    body, headers = PROVIDERS["simulated"].callback_for(payment)
    return payment_callback(provider_code="simulated", body=body, headers=headers)


def paid_order(price="100.00", quantity=1, provider=PaymentProviderCode.SIMULATED):
    product = ProductFactory(status=ProductStatus.ACTIVE, price=Decimal(price))
    checkout = place_checkout(UserFactory(), [(product, quantity)], provider=provider)
    if provider == PaymentProviderCode.SIMULATED:
        pay(checkout)
    return checkout.orders.get()


def owed(farmer, kind) -> Decimal:
    """What the farmer's postings of `kind` leave owed to them (credits − debits)."""
    total = Posting.objects.filter(
        account__farmer=farmer, account__kind=kind
    ).aggregate(total=Sum("amount"))["total"]
    return to_fen(-(total or Decimal(0)))


def platform(kind, provider="") -> Decimal:
    total = Posting.objects.filter(
        account__farmer__isnull=True, account__kind=kind, account__provider=provider
    ).aggregate(total=Sum("amount"))["total"]
    return to_fen(total)


@pytest.fixture
def staff():
    from accounts.models import Role

    return UserFactory(role=Role.STAFF)


K = Account.Kind
