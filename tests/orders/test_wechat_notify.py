"""WeChat Pay's payment notifications, posted to the real webhook: one signed by
WeChat Pay pays the checkout's orders (with the WeChat Pay public key, or with a
platform certificate); every other one is refused with a 400 (a replay with a
409) and changes nothing: a bad signature, a key we do not know, a stale
timestamp, a tampered or foreign ciphertext, a payment not ours, an amount
changed, a payment paid by another transaction, and signed bodies that are
malformed or carry fields of the wrong type."""

import base64
import datetime
import json
import time

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.x509.oid import NameOID

from orders.models import OrderStatus, Payment, PaymentStatus, WebhookReceipt
from orders.providers.wechat_client import fen
from tests.orders.wechat_gateway import FakeWeChat, new_key

pytestmark = pytest.mark.django_db
URL = "/orders/webhooks/wechat/"
PAID = "TRANSACTION.SUCCESS"


def post(client, body: bytes, headers: dict):
    client.raise_request_exception = False
    return client.post(URL, data=body, content_type="application/json", headers=headers)


def unchanged(checkout) -> bool:
    """The checkout is as placed: nothing paid, no notification taken."""
    payment = checkout.payments.get()
    return (
        payment.status == PaymentStatus.PENDING
        and payment.transaction_id is None
        and set(checkout.orders.values_list("status", flat=True))
        == {OrderStatus.PENDING_PAYMENT}
        and not WebhookReceipt.objects.exists()
    )


def test_a_notification_from_wechat_pay_pays_the_checkout(client, wechat, paying):
    payment = paying.payments.get()
    resource = wechat.paid(payment)
    response = post(client, *wechat.notification(PAID, resource))
    assert response.status_code == 200
    assert response.json() == {"code": "SUCCESS", "message": "成功"}
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.PAID
    assert payment.transaction_id == resource["transaction_id"]
    assert set(paying.orders.values_list("status", flat=True)) == {OrderStatus.PAID}
    assert WebhookReceipt.objects.filter(provider="wechat").count() == 1


def platform_certificate(key, serial: int) -> str:
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Tenpay.com Root CA")])
    now = datetime.datetime.now(datetime.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(serial)
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=365))
        .sign(key, hashes.SHA256())
    )
    return certificate.public_bytes(serialization.Encoding.PEM).decode()


def test_platform_certificates_verify_as_the_public_key_does(
    client, settings, wechat, paying, tmp_path
):
    serial = 0x5157F09EFDC096DE15EBE81A47057A7232F1B8E1
    serial_no = f"{serial:X}"
    (tmp_path / f"{serial_no}.pem").write_text(
        platform_certificate(wechat.keys.platform, serial)
    )
    settings.WECHATPAY_PUBLIC_KEY_PATH = ""
    settings.WECHATPAY_PUBLIC_KEY_ID = ""
    settings.WECHATPAY_CERT_DIR = str(tmp_path)
    certificates = FakeWeChat(wechat.mock, wechat.keys, serial=serial_no)
    payment = paying.payments.get()
    forged = certificates.notification(PAID, certificates.paid(payment), key=new_key())
    assert post(client, *forged).status_code == 400
    assert unchanged(paying)
    signed = certificates.notification(PAID, certificates.paid(payment))
    assert post(client, *signed).status_code == 200
    assert Payment.objects.get(pk=payment.pk).status == PaymentStatus.PAID
    assert len(wechat.mock.calls) == 0  # the certificate was read, not fetched


def _flip(envelope: dict) -> None:
    data = bytearray(base64.b64decode(envelope["resource"]["ciphertext"]))
    data[3] ^= 1
    envelope["resource"]["ciphertext"] = base64.b64encode(bytes(data)).decode()


def _resign(wechat, body: bytes) -> tuple[bytes, dict]:
    return body, wechat.signed_headers(body.decode())


def _probe(notification):
    """WeChat Pay's probe: a signature no key made, to see that we check."""
    body, headers = notification
    return body, headers | {"Wechatpay-Signature": "WECHATPAY/SIGNTEST/" + "A" * 300}


VERIFIED = "signature or resource not verified"
ANOTHER_KEY = new_key()


def _changed(**changes):
    """A notification of the payment with its resource changed."""
    return lambda w, p: w.notification(PAID, w.paid(p, **changes))


def _sent(**how):
    """A notification of the payment sent otherwise (key, serial, timestamp…)."""
    return lambda w, p: w.notification(PAID, w.paid(p), **how)


BAD = {
    "signed with another key": (_sent(key=ANOTHER_KEY), VERIFIED),
    "a serial we do not know": (
        _sent(serial="PUB_KEY_ID_0000000000000000000000000000000000"),
        "unknown serial",
    ),
    "a certificate serial in public key mode": (
        _sent(serial="5157F09EFDC096DE15EBE81A47057A7232F1B8E1"),
        "unknown serial",
    ),
    "stale": (lambda w, p: _sent(timestamp=time.time() - 301)(w, p), "stale callback"),
    "from the future": (
        lambda w, p: _sent(timestamp=time.time() + 301)(w, p),
        "stale callback",
    ),
    "a signature probe": (
        lambda w, p: _probe(w.notification(PAID, w.paid(p))),
        VERIFIED,
    ),
    "unknown out_trade_no": (_changed(out_trade_no="0" * 32), "unknown payment"),
    "out_trade_no with dashes": (
        lambda w, p: _changed(out_trade_no=str(p.reference))(w, p),
        "unknown payment",
    ),
    "amount changed": (
        lambda w, p: _changed(amount={"total": fen(p.amount) - 1})(w, p),
        "amount does not match",
    ),
    "another merchant": (_changed(mchid="1900000999"), "not our merchant or app"),
    "another app": (_changed(appid="wx0000000000"), "not our merchant or app"),
    "not paid": (_changed(trade_state="NOTPAY"), "not a successful payment"),
    "in dollars": (
        lambda w, p: _changed(amount={"total": fen(p.amount), "currency": "USD"})(w, p),
        "not in yuan",
    ),
    "an event we do not take": (
        lambda w, p: w.notification("TRANSACTION.CLOSED", w.paid(p)),
        "unexpected event",
    ),
    "a payment called a refund": (_sent(original_type="refund"), "unexpected event"),
}


@pytest.mark.parametrize("case", list(BAD))
def test_a_notification_not_as_wechat_pay_sends_it_is_refused(
    client, wechat, paying, case
):
    make, reason = BAD[case]
    response = post(client, *make(wechat, paying.payments.get()))
    assert response.status_code == 400
    assert response.json() == {"error": reason}
    assert unchanged(paying)


@pytest.mark.parametrize(
    "header",
    [
        "Wechatpay-Signature",
        "Wechatpay-Timestamp",
        "Wechatpay-Nonce",
        "Wechatpay-Serial",
    ],
)
def test_a_notification_without_a_signature_header_is_refused(
    client, wechat, paying, header
):
    body, headers = wechat.notification(PAID, wechat.paid(paying.payments.get()))
    del headers[header]
    assert post(client, body, headers).status_code == 400
    assert unchanged(paying)


def test_a_tampered_ciphertext_is_refused_though_the_body_is_signed(
    client, wechat, paying
):
    body, _headers = wechat.notification(PAID, wechat.paid(paying.payments.get()))
    envelope = json.loads(body)
    _flip(envelope)
    response = post(client, *_resign(wechat, json.dumps(envelope).encode()))
    assert response.status_code == 400
    assert response.json() == {"error": "signature or resource not verified"}
    assert unchanged(paying)


def test_a_resource_under_another_key_is_refused(client, wechat, paying, monkeypatch):
    monkeypatch.setattr("tests.orders.wechat_gateway.APIV3_KEY", "z" * 32)
    body, headers = wechat.notification(PAID, wechat.paid(paying.payments.get()))
    assert post(client, body, headers).status_code == 400
    assert unchanged(paying)


def test_a_replay_is_a_409_and_a_resent_notification_changes_nothing(
    client, wechat, paying
):
    payment = paying.payments.get()
    resource = wechat.paid(payment)
    body, headers = wechat.notification(PAID, resource, id="EV-2018022511223320873")
    assert post(client, body, headers).status_code == 200
    paid_at = Payment.objects.get(pk=payment.pk).paid_at
    assert post(client, body, headers).status_code == 409
    # WeChat Pay sends it again (same id, signed anew): taken, nothing changes.
    resent = _resign(wechat, body)
    assert post(client, *resent).status_code == 200
    assert Payment.objects.get(pk=payment.pk).paid_at == paid_at
    assert WebhookReceipt.objects.count() == 2


def test_a_payment_paid_by_another_transaction_is_refused(client, wechat, paying):
    payment = paying.payments.get()
    assert (
        post(client, *wechat.notification(PAID, wechat.paid(payment))).status_code
        == 200
    )
    before = Payment.objects.get(pk=payment.pk)
    other = wechat.notification(PAID, wechat.paid(payment))  # a new transaction id
    assert post(client, *other).status_code == 400
    after = Payment.objects.get(pk=payment.pk)
    assert (after.transaction_id, after.refunded) == (before.transaction_id, 0)
    assert WebhookReceipt.objects.count() == 1


def test_a_closed_payment_paid_for_another_amount_is_refused(client, wechat, paying):
    payment = paying.payments.get()
    Payment.objects.filter(pk=payment.pk).update(status=PaymentStatus.CLOSED)
    changed = wechat.paid(payment, amount={"total": fen(payment.amount) + 100})
    assert post(client, *wechat.notification(PAID, changed)).status_code == 400
    assert Payment.objects.get(pk=payment.pk).transaction_id is None
    assert not WebhookReceipt.objects.exists()


MALFORMED_BODIES = [
    b"not json",
    b"[]",
    b'"EV-1"',
    b"[" * 100_000,
    b'{"id": 1, "event_type": "TRANSACTION.SUCCESS"}',
    b"\xff\xfe",
]


@pytest.mark.parametrize("body", MALFORMED_BODIES)
def test_a_signed_body_that_does_not_parse_is_refused(client, wechat, paying, body):
    headers = wechat.signed_headers(body.decode("utf-8", errors="replace"))
    assert post(client, body, headers).status_code == 400
    assert unchanged(paying)


ENVELOPE_CHANGES = {
    "id as a number": lambda e: e.update(id=12345),
    "no id": lambda e: e.pop("id"),
    "event_type as a list": lambda e: e.update(event_type=[PAID]),
    "resource as text": lambda e: e.update(resource="encrypted"),
    "a plain resource": lambda e: e.update(resource_type="plain"),
    "another algorithm": lambda e: e["resource"].update(algorithm="AES_128_CBC"),
    "ciphertext as a number": lambda e: e["resource"].update(ciphertext=7),
    "nonce as null": lambda e: e["resource"].update(nonce=None),
    "associated_data as a number": lambda e: e["resource"].update(associated_data=1),
    "ciphertext not base64": lambda e: e["resource"].update(ciphertext="@@@"),
    "a nonce too short for GCM": lambda e: e["resource"].update(nonce="1"),
}


@pytest.mark.parametrize("change", list(ENVELOPE_CHANGES))
def test_a_signed_envelope_with_a_wrong_field_is_refused(
    client, wechat, paying, change
):
    body, _headers = wechat.notification(PAID, wechat.paid(paying.payments.get()))
    envelope = json.loads(body)
    ENVELOPE_CHANGES[change](envelope)
    response = post(client, *_resign(wechat, json.dumps(envelope).encode()))
    assert response.status_code == 400
    assert unchanged(paying)


RESOURCE_CHANGES = {
    "total as text": {"amount": {"total": "100", "currency": "CNY"}},
    "total as a float": {"amount": {"total": 100.0, "currency": "CNY"}},
    "total as true": {"amount": {"total": True, "currency": "CNY"}},
    "total of zero": {"amount": {"total": 0, "currency": "CNY"}},
    "amount as a number": {"amount": 100},
    "out_trade_no as a number": {"out_trade_no": 12345678901234567890123456789012},
    "transaction_id as null": {"transaction_id": None},
    "transaction_id too long": {"transaction_id": "4" * 65},
    "mchid as a number": {"mchid": 1900000109},
}


@pytest.mark.parametrize("change", list(RESOURCE_CHANGES))
def test_a_decrypted_payment_with_a_wrong_field_is_refused(
    client, wechat, paying, change
):
    resource = wechat.paid(paying.payments.get(), **RESOURCE_CHANGES[change])
    assert post(client, *wechat.notification(PAID, resource)).status_code == 400
    assert unchanged(paying)


@pytest.mark.parametrize("plaintext", ["not json", "[1, 2]", '"text"'])
def test_a_decrypted_resource_that_is_not_an_object_is_refused(
    client, wechat, paying, plaintext
):
    body, headers = wechat.notification(PAID, {}, plaintext=plaintext)
    assert post(client, body, headers).status_code == 400
    assert unchanged(paying)
