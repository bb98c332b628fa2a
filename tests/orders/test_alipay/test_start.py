"""Starting an Alipay payment: a signed URL of Alipay's cashier, built here with
no call to Alipay. A computer gets page pay, a phone's browser or WeChat's gets
wap pay; the URL's signature verifies with the app's public key, and it carries
the payment's reference, amount, deadline, the shops' names and our URLs."""

import json
from urllib.parse import parse_qsl

import pytest
from django.urls import reverse

from orders.models import Payment
from tests.orders.test_alipay.fake import (
    APP_ID,
    GATEWAY,
    SANDBOX,
    china,
    content,
    verifies,
)

pytestmark = pytest.mark.django_db
DESKTOP = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) Chrome/124.0 Safari/537.36"
PHONE = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) Mobile/15E148"
WECHAT = PHONE + " MicroMessenger/8.0.47"


def start(client, checkout, user_agent: str) -> str:
    client.force_login(checkout.buyer)
    response = client.post(
        reverse("orders:pay", args=[checkout.pk]), headers={"User-Agent": user_agent}
    )
    assert response.status_code == 302
    return response.url


def read(url: str, keys) -> tuple[str, dict, dict]:
    """The gateway, the parameters and the biz_content of a signed URL, after
    checking its signature as Alipay does (every parameter but sign)."""
    gateway, query = url.split("?", 1)
    params = dict(parse_qsl(query, keep_blank_values=True, strict_parsing=True))
    assert verifies(keys.app, content(params, leave_out=("sign",)), params["sign"])
    return gateway, params, json.loads(params["biz_content"])


def test_a_computer_gets_page_pay(client, keys, alipay, checkout):
    payment = checkout.payments.get()
    gateway, params, biz = read(start(client, checkout, DESKTOP), keys)
    assert gateway == GATEWAY
    assert params["method"] == "alipay.trade.page.pay"
    assert (params["app_id"], params["charset"], params["sign_type"]) == (
        APP_ID,
        "utf-8",
        "RSA2",
    )
    assert params["notify_url"] == "https://shop.example.cn/orders/webhooks/alipay/"
    assert params["return_url"] == "https://shop.example.cn/orders/"
    deadline = min(checkout.orders.values_list("expires_at", flat=True))
    assert biz == {
        "subject": "蜂蜜小铺, Tea Co 茶",  # "&" and "/" are not allowed in a subject
        "out_trade_no": str(payment.reference),
        "total_amount": f"{payment.amount:.2f}",
        "product_code": "FAST_INSTANT_TRADE_PAY",
        "time_expire": china(deadline),
    }
    assert len(biz["out_trade_no"]) == 36
    assert alipay.calls == []  # nothing was asked of Alipay


@pytest.mark.parametrize("user_agent", [PHONE, WECHAT])
def test_a_phone_gets_wap_pay(client, keys, alipay, checkout, user_agent):
    payment = checkout.payments.get()
    gateway, params, biz = read(start(client, checkout, user_agent), keys)
    assert gateway == GATEWAY
    assert params["method"] == "alipay.trade.wap.pay"
    assert biz["product_code"] == "QUICK_WAP_WAY"
    assert biz["out_trade_no"] == str(payment.reference)
    assert biz["total_amount"] == f"{payment.amount:.2f}"
    assert biz["quit_url"] == "https://shop.example.cn/orders/"
    assert alipay.calls == []


def test_the_sandbox_and_our_own_urls(client, keys, checkout, settings):
    settings.ALIPAY_SANDBOX = True
    settings.ALIPAY_NOTIFY_URL = "https://pay.example.cn/orders/webhooks/alipay/"
    settings.ALIPAY_RETURN_URL = "https://m.example.cn/orders/"
    gateway, params, _biz = read(start(client, checkout, PHONE), keys)
    assert gateway == SANDBOX
    assert params["notify_url"] == "https://pay.example.cn/orders/webhooks/alipay/"
    assert params["return_url"] == "https://m.example.cn/orders/"


def test_starting_again_is_the_same_trade(client, keys, checkout):
    _gateway, _params, first = read(start(client, checkout, DESKTOP), keys)
    _gateway, _params, again = read(start(client, checkout, DESKTOP), keys)
    assert again == first
    assert Payment.objects.filter(checkout=checkout).count() == 1


def test_a_changed_url_no_longer_verifies(client, keys, checkout):
    """The check above can fail: the buyer cannot change the amount."""
    url = start(client, checkout, DESKTOP)
    gateway, query = url.split("?", 1)
    params = dict(parse_qsl(query))
    params["biz_content"] = params["biz_content"].replace(
        '"total_amount":"', '"total_amount":"1'
    )
    assert not verifies(keys.app, content(params, leave_out=("sign",)), params["sign"])


@pytest.mark.parametrize(
    ("sandbox", "origin"),
    [
        (False, "https://openapi.alipay.com"),
        (True, "https://openapi-sandbox.dl.alipaydev.com"),
    ],
)
def test_the_pay_form_may_go_on_to_alipays_gateway(
    client, checkout, settings, sandbox, origin
):
    """Browsers hold a form's redirects to the page's CSP form-action: the pay
    page allows Alipay's gateway and the hosts of its domain it redirects on to
    (the cashier), and nothing else outside the site."""
    settings.ALIPAY_SANDBOX = sandbox
    client.force_login(checkout.buyer)
    response = client.get(reverse("orders:checkout_done", args=[checkout.pk]))
    policy = {
        part.split()[0]: set(part.split()[1:])
        for part in response["Content-Security-Policy"].split(";")
        if part.strip()
    }
    domain = ".".join(origin.split(".")[-2:])
    assert policy["form-action"] == {"'self'", origin, f"https://*.{domain}"}
