"""The Alipay tests' world: an app key pair and Alipay's key pair in files, the
settings pointing at them, every outgoing HTTPS call answered by the fake
Alipay gateway (nothing reaches the network), and a two-shop checkout paid
through Alipay."""

from decimal import Decimal

import pytest
import responses

from accounts.models import Role
from catalogue.models import ProductStatus
from orders.models import PaymentProviderCode
from tests.factories import FarmerFactory, ProductFactory, UserFactory, place_checkout
from tests.orders.test_alipay.fake import (
    APP_ID,
    FakeAlipay,
    make_keys,
    notification,
    post,
)


@pytest.fixture(scope="session")
def keys(tmp_path_factory):
    return make_keys(tmp_path_factory.mktemp("alipay-keys"))


@pytest.fixture(autouse=True)
def alipay_settings(settings, keys):
    settings.ALIPAY_APP_ID = APP_ID
    settings.ALIPAY_APP_PRIVATE_KEY_PATH = str(keys.app_private_path)
    settings.ALIPAY_PUBLIC_KEY_PATH = str(keys.alipay_public_path)
    settings.ALIPAY_SANDBOX = False
    settings.ALIPAY_NOTIFY_URL = ""
    settings.ALIPAY_RETURN_URL = ""
    settings.ALIPAY_TIMEOUT_SECONDS = 3.0
    settings.SITE_URL = "https://shop.example.cn"
    settings.PAYMENT_PROVIDERS = ["alipay", "on_delivery"]
    return settings


@pytest.fixture(autouse=True)
def alipay(keys):
    """The fake gateway; at the end, every answer a test queued was asked for."""
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        fake = FakeAlipay(keys, mock)
        yield fake
    assert {m: a for m, a in fake.answers.items() if a} == {}, "answers never asked for"


@pytest.fixture
def checkout(db):
    """A checkout from two shops (10.00 + 2 × 7.00) to be paid through Alipay."""
    honey = ProductFactory(
        status=ProductStatus.ACTIVE,
        price=Decimal("10.00"),
        farmer=FarmerFactory(shop_name="蜂蜜小铺"),
    )
    tea = ProductFactory(
        status=ProductStatus.ACTIVE,
        price=Decimal("7.00"),
        farmer=FarmerFactory(shop_name="Tea & Co / 茶"),
    )
    return place_checkout(
        UserFactory(), [(honey, 1), (tea, 2)], provider=PaymentProviderCode.ALIPAY
    )


@pytest.fixture
def staff(db):
    return UserFactory(role=Role.STAFF)


@pytest.fixture
def paid(client, keys, checkout):
    """The checkout, paid by Alipay's notification."""
    payment = checkout.payments.get()
    assert post(client, notification(keys, payment)).status_code == 200
    return checkout
