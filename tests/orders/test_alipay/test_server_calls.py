"""Alipay's server calls as the provider makes them: the trade query and what
each trade status means here; close (a trade Alipay never saw is fine, a paid
one is refused) as the pay button uses it when the amount due changed; and how
an answer that is unsigned, forged, unreadable, slow or a server error is told
apart from Alipay's refusal."""

import pytest
import requests
from django.urls import reverse
from django.utils import translation

from orders.models import OrderStatus, Payment, PaymentStatus
from orders.providers import PROVIDERS
from orders.providers.alipay_client import AlipayRefused
from orders.providers.base import PaymentState, ProviderError, ProviderUnavailable
from orders.services.transitions import order_cancel
from tests.orders.test_alipay.fake import GATEWAY

pytestmark = pytest.mark.django_db
ALIPAY = PROVIDERS["alipay"]
QUERY = "alipay.trade.query"
CLOSE = "alipay.trade.close"
TRADE_NO = "2024050122001400001234567890"


def trade(payment, status, **fields):
    return {
        "code": "10000",
        "msg": "Success",
        "trade_no": TRADE_NO,
        "out_trade_no": str(payment.reference),
        "buyer_logon_id": "159****5620",
        "trade_status": status,
        "total_amount": f"{payment.amount:.2f}",
        "buyer_pay_amount": "0.00",
        "receipt_amount": "0.00",
        "point_amount": "0.00",
        "invoice_amount": "0.00",
        **fields,
    }


PAID = {"send_pay_date": "2024-05-01 10:00:00", "buyer_pay_amount": "24.00"}


@pytest.mark.parametrize(
    "status, fields, expected",
    [
        ("WAIT_BUYER_PAY", {}, PaymentState.PENDING),
        ("TRADE_SUCCESS", PAID, PaymentState.PAID),
        ("TRADE_FINISHED", PAID, PaymentState.PAID),
        ("TRADE_CLOSED", {}, PaymentState.CLOSED),  # closed unpaid
        ("TRADE_CLOSED", PAID, PaymentState.REFUNDED),  # paid, refunded in full
    ],
)
def test_the_trade_query_maps_alipays_status(
    alipay, checkout, status, fields, expected
):
    payment = checkout.payments.get()
    alipay.on(QUERY, trade(payment, status, **fields))
    answer = ALIPAY.query(payment)
    assert answer.state == expected
    if expected in (PaymentState.PAID, PaymentState.REFUNDED):
        assert (answer.transaction_id, answer.amount) == (TRADE_NO, payment.amount)
    assert alipay.calls[0][1] == {"out_trade_no": str(payment.reference)}


def test_a_trade_alipay_never_saw_is_unknown(alipay, checkout):
    alipay.refuse(QUERY, "ACQ.TRADE_NOT_EXIST", "交易不存在")
    assert ALIPAY.query(checkout.payments.get()).state == PaymentState.UNKNOWN


def test_an_unknown_trade_status_is_an_error(alipay, checkout):
    payment = checkout.payments.get()
    alipay.on(QUERY, trade(payment, "TRADE_PENDING_FOREVER"))
    with pytest.raises(ProviderError):
        ALIPAY.query(payment)


def forged(alipay, payment):
    body = alipay.signed(QUERY, trade(payment, "TRADE_SUCCESS"), key=alipay.keys.app)
    return 200, {}, body


def edited(alipay, payment):
    """Alipay's answer with its amount changed on the way."""
    body = alipay.signed(QUERY, trade(payment, "TRADE_SUCCESS", **PAID))
    return 200, {}, body.replace(b'"total_amount":"', b'"total_amount":"9')


UNAVAILABLE = ProviderUnavailable
READ = "could not be read"
SILENT = "did not answer"
ANSWERS = {
    "forged": (forged, ProviderError, "not signed"),
    "edited": (edited, ProviderError, "not signed"),
    "unsigned error": (
        lambda a, p: (
            200,
            {},
            b'{"error_response":{"code":"40002","msg":"Invalid'
            b' Arguments","sub_code":"isv.invalid-app-id","sub_msg":"bad app"}}',
        ),
        AlipayRefused,
        "bad app",
    ),
    "a proxy's page": (lambda a, p: (200, {}, b"<html>502</html>"), UNAVAILABLE, READ),
    "json not an object": (lambda a, p: (200, {}, b"[1, 2]"), UNAVAILABLE, READ),
    "not utf-8": (lambda a, p: (200, {}, b"\xff\xfe"), UNAVAILABLE, READ),
    "server error": (lambda a, p: (503, {}, b"busy"), UNAVAILABLE, SILENT),
    "not found": (lambda a, p: (404, {}, b"gone"), ProviderError, "404"),
    "timeout": (lambda a, p: requests.exceptions.ReadTimeout(), UNAVAILABLE, SILENT),
    "no connection": (
        lambda a, p: requests.exceptions.ConnectionError(),
        UNAVAILABLE,
        SILENT,
    ),
    "busy": (
        lambda a, p: {"code": "20000", "msg": "Service Currently Unavailable"},
        UNAVAILABLE,
        "Service Currently Unavailable",
    ),
}


@pytest.mark.parametrize("make, error, says", ANSWERS.values(), ids=ANSWERS.keys())
def test_what_an_answer_that_is_not_a_verified_success_is(
    alipay, checkout, make, error, says
):
    payment = checkout.payments.get()
    alipay.on(QUERY, make(alipay, payment))
    with translation.override("en"), pytest.raises(error, match=says) as raised:
        ALIPAY.query(payment)
    if error is ProviderError:  # refused, not "did not answer"
        assert not isinstance(raised.value, ProviderUnavailable)


def press_pay(client, checkout):
    client.force_login(checkout.buyer)
    return client.post(reverse("orders:pay", args=[checkout.pk]), follow=False)


@pytest.fixture
def one_cancelled(checkout):
    """The second order cancelled before paying: the amount due changed."""
    _honey, tea = checkout.orders.order_by("pk")
    order_cancel(order=tea, actor=checkout.buyer)
    return checkout


@pytest.mark.parametrize(
    "answer",
    [
        {"trade_no": TRADE_NO},  # closed
        "ACQ.TRADE_NOT_EXIST",  # the buyer never opened Alipay's page
    ],
)
def test_a_changed_amount_closes_the_trade_and_starts_a_new_one(
    client, alipay, one_cancelled, answer
):
    old = one_cancelled.payments.get()
    if isinstance(answer, str):
        alipay.refuse(CLOSE, answer, "交易不存在")
    else:
        alipay.on(CLOSE, **answer)
    response = press_pay(client, one_cancelled)
    assert response.status_code == 302
    assert response.url.startswith(GATEWAY + "?")
    assert alipay.calls[0][:2] == (CLOSE, {"out_trade_no": str(old.reference)})
    old.refresh_from_db()
    assert old.status == PaymentStatus.CLOSED
    new = one_cancelled.payments.get(status=PaymentStatus.PENDING)
    assert str(new.reference) in response.url
    assert (
        new.amount == one_cancelled.orders.get(status=OrderStatus.PENDING_PAYMENT).total
    )


def test_closing_a_trade_the_buyer_has_paid_is_refused(client, alipay, one_cancelled):
    old = one_cancelled.payments.get()
    alipay.refuse(CLOSE, "ACQ.TRADE_STATUS_ERROR", "交易状态不合法")
    alipay.on(QUERY, trade(old, "TRADE_SUCCESS", **PAID))
    response = press_pay(client, one_cancelled)
    assert response.status_code == 302
    assert not response.url.startswith(GATEWAY)
    assert Payment.objects.get() == old
    assert Payment.objects.get().status == PaymentStatus.PENDING
    # The buyer reads it in their language (zh-hans here).
    assert "无法关闭该交易" in client.get(response.url).content.decode()


def test_closing_a_trade_already_closed_is_fine(alipay, checkout):
    payment = checkout.payments.get()
    alipay.refuse(CLOSE, "ACQ.TRADE_STATUS_ERROR", "交易状态不合法")
    alipay.on(QUERY, trade(payment, "TRADE_CLOSED"))
    assert ALIPAY.close(payment) is None
    assert alipay.methods() == [CLOSE, QUERY]


def test_a_close_that_times_out_says_so_and_changes_nothing(
    client, alipay, one_cancelled
):
    old = one_cancelled.payments.get()
    alipay.on(CLOSE, requests.exceptions.ConnectTimeout())
    client.cookies["django_language"] = "en"  # the message read in English
    response = press_pay(client, one_cancelled)
    assert response.status_code == 302
    assert not response.url.startswith(GATEWAY)
    page = client.get(response.url)
    assert "did not answer" in page.content.decode()
    assert list(Payment.objects.values_list("pk", "status")) == [
        (old.pk, PaymentStatus.PENDING)
    ]
