"""Fixtures of the orders tests: the fake payment gateway the reconciliation
tests write statements for (tests/orders/fake_gateway.py)."""

import pytest

from orders.providers import PROVIDERS
from tests.orders.fake_gateway import FakeGateway


@pytest.fixture
def gateway(monkeypatch, settings):
    """The fake gateway, offered and reconciling, for this test only."""
    fake = FakeGateway()
    monkeypatch.setitem(PROVIDERS, fake.code, fake)
    settings.PAYMENT_PROVIDERS = ["simulated", "on_delivery", fake.code]
    return fake
