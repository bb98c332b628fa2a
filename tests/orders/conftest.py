"""Fixtures of the orders tests: WeChat Pay configured (in the WeChat Pay public
key mode) against the stand-in of its servers in tests/orders/wechat_gateway.py,
every outgoing HTTPS request intercepted, and a checkout placed through it; and
the fake payment gateway the reconciliation tests write statements for
(tests/orders/fake_gateway.py)."""

import pytest
import responses

from catalogue.models import ProductStatus
from orders.models import PaymentProviderCode
from orders.providers import PROVIDERS
from tests.factories import ProductFactory, UserFactory, place_checkout
from tests.orders.fake_gateway import FakeGateway
from tests.orders.wechat_gateway import (
    APIV3_KEY,
    APPID,
    MCHID,
    MERCHANT_SERIAL,
    PUBLIC_KEY_ID,
    FakeWeChat,
    Keys,
)

SITE_URL = "https://market.example.cn"


@pytest.fixture(scope="session")
def wechat_keys(tmp_path_factory):
    return Keys.made_in(tmp_path_factory.mktemp("wechat"))


@pytest.fixture
def wechat(settings, wechat_keys):
    """WeChat Pay on, and WeChat Pay's servers answering as `responses` is told
    (a request nobody told it about fails the test)."""
    settings.PAYMENT_PROVIDERS = [PaymentProviderCode.WECHAT, "on_delivery"]
    settings.SITE_URL = SITE_URL
    settings.WECHATPAY_MCHID = MCHID
    settings.WECHATPAY_APPID = APPID
    settings.WECHATPAY_APIV3_KEY = APIV3_KEY
    settings.WECHATPAY_CERT_SERIAL_NO = MERCHANT_SERIAL
    settings.WECHATPAY_PRIVATE_KEY_PATH = str(wechat_keys.merchant_path)
    settings.WECHATPAY_PUBLIC_KEY_PATH = str(wechat_keys.platform_public_path)
    settings.WECHATPAY_PUBLIC_KEY_ID = PUBLIC_KEY_ID
    settings.WECHATPAY_CERT_DIR = ""
    settings.WECHATPAY_APP_SECRET = ""
    settings.WECHATPAY_NOTIFY_URL = ""
    settings.WECHATPAY_TIMEOUT = 5.0
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        yield FakeWeChat(mock, wechat_keys)


@pytest.fixture
def paying(wechat):
    """A buyer's checkout of two orders (two shops), to pay with WeChat Pay."""
    products = [ProductFactory(status=ProductStatus.ACTIVE) for _ in range(2)]
    return place_checkout(
        UserFactory(),
        [(products[0], 1), (products[1], 2)],
        provider=PaymentProviderCode.WECHAT,
    )


@pytest.fixture
def gateway(monkeypatch, settings):
    """The fake gateway, offered and reconciling, for this test only."""
    fake = FakeGateway()
    monkeypatch.setitem(PROVIDERS, fake.code, fake)
    settings.PAYMENT_PROVIDERS = ["simulated", "on_delivery", fake.code]
    return fake
