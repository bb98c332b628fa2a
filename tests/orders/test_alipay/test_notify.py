"""Alipay's asynchronous notifications, posted to the webhook as Alipay posts
them (a form, RSA2-signed with Alipay's key over the sorted fields): a payment's
notification pays the checkout and is answered "success"; every notification
that is not Alipay's, not for us, stale, replayed, for another amount or
payment, or badly formed is refused, and nothing changes."""

import datetime
import uuid
from urllib.parse import urlencode

import pytest

from orders.models import (
    Order,
    OrderEvent,
    OrderStatus,
    Payment,
    PaymentStatus,
    WebhookReceipt,
)
from tests.orders.test_alipay.fake import CHINA, china, notification, post, trade_no

pytestmark = pytest.mark.django_db


def state(checkout) -> tuple:
    """Everything a notification could change."""
    return (
        list(Payment.objects.values_list("status", "transaction_id", "refunded")),
        sorted(Order.objects.values_list("pk", "status")),
        OrderEvent.objects.count(),
        sorted(WebhookReceipt.objects.values_list("nonce", flat=True)),
    )


def test_the_payment_notification_pays_every_order(client, keys, checkout):
    payment = checkout.payments.get()
    fields = notification(keys, payment)
    response = post(client, fields)
    assert response.status_code == 200
    assert response.content == b"success"
    assert response["Content-Type"] == "text/plain"
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.PAID
    assert payment.transaction_id == fields["trade_no"]
    assert set(checkout.orders.values_list("status", flat=True)) == {OrderStatus.PAID}
    assert WebhookReceipt.objects.get().nonce == fields["notify_id"]


def test_alipay_telling_again_changes_nothing(client, keys, paid):
    """A resend with a new notify_id, and TRADE_FINISHED when the refund period
    ends: the same trade, so 200 and nothing new."""
    payment = paid.payments.get()
    before = state(paid)[:3]
    again = notification(keys, payment, trade_no=payment.transaction_id)
    assert post(client, again).status_code == 200
    finished = notification(keys, payment, trade_status="TRADE_FINISHED")
    assert post(client, finished).status_code == 200
    assert state(paid)[:3] == before


def test_a_replayed_notification_is_refused(client, keys, checkout):
    fields = notification(keys, checkout.payments.get())
    assert post(client, fields).status_code == 200
    before = state(checkout)
    assert post(client, fields).status_code == 409
    assert state(checkout) == before


def test_another_transaction_for_a_paid_payment_is_refused(client, keys, paid):
    before = state(paid)
    other = notification(keys, paid.payments.get(), trade_no=trade_no())
    assert post(client, other).status_code == 400
    assert state(paid) == before


def old(hours: float) -> str:
    return china(datetime.datetime.now(CHINA) - datetime.timedelta(hours=hours))


def signed_with_another_key(keys, payment):
    return notification(keys, payment, key=keys.app)


def tampered(keys, payment):
    fields = notification(keys, payment)
    fields["total_amount"] = "0.01"
    return fields


def unsigned(keys, payment):
    fields = notification(keys, payment)
    del fields["sign"]
    return fields


# name: (the fields changed before Alipay signs, why the webhook refuses it)
SIGNED_BUT_REFUSED = {
    "sign type RSA": ({"sign_type": "RSA"}, "bad signature"),
    "another app": ({"app_id": "2021000122609999"}, "another app"),
    "app_id missing": ({"app_id": None}, "another app"),
    "stale": ({"notify_time": old(27)}, "stale"),
    "from the future": ({"notify_time": old(-1)}, "stale"),
    "unknown out_trade_no": ({"out_trade_no": str(uuid.uuid4())}, "unknown payment"),
    "amount changed": ({"total_amount": "999.00"}, "amount does not match"),
    "still waiting": ({"trade_status": "WAIT_BUYER_PAY"}, "nothing to take"),
    "closed": ({"trade_status": "TRADE_CLOSED"}, "nothing to take"),
    "no trade_status": ({"trade_status": None}, "nothing to take"),
    "amount 1e3": ({"total_amount": "1e3"}, "malformed total_amount"),
    "amount NaN": ({"total_amount": "NaN"}, "malformed total_amount"),
    "amount Infinity": ({"total_amount": "Infinity"}, "malformed total_amount"),
    "amount 3 places": ({"total_amount": "24.001"}, "malformed total_amount"),
    "amount negative": ({"total_amount": "-24.00"}, "malformed total_amount"),
    "amount padded": ({"total_amount": " 24.00"}, "malformed total_amount"),
    "amount full-width": ({"total_amount": "２４.00"}, "malformed total_amount"),
    "amount empty": ({"total_amount": ""}, "malformed total_amount"),
    "amount missing": ({"total_amount": None}, "malformed total_amount"),
    "out_trade_no not a uuid": (
        {"out_trade_no": "not-a-uuid"},
        "malformed out_trade_no",
    ),
    "out_trade_no braces": (
        {"out_trade_no": "{" + str(uuid.uuid4()) + "}"},
        "malformed out_trade_no",
    ),
    "notify_time words": ({"notify_time": "yesterday"}, "malformed notify_time"),
    "notify_time no such day": (
        {"notify_time": "2024-02-30 10:00:00"},
        "malformed notify_time",
    ),
    "notify_time 1e400": ({"notify_time": "1e400"}, "malformed notify_time"),
    "trade_no empty": ({"trade_no": ""}, "malformed trade_no"),
    "trade_no too long": ({"trade_no": "2" * 65}, "malformed trade_no"),
    "trade_no with a space": ({"trade_no": "2024 0001"}, "malformed trade_no"),
    "notify_id missing": ({"notify_id": None}, "malformed notify_id"),
    "notify_id odd": ({"notify_id": "<script>"}, "malformed notify_id"),
    "refund_fee not an amount": (
        {"refund_fee": "lots", "out_biz_no": "x-1"},
        "malformed refund_fee",
    ),
}


def signed(changes):
    return lambda keys, payment: notification(keys, payment, **changes)


@pytest.mark.parametrize(
    "make,reason",
    [
        (signed_with_another_key, "bad signature"),
        (tampered, "bad signature"),
        (unsigned, "bad signature"),
    ]
    + [
        pytest.param(signed(changes), reason, id=name)
        for name, (changes, reason) in SIGNED_BUT_REFUSED.items()
    ],
)
def test_bad_notifications_are_refused_and_change_nothing(
    client, keys, checkout, make, reason
):
    fields = make(keys, checkout.payments.get())
    before = state(checkout)
    response = post(client, fields)
    assert response.status_code == 400
    assert reason in response.json()["error"]
    assert state(checkout) == before
    assert WebhookReceipt.objects.count() == 0


def repeated_field(keys, payment) -> bytes:
    fields = notification(keys, payment)
    return (urlencode(fields) + "&total_amount=" + fields["total_amount"]).encode()


MALFORMED = {
    "empty": lambda k, p: b"",  # unsigned
    "json": lambda k, p: b'{"out_trade_no": "x", "sign": "y"}',
    "not utf-8": lambda k, p: b"\xff\xfe=\x00",
    "bad percent-encoding": lambda k, p: b"sign=%ff&sign_type=RSA2",
    "a field without a value": lambda k, p: b"sign_type=RSA2&sign",
    "an empty field": lambda k, p: b"sign_type=RSA2&&sign=x",
    "too many fields": lambda k, p: "&".join(f"f{i}=1" for i in range(500)).encode(),
    "repeated field": repeated_field,
}


@pytest.mark.parametrize("make", MALFORMED.values(), ids=MALFORMED.keys())
def test_a_body_that_is_not_a_notification_is_refused(client, keys, checkout, make):
    before = state(checkout)
    assert post(client, make(keys, checkout.payments.get())).status_code == 400
    assert state(checkout) == before


def test_a_notification_within_alipays_resend_window_is_taken(client, keys, checkout):
    """Alipay resends for 25 hours: a notification sent a day ago still counts."""
    fields = notification(keys, checkout.payments.get(), notify_time=old(24.9))
    assert post(client, fields).status_code == 200


def test_the_webhook_is_404_when_alipay_is_off(client, keys, checkout, settings):
    settings.PAYMENT_PROVIDERS = ["on_delivery"]
    before = state(checkout)
    assert post(client, notification(keys, checkout.payments.get())).status_code == 404
    assert state(checkout) == before
