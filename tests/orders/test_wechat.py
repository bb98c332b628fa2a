"""WeChat Pay: starting a payment from each device through the pay page (Native
QR code on a computer, H5 on a phone's browser, JSAPI inside WeChat, after
WeChat's sign-in for the buyer's openid), the amount in fen and the order's
details as WeChat receives them, a gateway that does not answer or refuses,
and a site that lacks settings (named by the system check, not offered)."""

import json
from decimal import Decimal
from io import StringIO
from urllib.parse import parse_qs, quote, urlsplit

import pytest
import requests
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role
from catalogue.models import ProductStatus
from orders.models import OrderStatus, PaymentProviderCode, PaymentStatus
from orders.providers import PROVIDERS, provider_choices
from orders.providers.base import ProviderError
from orders.providers.wechat import CHINA
from orders.providers.wechat_client import client_for, fen
from tests.factories import ProductFactory, UserFactory, place_checkout
from tests.orders.conftest import SITE_URL
from tests.orders.wechat_gateway import APPID, MCHID, new_key, verify

pytestmark = pytest.mark.django_db
WECHAT_UA = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0) Mobile MicroMessenger/8.0.50"
PHONE_UA = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0) AppleWebKit Mobile Safari"
CODE_URL = "weixin://wxpay/bizpayurl?pr=p4lpSuKzz"
H5_URL = "https://wx.tenpay.com/cgi-bin/mmpayweb-bin/checkmweb?prepay_id=wx20161215"
PREPAY_ID = "wx201410272009395522657a690389285100"
OPENID = "oUpF8uMuAJO_M2pxb1Q9zNjWeS6o"


@pytest.fixture(autouse=True)
def english(client):
    """The pages' messages are read in English here."""
    client.cookies["django_language"] = "en"


def pay(client, checkout, **extra):
    client.force_login(checkout.buyer)
    return client.post(reverse("orders:pay", args=[checkout.pk]), **extra)


def form_action(response) -> set[str]:
    parts = (part.split() for part in response["Content-Security-Policy"].split(";"))
    return next(set(values) for name, *values in parts if name == "form-action")


def test_the_pay_form_may_go_on_to_wechats_sign_in_and_h5_page(client, wechat, paying):
    """Browsers hold a form's redirects to the page's CSP form-action: the pay
    page of a WeChat Pay checkout allows WeChat's sign-in and its H5 page."""
    client.force_login(paying.buyer)
    response = client.get(reverse("orders:checkout_done", args=[paying.pk]))
    assert form_action(response) == {
        "'self'",
        "https://open.weixin.qq.com",
        f"{urlsplit(H5_URL).scheme}://{urlsplit(H5_URL).netloc}",
    }
    # Any other page's forms still go only to the site.
    assert form_action(client.get(reverse("orders:home"))) == {"'self'"}


def test_a_computer_is_shown_the_native_qr_code(client, wechat, paying):
    wechat.answer("POST", "/v3/pay/transactions/native", {"code_url": CODE_URL})
    page = pay(client, paying)
    assert page.status_code == 200
    assert page.context["start"].qr_code == CODE_URL
    assert "<svg" in page.content.decode()
    payment = paying.payments.get()
    orders = list(paying.orders.select_related("farmer").order_by("pk"))
    deadline = min(order.expires_at for order in orders).astimezone(CHINA)
    [sent] = wechat.bodies("/native")
    assert sent == {
        "notify_url": f"{SITE_URL}/orders/webhooks/wechat/",
        "description": "、".join(order.farmer.shop_name for order in orders),
        "out_trade_no": payment.reference.hex,
        "amount": {"total": fen(payment.amount), "currency": "CNY"},
        "time_expire": deadline.isoformat(timespec="seconds"),
        "appid": APPID,
        "mchid": MCHID,
    }
    assert sent["amount"]["total"] == int(payment.amount * 100)
    assert sent["time_expire"].endswith("+08:00")


def test_a_phone_is_sent_to_the_h5_page_with_its_address(client, wechat, paying):
    wechat.answer("POST", "/v3/pay/transactions/h5", {"h5_url": H5_URL})
    response = pay(client, paying, HTTP_USER_AGENT=PHONE_UA, REMOTE_ADDR="203.0.113.9")
    back = f"{SITE_URL}{reverse('orders:checkout_done', args=[paying.pk])}"
    assert response.status_code == 302
    assert response["Location"] == f"{H5_URL}&redirect_url={quote(back, safe='')}"
    [sent] = wechat.bodies("/h5")
    assert sent["scene_info"] == {
        "payer_client_ip": "203.0.113.9",
        "h5_info": {"type": "Wap"},
    }
    assert "payer" not in sent


def jsapi_of(page) -> dict:
    start = page.context["start"]
    assert not start.redirect_url and not start.qr_code
    assert 'id="wechat-jsapi"' in page.content.decode()
    return start.jsapi


def test_inside_wechat_a_known_buyer_gets_the_signed_jsapi_bridge(
    client, wechat, wechat_keys, paying
):
    wechat.answer("POST", "/v3/pay/transactions/jsapi", {"prepay_id": PREPAY_ID})
    client.force_login(paying.buyer)
    session = client.session
    session["wechat_openid"] = OPENID
    session.save()
    page = pay(client, paying, HTTP_USER_AGENT=WECHAT_UA)
    params = jsapi_of(page)
    assert params["appId"] == APPID
    assert params["package"] == f"prepay_id={PREPAY_ID}"
    assert params["signType"] == "RSA"
    assert abs(int(params["timeStamp"]) - timezone.now().timestamp()) < 60
    assert 0 < len(params["nonceStr"]) <= 32
    signed = "".join(
        f"{params[k]}\n" for k in ("appId", "timeStamp", "nonceStr", "package")
    )
    merchant = wechat_keys.merchant.public_key()
    assert verify(merchant, signed, params["paySign"])
    assert not verify(merchant, signed.replace(PREPAY_ID, "wx1"), params["paySign"])
    [sent] = wechat.bodies("/jsapi")
    assert sent["payer"] == {"openid": OPENID}


def test_inside_wechat_without_an_app_secret_the_buyer_gets_h5(client, wechat, paying):
    wechat.answer("POST", "/v3/pay/transactions/h5", {"h5_url": H5_URL})
    response = pay(client, paying, HTTP_USER_AGENT=WECHAT_UA)
    assert response["Location"].startswith(H5_URL)


def test_inside_wechat_an_unknown_buyer_signs_in_with_wechat_first(
    client, settings, wechat, paying
):
    settings.WECHATPAY_APP_SECRET = "the-app-secret"
    oauth = reverse("orders:wechat_oauth")
    response = pay(client, paying, HTTP_USER_AGENT=WECHAT_UA)
    assert response["Location"] == f"{oauth}?checkout={paying.pk}"
    assert wechat.calls == []  # nothing asked of WeChat Pay yet
    to_wechat = client.get(response["Location"], HTTP_USER_AGENT=WECHAT_UA)
    url = urlsplit(to_wechat["Location"])
    query = parse_qs(url.query)
    assert (url.netloc, url.path, url.fragment) == (
        "open.weixin.qq.com",
        "/connect/oauth2/authorize",
        "wechat_redirect",
    )
    assert query["appid"] == [APPID] and query["scope"] == ["snsapi_base"]
    assert query["redirect_uri"] == [f"{SITE_URL}{oauth}"]
    state = query["state"][0]
    assert state.isalnum() and len(state) >= 32

    wechat.mock.get(
        "https://api.weixin.qq.com/sns/oauth2/access_token",
        json={
            "access_token": "ACCESS_TOKEN",
            "expires_in": 7200,
            "refresh_token": "REFRESH_TOKEN",
            "openid": OPENID,
            "scope": "snsapi_base",
        },
        match=[
            responses_query(
                appid=APPID,
                secret="the-app-secret",
                code="THE-CODE",
                grant_type="authorization_code",
            )
        ],
    )
    wechat.answer("POST", "/v3/pay/transactions/jsapi", {"prepay_id": PREPAY_ID})
    page = client.get(
        oauth, {"code": "THE-CODE", "state": state}, HTTP_USER_AGENT=WECHAT_UA
    )
    assert page.status_code == 200
    assert jsapi_of(page)["package"] == f"prepay_id={PREPAY_ID}"
    assert client.session["wechat_openid"] == OPENID
    assert wechat.bodies("/jsapi")[0]["payer"] == {"openid": OPENID}
    # The state was used up: the same link again is refused.
    again = client.get(oauth, {"code": "THE-CODE", "state": state}, follow=True)
    assert "not started here" in str(list(again.context["messages"])[-1])
    assert len(wechat.bodies("/jsapi")) == 1


def responses_query(**params):
    from responses import matchers

    return matchers.query_param_matcher(params)


@pytest.mark.parametrize("state", ["", "forged0123456789abcdef0123456789", "状态"])
def test_a_sign_in_this_session_did_not_start_is_refused(
    client, settings, wechat, paying, state
):
    settings.WECHATPAY_APP_SECRET = "the-app-secret"
    client.force_login(paying.buyer)
    client.get(reverse("orders:wechat_oauth"), {"checkout": paying.pk})
    response = client.get(
        reverse("orders:wechat_oauth"), {"code": "CODE", "state": state}, follow=True
    )
    assert response.status_code == 200
    assert "not started here" in str(list(response.context["messages"])[-1])
    assert "wechat_openid" not in client.session
    assert len(wechat.mock.calls) == 0  # no code was exchanged, nothing started


def test_the_sign_in_is_only_for_the_buyers_own_checkout(client, wechat, paying):
    url = reverse("orders:wechat_oauth")
    assert client.get(url, {"checkout": paying.pk})["Location"].startswith(
        reverse("accounts:login")
    )
    client.force_login(UserFactory(role=Role.FARMER))
    assert client.get(url, {"checkout": paying.pk}).status_code == 403
    client.force_login(UserFactory())
    assert client.get(url, {"checkout": paying.pk}).status_code == 404
    assert client.get(url, {"checkout": "1e9"}).status_code == 404
    assert client.get(url).status_code == 404
    assert "wechat_oauth" not in client.session


def test_a_code_wechat_refuses_is_a_message(client, settings, wechat, paying):
    settings.WECHATPAY_APP_SECRET = "the-app-secret"
    client.force_login(paying.buyer)
    url = reverse("orders:wechat_oauth")
    to_wechat = client.get(url, {"checkout": paying.pk})
    state = parse_qs(urlsplit(to_wechat["Location"]).query)["state"][0]
    wechat.mock.get(
        "https://api.weixin.qq.com/sns/oauth2/access_token",
        json={"errcode": 40029, "errmsg": "invalid code"},
    )
    response = client.get(url, {"code": "BAD", "state": state}, follow=True)
    assert "invalid code" in str(list(response.context["messages"])[-1])
    assert "wechat_openid" not in client.session
    assert wechat.calls == []


def test_a_timeout_charges_nothing_and_the_retry_is_the_same_order(
    client, wechat, paying
):
    wechat.fails(
        "POST", "/v3/pay/transactions/native", requests.exceptions.ConnectTimeout()
    )
    wechat.answer("POST", "/v3/pay/transactions/native", {"code_url": CODE_URL})
    response = pay(client, paying, follow=True)
    [message] = response.context["messages"]
    assert "did not answer" in str(message) and "Nothing was charged" in str(message)
    payment = paying.payments.get()
    assert payment.status == PaymentStatus.PENDING and payment.transaction_id is None
    assert set(paying.orders.values_list("status", flat=True)) == {
        OrderStatus.PENDING_PAYMENT
    }
    first = json.loads(wechat.mock.calls[0].request.body)
    again = pay(client, paying)
    assert again.context["start"].qr_code == CODE_URL
    [retried] = wechat.bodies("/native")
    assert retried == first
    assert paying.payments.get().reference == payment.reference


@pytest.mark.parametrize(
    ("status", "answer", "said"),
    [
        (500, {"code": "SYSTEM_ERROR", "message": "系统错误"}, "did not answer"),
        (429, {"code": "FREQUENCY_LIMITED", "message": "频率超限"}, "did not answer"),
        (400, {"code": "PARAM_ERROR", "message": "参数错误"}, "refused: 参数错误"),
        (400, {"code": "ORDERPAID", "message": "该订单已支付"}, "该订单已支付"),
        (403, "not json", "refused: HTTP 403"),
    ],
)
def test_a_refusal_or_server_error_is_a_message(
    client, wechat, paying, status, answer, said
):
    payload = answer if isinstance(answer, dict) else None
    wechat.answer("POST", "/v3/pay/transactions/native", payload, status=status)
    response = pay(client, paying, follow=True)
    assert said in str(list(response.context["messages"])[-1])
    assert paying.payments.get().status == PaymentStatus.PENDING


def test_an_answer_not_signed_by_wechat_pay_is_not_believed(client, wechat, paying):
    wechat.answer(
        "POST", "/v3/pay/transactions/native", {"code_url": CODE_URL}, signer=new_key()
    )
    response = pay(client, paying, follow=True)
    assert "did not answer" in str(list(response.context["messages"])[-1])
    assert paying.payments.get().status == PaymentStatus.PENDING


@pytest.mark.parametrize(
    ("amount", "fens"),
    [("0.01", 1), ("0.07", 7), ("19.99", 1999), ("1234567.89", 123456789)],
)
def test_amounts_are_sent_in_fen_exactly(amount, fens):
    assert fen(Decimal(amount)) == fens


def test_an_amount_finer_than_a_fen_is_refused():
    with pytest.raises(ProviderError):
        fen(Decimal("1.005"))


def test_the_description_is_the_shops_within_127_bytes(client, wechat):
    products = [ProductFactory(status=ProductStatus.ACTIVE) for _ in range(3)]
    for n, product in enumerate(products):
        product.farmer.shop_name = f"{n}号" + "富硒茶叶合作社" * 8  # over 127 bytes
        product.farmer.save()
    placed = place_checkout(
        UserFactory(), [(p, 1) for p in products], provider=PaymentProviderCode.WECHAT
    )
    wechat.answer("POST", "/v3/pay/transactions/native", {"code_url": CODE_URL})
    pay(client, placed)
    description = wechat.bodies("/native")[0]["description"]
    assert 120 < len(description.encode()) <= 127
    assert description.startswith("0号富硒茶叶合作社")


def test_a_key_file_that_is_not_a_key_is_a_message_not_an_error(
    client, settings, wechat, paying, tmp_path
):
    bad = tmp_path / "apiclient_key.pem"
    bad.write_text("-----BEGIN PRIVATE KEY-----\nnot a key\n-----END PRIVATE KEY-----")
    settings.WECHATPAY_PRIVATE_KEY_PATH = str(bad)
    response = pay(client, paying, follow=True)
    message = str(list(response.context["messages"])[-1])
    assert "could not be asked" in message and str(tmp_path) not in message
    assert len(wechat.mock.calls) == 0


def test_missing_settings_are_named_and_wechat_is_not_offered(settings, wechat):
    client_for.cache_clear()
    for name in ("MCHID", "APIV3_KEY", "PUBLIC_KEY_ID"):
        setattr(settings, f"WECHATPAY_{name}", "")
    settings.WECHATPAY_PRIVATE_KEY_PATH = "/nonexistent/apiclient_key.pem"
    settings.SITE_URL = "http://127.0.0.1:8000"
    assert PROVIDERS["wechat"].missing_settings() == [
        "WECHATPAY_MCHID",
        "WECHATPAY_APIV3_KEY",
        "WECHATPAY_PRIVATE_KEY_PATH (/nonexistent/apiclient_key.pem)",
        "WECHATPAY_PUBLIC_KEY_ID",
        "WECHATPAY_NOTIFY_URL (https; or an https SITE_URL)",
    ]
    out = StringIO()
    call_command("check", stdout=out, stderr=out)
    assert "orders.W002" in out.getvalue()
    assert "WECHATPAY_MCHID, WECHATPAY_APIV3_KEY" in out.getvalue()
    assert "wechat" not in dict(provider_choices())
    with pytest.raises(ValidationError):
        place_checkout(
            UserFactory(),
            [(ProductFactory(status=ProductStatus.ACTIVE), 1)],
            provider=PaymentProviderCode.WECHAT,
        )
    assert len(wechat.mock.calls) == 0
    assert client_for.cache_info().currsize == 0  # never built


def test_without_a_key_to_verify_with_the_choice_is_named(settings, wechat):
    settings.WECHATPAY_PUBLIC_KEY_PATH = ""
    settings.WECHATPAY_PUBLIC_KEY_ID = ""
    settings.WECHATPAY_APIV3_KEY = "too-short"
    assert PROVIDERS["wechat"].missing_settings() == [
        "WECHATPAY_APIV3_KEY (32 characters)",
        "WECHATPAY_PUBLIC_KEY_PATH and WECHATPAY_PUBLIC_KEY_ID, or WECHATPAY_CERT_DIR",
    ]
    settings.WECHATPAY_APIV3_KEY = "a" * 32
    settings.WECHATPAY_CERT_DIR = "/srv/wechatpay/certs"
    assert PROVIDERS["wechat"].missing_settings() == []


def test_a_configured_wechat_is_offered_and_checks_clean(wechat):
    assert PROVIDERS["wechat"].missing_settings() == []
    assert dict(provider_choices())["wechat"] == "WeChat Pay"
    out = StringIO()
    call_command("check", stdout=out, stderr=out)
    assert "orders.W002" not in out.getvalue()
